// radosgw user records (rgw_common.h RGWUserInfo and members) and the
// payloads of the users.* objects:
//   users.uid/<uid>        encode(RGWUID) + encode(RGWUserInfo)  (EncodeUserObject)
//   users.keys/<key id>, users.email/<email>, users.swift/<uid:sub>
//                          encode(RGWUID) only                   (EncodeUid)
// RGWUID has no envelope: it is the uid's text form as a Ceph string.
//
// ToJson(UserInfo) = `radosgw-admin user info`; ToJsonMetadata = `radosgw-admin
// metadata get user:<uid>`. Values; thread-compatible.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/status.h"
#include "rgw/types/common.h"

namespace kelp::rgw {

// RGW_OP_TYPE_*.
inline constexpr uint32_t kOpTypeRead = 1;
inline constexpr uint32_t kOpTypeWrite = 2;
inline constexpr uint32_t kOpTypeDelete = 4;
inline constexpr uint32_t kOpTypeAll = 7;

// RGWIdentityType (RGWUserInfo::type).
inline constexpr uint32_t kUserTypeNone = 0;
inline constexpr uint32_t kUserTypeRgw = 1;
inline constexpr uint32_t kUserTypeKeystone = 2;
inline constexpr uint32_t kUserTypeLdap = 3;
inline constexpr uint32_t kUserTypeRole = 4;
inline constexpr uint32_t kUserTypeWeb = 5;

// RGWAccessKey: ENC(2,2){id, key, subuser}.
struct AccessKey {
  std::string id;
  std::string key;
  std::string subuser;
  friend bool operator==(const AccessKey&, const AccessKey&) = default;
};
void Encode(Encoder& e, const AccessKey& v);
void Decode(Decoder& d, AccessKey& v);

// RGWSubUser: ENC(2,2){name, u32 perm_mask (RGW_PERM_*)}.
struct SubUser {
  std::string name;
  uint32_t perm_mask = 0;
  friend bool operator==(const SubUser&, const SubUser&) = default;
};
void Encode(Encoder& e, const SubUser& v);
void Decode(Decoder& d, SubUser& v);

// RGWUserCaps: ENC(1,1){map<str,u32>} (RGW_CAP_READ 1, RGW_CAP_WRITE 2).
struct UserCaps {
  std::map<std::string, uint32_t> caps;
  friend bool operator==(const UserCaps&, const UserCaps&) = default;
};
void Encode(Encoder& e, const UserCaps& v);
void Decode(Decoder& d, UserCaps& v);

// RGWUserInfo, written as ENC(22,9); decodes every version down to the
// pre-envelope u32-versioned form (LEGACY_32(22,9,9)).
struct UserInfo {
  User user_id;
  std::string display_name;
  std::string user_email;
  std::map<std::string, AccessKey> access_keys;  // by key id
  std::map<std::string, AccessKey> swift_keys;   // by "uid:subuser"
  std::map<std::string, SubUser> subusers;       // by subuser name
  uint8_t suspended = 0;
  int32_t max_buckets = 1000;
  uint32_t op_mask = kOpTypeAll;
  UserCaps caps;
  uint8_t admin = 0;
  uint8_t system = 0;
  PlacementRule default_placement;
  std::list<std::string> placement_tags;
  QuotaInfo bucket_quota;
  std::map<int32_t, std::string> temp_url_keys;
  QuotaInfo user_quota;
  uint32_t type = kUserTypeNone;
  std::set<std::string> mfa_ids;
  std::string assumed_role_arn;

  friend bool operator==(const UserInfo&, const UserInfo&) = default;
};
void Encode(Encoder& e, const UserInfo& v);
void Decode(Decoder& d, UserInfo& v);

// users.uid/<uid> data. DecodeUserObject fails with Corruption when the RGWUID
// prefix and the record's user id disagree (radosgw returns EIO then).
std::string EncodeUserObject(const UserInfo& info);
Status DecodeUserObject(std::string_view data, UserInfo* info);

// users.keys / users.email / users.swift data.
std::string EncodeUid(const User& uid);
Result<User> DecodeUid(std::string_view data);

// mask_to_str of radosgw-admin: "read, write, delete", "full-control", "<none>".
std::string OpMaskToString(uint32_t op_mask);
std::string PermMaskToString(uint32_t perm_mask);

nlohmann::json ToJson(const UserInfo& v);
// `metadata get user:<uid>`: {key, ver{tag, ver}, mtime, data{<user info>,
// attrs[{key, val(base64)}]}}. The objv and mtime come from the object.
nlohmann::json ToJsonMetadata(const UserInfo& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime,
                              const std::map<std::string, std::string>& attrs = {});
// map<string, bufferlist> as radosgw's encode_json prints it.
nlohmann::json AttrsToJson(const std::map<std::string, std::string>& attrs);

}  // namespace kelp::rgw
