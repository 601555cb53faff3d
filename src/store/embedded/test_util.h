// Helpers shared by the embedded engine's tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/embedded/embedded_store.h"

namespace kelp::store::embedded::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kelp-embedded-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::unique_ptr<ObjectStore> MustOpen(const std::string& dir, bool sync = false) {
  auto r = OpenEmbeddedStore(dir, EmbeddedOptions{sync});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

inline size_t CountDataFiles(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/data")) {
    (void)e;
    ++n;
  }
  return n;
}

// Deterministic bytes for object contents.
inline std::string Pattern(size_t size, uint64_t seed) {
  std::string s(size, '\0');
  for (size_t j = 0; j < size; ++j)
    s[j] = static_cast<char>((seed * 131 + j * 7 + (j >> 9)) & 0xff);
  return s;
}

}  // namespace kelp::store::embedded::testing
