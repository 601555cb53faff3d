// Test helper: a fresh embedded store in a temp dir with the rgw services
// initialised on it; removes the dir at the end.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

namespace kelp::rgw::testing {

class TempStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("kelp-meta-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    svc_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    auto s = store::embedded::OpenEmbeddedStore(dir_.string(), {.sync = false});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto svc = Services::Init(*store_);
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    svc_ = std::move(*svc);
  }
  void Reopen() {
    svc_.reset();
    store_.reset();
    Open();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::ObjectStore> store_;
  std::unique_ptr<Services> svc_;
};

}  // namespace kelp::rgw::testing
