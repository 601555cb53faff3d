// Omap key layout of a bucket-index shard (cls_rgw.cc), byte for byte:
//
//   plain entry         <name>                       (name < 0x80 or > 0x80 "9999_")
//   versioned list key  <name>\0v<DecreasingStr(versioned_epoch)>\0i<instance>
//   bilog entry         \x80 "0_" %011llu.%llu.%d    (index_ver, object version, subop)
//   instance entry      \x80 "1000_" <name>\0i<instance>[\0d]
//   OLH entry           \x80 "1001_" <name>
//
// Keys starting with 0x80 ("the ugly namespace") are skipped by listings.
#pragma once

#include <cstdint>
#include <string>

#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw {

inline constexpr char kBiPrefixChar = '\x80';

// Monotonically decreasing text of n: x > y => DecreasingStr(x) < DecreasingStr(y).
std::string DecreasingStr(uint64_t n);

// "\x80" "0_" prefix of all bilog keys.
std::string BilogPrefix();
// Bilog id "%011llu.%llu.%d" (the key is BilogPrefix() + id).
std::string BilogId(uint64_t index_ver, uint64_t object_version, int subop);
std::string BilogKey(uint64_t index_ver, uint64_t object_version, int subop);

// List key of a versioned entry: name\0v<dec(versioned_epoch)>\0i<instance>.
std::string ListIndexKey(const std::string& name, uint64_t versioned_epoch,
                         const std::string& instance);
// Instance key \x80 1000_ name \0i instance [\0d].
std::string InstanceKey(const ObjKey& key, bool delete_marker_suffix = false);
// Key of an object's entry: its name when it has no instance, else InstanceKey.
std::string ObjIndexKey(const ObjKey& key);
// OLH key \x80 1001_ name.
std::string OlhKey(const std::string& name);
std::string InstancePrefix();  // "\x80" "1000_"
std::string OlhPrefix();       // "\x80" "1001_"

// Splits a list key back into name/instance/epoch (decode_list_index_key).
// False on a malformed key.
bool DecodeListIndexKey(const std::string& idx, ObjKey* key, uint64_t* ver);

// Which namespace an omap key belongs to (plain keys include those > 0x80).
BiIndexType IndexTypeOfKey(const std::string& idx);
bool IsPlainKey(const std::string& idx);

// cls_rgw_after_delim: the first key after every key starting with `path`.
inline std::string AfterDelim(const std::string& path) { return path + '\xFF'; }

}  // namespace kelp::store::cls::rgw
