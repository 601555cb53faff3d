// Test helper: generic access to the golden radosgw dump
// ($KELP_FIXTURES_DIR/public, layout described in its README.md). Nothing
// here knows the workload's names or ids; tests walk what is there.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/encoding.h"

namespace kelp::rgw::testing {

inline std::filesystem::path DumpDir() {
  return std::filesystem::path(KELP_FIXTURES_DIR) / "public";
}

inline std::string ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::string Hex(const std::string& raw) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(k[c >> 4]);
    out.push_back(k[c & 15]);
  }
  return out;
}

struct RadosObject {
  std::string pool;
  std::string ns;  // "" for the default namespace
  std::string oid;
  std::filesystem::path dir;
  std::string data;
  std::map<std::string, std::string> xattrs;
  std::map<std::string, std::string> omap;
};

inline RadosObject LoadObject(const std::string& pool, const std::string& ns,
                              const std::filesystem::path& dir) {
  RadosObject o;
  o.pool = pool;
  o.ns = ns;
  o.oid = Unhex(dir.filename().string());
  o.dir = dir;
  if (std::filesystem::exists(dir / "data")) o.data = ReadFileBytes(dir / "data");
  for (const char* sub : {"xattr", "omap"}) {
    auto sd = dir / sub;
    if (!std::filesystem::exists(sd)) continue;
    for (const auto& f : std::filesystem::directory_iterator(sd)) {
      auto& m = std::string(sub) == "xattr" ? o.xattrs : o.omap;
      m[Unhex(f.path().filename().string())] = ReadFileBytes(f.path());
    }
  }
  return o;
}

// Every object of `pool` (all namespaces when ns_filter is "*").
inline std::vector<RadosObject> ListObjects(const std::string& pool,
                                            const std::string& ns_filter = "*") {
  std::vector<RadosObject> out;
  auto pd = DumpDir() / "objects" / pool;
  if (!std::filesystem::exists(pd)) return out;
  for (const auto& nsd : std::filesystem::directory_iterator(pd)) {
    std::string ns = nsd.path().filename().string();
    if (ns == "_default") ns = "";
    if (ns_filter != "*" && ns != ns_filter) continue;
    for (const auto& od : std::filesystem::directory_iterator(nsd.path())) {
      out.push_back(LoadObject(pool, ns, od.path()));
    }
  }
  return out;
}

// Replaces bytes that are not valid UTF-8 (radosgw-admin writes raw 0x80)
// so the JSON parses.
inline std::string SanitizeUtf8(const std::string& s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok) {
      out.append(s, i, n);
      i += n;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

inline nlohmann::json LoadJson(const std::filesystem::path& p) {
  return nlohmann::json::parse(SanitizeUtf8(ReadFileBytes(p)));
}

inline nlohmann::json LoadDecoded(const std::string& rel) {
  return LoadJson(DumpDir() / "decoded" / rel);
}

inline bool DecodedExists(const std::string& rel) {
  return std::filesystem::exists(DumpDir() / "decoded" / rel);
}

// obj_version ENC(1,1){u64 ver, str tag} from the ceph.objclass.version xattr.
inline std::pair<uint64_t, std::string> ObjVersionOf(const RadosObject& o) {
  Decoder d(o.xattrs.at("ceph.objclass.version"));
  uint64_t ver = 0;
  std::string tag;
  d.Versioned(1, [&](uint8_t) {
    ver = d.U64();
    tag = d.Str();
  });
  return {ver, tag};
}

// The xattrs radosgw treats as metadata attrs (user.rgw.*).
inline std::map<std::string, std::string> RgwAttrs(const RadosObject& o) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : o.xattrs) {
    if (k.rfind("user.rgw.", 0) == 0) out[k] = v;
  }
  return out;
}

}  // namespace kelp::rgw::testing
