// Test-only helpers to walk the golden radosgw dump
// ($KELP_FIXTURES_DIR/public, see its README.md): hex-named files, raw
// xattr/omap bytes, and radosgw-admin JSON that may hold raw non-UTF-8
// bytes (bi list prints the 0x80 of index keys bare).
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kelp::store::cls::testing {

inline std::string PublicDir() { return std::string(KELP_FIXTURES_DIR) + "/public"; }

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string HexDecode(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::string HexEncode(const std::string& raw) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

// Maps every byte that is not part of a valid UTF-8 sequence to the UTF-8
// encoding of U+00XX (the surrogateescape idea, made JSON-safe). Applied to
// both radosgw-admin's output and our own strings, so raw keys compare.
inline std::string EscapeInvalidUtf8(const std::string& s) {
  std::string out;
  size_t i = 0;
  auto cont = [&](size_t j) {
    return j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80;
  };
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n = 0;
    if (c < 0x80) n = 1;
    else if ((c & 0xE0) == 0xC0 && c >= 0xC2) n = 2;
    else if ((c & 0xF0) == 0xE0) n = 3;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4) n = 4;
    bool ok = n > 0;
    for (size_t k = 1; ok && k < n; ++k) ok = cont(i + k);
    if (ok) {
      out.append(s, i, n);
      i += n;
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      ++i;
    }
  }
  return out;
}

// Parses radosgw-admin JSON read as bytes; invalid bytes escaped as above.
inline nlohmann::json ParseAdminJson(const std::filesystem::path& p) {
  return nlohmann::json::parse(EscapeInvalidUtf8(ReadAll(p)));
}

// Recursively escapes invalid UTF-8 in every string of a json value.
template <typename J>
nlohmann::json Normalize(const J& in) {
  if (in.is_string()) return EscapeInvalidUtf8(in.template get<std::string>());
  if (in.is_array()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : in) a.push_back(Normalize(x));
    return a;
  }
  if (in.is_object()) {
    nlohmann::json o = nlohmann::json::object();
    for (auto it = in.begin(); it != in.end(); ++it) o[it.key()] = Normalize(it.value());
    return o;
  }
  return nlohmann::json::parse(in.dump());
}

// One dumped RADOS object.
struct DumpedObject {
  std::string oid;
  std::filesystem::path dir;
  bool has_header = false;
  std::string header;
  std::map<std::string, std::string> omap;    // raw key -> value
  std::map<std::string, std::string> xattrs;  // raw name -> value
};

inline DumpedObject LoadObject(const std::filesystem::path& dir) {
  DumpedObject o;
  o.dir = dir;
  o.oid = HexDecode(dir.filename().string());
  if (std::filesystem::exists(dir / "omap_header")) {
    o.has_header = true;
    o.header = ReadAll(dir / "omap_header");
  }
  if (std::filesystem::exists(dir / "omap")) {
    for (const auto& f : std::filesystem::directory_iterator(dir / "omap")) {
      o.omap[HexDecode(f.path().filename().string())] = ReadAll(f.path());
    }
  }
  if (std::filesystem::exists(dir / "xattr")) {
    for (const auto& f : std::filesystem::directory_iterator(dir / "xattr")) {
      o.xattrs[HexDecode(f.path().filename().string())] = ReadAll(f.path());
    }
  }
  return o;
}

// Every object of a pool/namespace directory ("_default" = no namespace).
inline std::vector<DumpedObject> LoadPool(const std::string& pool, const std::string& ns) {
  std::vector<DumpedObject> out;
  std::filesystem::path dir = std::filesystem::path(PublicDir()) / "objects" / pool / ns;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.is_directory()) out.push_back(LoadObject(f.path()));
  }
  return out;
}

// Every object of every namespace of every pool.
inline std::vector<DumpedObject> LoadAllObjects() {
  std::vector<DumpedObject> out;
  std::filesystem::path root = std::filesystem::path(PublicDir()) / "objects";
  for (const auto& pool : std::filesystem::directory_iterator(root)) {
    for (const auto& ns : std::filesystem::directory_iterator(pool.path())) {
      for (const auto& f : std::filesystem::directory_iterator(ns.path())) {
        if (f.is_directory()) out.push_back(LoadObject(f.path()));
      }
    }
  }
  return out;
}

}  // namespace kelp::store::cls::testing
