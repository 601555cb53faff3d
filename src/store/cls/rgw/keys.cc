#include "store/cls/rgw/keys.h"

#include <cstdio>
#include <cstring>

namespace kelp::store::cls::rgw {

std::string DecreasingStr(uint64_t n) {
  char buf[32];
  long long v = static_cast<long long>(n);
  if (n < 0x10) {
    snprintf(buf, sizeof(buf), "9%02lld", 15 - v);
  } else if (n < 0x100) {
    snprintf(buf, sizeof(buf), "8%03lld", 255 - v);
  } else if (n < 0x1000) {
    snprintf(buf, sizeof(buf), "7%04lld", 4095 - v);
  } else if (n < 0x10000) {
    snprintf(buf, sizeof(buf), "6%05lld", 65535 - v);
  } else if (n < 0x100000000ull) {
    snprintf(buf, sizeof(buf), "5%010lld", 0xFFFFFFFFll - v);
  } else {
    // Upstream prints -n as signed; reproduced for identical keys.
    snprintf(buf, sizeof(buf), "4%020lld", -v);
  }
  return buf;
}

std::string BilogPrefix() { return std::string(1, kBiPrefixChar) + "0_"; }
std::string InstancePrefix() { return std::string(1, kBiPrefixChar) + "1000_"; }
std::string OlhPrefix() { return std::string(1, kBiPrefixChar) + "1001_"; }

std::string BilogId(uint64_t index_ver, uint64_t object_version, int subop) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%011llu.%llu.%d", static_cast<unsigned long long>(index_ver),
           static_cast<unsigned long long>(object_version), subop);
  return buf;
}

std::string BilogKey(uint64_t index_ver, uint64_t object_version, int subop) {
  return BilogPrefix() + BilogId(index_ver, object_version, subop);
}

std::string ListIndexKey(const std::string& name, uint64_t versioned_epoch,
                         const std::string& instance) {
  std::string k = name;
  k.append("\0v", 2);
  k += DecreasingStr(versioned_epoch);
  k.append("\0i", 2);
  k += instance;
  return k;
}

std::string InstanceKey(const ObjKey& key, bool delete_marker_suffix) {
  std::string k = InstancePrefix() + key.name;
  k.append("\0i", 2);
  k += key.instance;
  if (delete_marker_suffix) k.append("\0d", 2);
  return k;
}

std::string ObjIndexKey(const ObjKey& key) {
  return key.instance.empty() ? key.name : InstanceKey(key);
}

std::string OlhKey(const std::string& name) { return OlhPrefix() + name; }

bool DecodeListIndexKey(const std::string& idx, ObjKey* key, uint64_t* ver) {
  key->instance.clear();
  *ver = 0;
  size_t nul = idx.find('\0');
  if (nul == std::string::npos) {
    key->name = idx;
    return true;
  }
  key->name = idx.substr(0, nul);
  size_t pos = nul + 1;
  if (pos >= idx.size()) return false;
  while (pos < idx.size()) {
    size_t end = idx.find('\0', pos);
    if (end == std::string::npos) end = idx.size();
    std::string part = idx.substr(pos, end - pos);
    if (!part.empty() && part[0] == 'i') {
      key->instance = part.substr(1);
    } else if (!part.empty() && part[0] == 'v') {
      char* stop = nullptr;
      *ver = strtoull(part.c_str() + 1, &stop, 10);
      if (stop == part.c_str() + 1 || *stop != '\0') return false;
    }
    pos = end + 1;
  }
  return true;
}

bool IsPlainKey(const std::string& idx) { return idx.empty() || idx[0] != kBiPrefixChar; }

BiIndexType IndexTypeOfKey(const std::string& idx) {
  if (IsPlainKey(idx)) return kBiPlain;
  if (idx.compare(0, InstancePrefix().size(), InstancePrefix()) == 0) return kBiInstance;
  if (idx.compare(0, OlhPrefix().size(), OlhPrefix()) == 0) return kBiOlh;
  return kBiInvalid;  // bilog or unknown
}

}  // namespace kelp::store::cls::rgw
