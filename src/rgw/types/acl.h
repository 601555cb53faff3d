// radosgw's ACL model (rgw_acl.h): RGWAccessControlPolicy and its members,
// their Ceph encodings (what user.rgw.acl xattrs hold), radosgw-admin's JSON
// dump, canned ACLs and permission evaluation.
//
//   AccessControlPolicy p = MakeDefaultPolicy(User{"", "alice"}, "Alice");
//   std::string xattr = EncodeToString(p);
//   p.GetPermsFor(&bob, kPermRead);  // 0: bob has no grant
//
// Values; thread-compatible.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/status.h"
#include "rgw/types/common.h"

namespace kelp::rgw {

// RGW_PERM_*.
inline constexpr uint32_t kPermNone = 0;
inline constexpr uint32_t kPermRead = 1;
inline constexpr uint32_t kPermWrite = 2;
inline constexpr uint32_t kPermReadAcp = 4;
inline constexpr uint32_t kPermWriteAcp = 8;
inline constexpr uint32_t kPermFullControl = 0xF;

// ACLGroupTypeEnum.
inline constexpr uint32_t kGroupNone = 0;
inline constexpr uint32_t kGroupAllUsers = 1;
inline constexpr uint32_t kGroupAuthenticated = 2;

// ACLGranteeTypeEnum.
inline constexpr uint32_t kGranteeCanonUser = 0;
inline constexpr uint32_t kGranteeEmail = 1;
inline constexpr uint32_t kGranteeGroup = 2;
inline constexpr uint32_t kGranteeUnknown = 3;
inline constexpr uint32_t kGranteeReferer = 4;

inline constexpr std::string_view kAllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr std::string_view kAuthenticatedUsersUri =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

// ACLPermission: ENC(2,2){s32 flags}.
struct AclPermission {
  int32_t flags = 0;
  friend bool operator==(const AclPermission&, const AclPermission&) = default;
};
void Encode(Encoder& e, const AclPermission& v);
void Decode(Decoder& d, AclPermission& v);

// ACLGranteeType: ENC(2,2){u32 type}.
struct AclGranteeType {
  uint32_t type = kGranteeUnknown;
  friend bool operator==(const AclGranteeType&, const AclGranteeType&) = default;
};
void Encode(Encoder& e, const AclGranteeType& v);
void Decode(Decoder& d, AclGranteeType& v);

// ACLGrant: ENC(5,3){type, id str, uri "", email, permission, name, u32 group,
// url_spec}.
struct AclGrant {
  AclGranteeType type;
  User id;  // canonical user (empty for groups and referers)
  std::string email;
  AclPermission permission;
  std::string name;  // display name
  uint32_t group = kGroupNone;
  std::string url_spec;  // referer grants (Swift)

  static AclGrant Canon(const User& id, const std::string& name, uint32_t perm);
  static AclGrant Group(uint32_t group, uint32_t perm);
  static AclGrant Email(const std::string& email, uint32_t perm);
  friend bool operator==(const AclGrant&, const AclGrant&) = default;
};
void Encode(Encoder& e, const AclGrant& v);
void Decode(Decoder& d, AclGrant& v);

// ACLReferer: ENC(1,1){url_spec, u32 perm}.
struct AclReferer {
  std::string url_spec;
  uint32_t perm = 0;
  friend bool operator==(const AclReferer&, const AclReferer&) = default;
};
void Encode(Encoder& e, const AclReferer& v);
void Decode(Decoder& d, AclReferer& v);

// RGWAccessControlList: ENC(4,3){bool maps_initialized, map<str,s32>
// acl_user_map, multimap<str,ACLGrant> grant_map, map<u32,s32> acl_group_map,
// list<ACLReferer> referer_list}.
struct AccessControlList {
  std::map<std::string, int32_t> acl_user_map;
  std::map<uint32_t, int32_t> acl_group_map;
  std::multimap<std::string, AclGrant> grant_map;
  std::list<AclReferer> referer_list;

  // RGWAccessControlList::add_grant: records the grant under its grantee id
  // ("" for groups/referers) and ORs its permission into the lookup maps.
  void AddGrant(const AclGrant& grant);
  friend bool operator==(const AccessControlList&, const AccessControlList&) = default;
};
void Encode(Encoder& e, const AccessControlList& v);
void Decode(Decoder& d, AccessControlList& v);

// ACLOwner: ENC(3,2){id str, display_name}.
struct AclOwner {
  User id;
  std::string display_name;
  friend bool operator==(const AclOwner&, const AclOwner&) = default;
};
void Encode(Encoder& e, const AclOwner& v);
void Decode(Decoder& d, AclOwner& v);

// RGWAccessControlPolicy: ENC(2,2){owner, acl}.
struct AccessControlPolicy {
  AclOwner owner;
  AccessControlList acl;

  bool IsOwner(const User& user) const { return owner.id == user; }
  // RGWAccessControlPolicy::get_perm without referers: the user's grants
  // (by canonical id), plus READ_ACP|WRITE_ACP for the owner (radosgw lets the
  // owner always read and write the ACL), then AllUsers, then (for a non-null
  // user) AuthenticatedUsers. `user` null = anonymous. Result is within mask.
  uint32_t GetPermsFor(const User* user, uint32_t mask) const;
  friend bool operator==(const AccessControlPolicy&, const AccessControlPolicy&) = default;
};
void Encode(Encoder& e, const AccessControlPolicy& v);
void Decode(Decoder& d, AccessControlPolicy& v);

// create_default: owner plus one CanonicalUser FULL_CONTROL grant.
AccessControlPolicy MakeDefaultPolicy(const User& owner, const std::string& display_name);

// RGWAccessControlList_S3::create_canned. Unknown canned name ->
// kInvalidArgument. bucket-owner-* add the bucket owner's grant only when the
// bucket owner differs from the object owner.
Result<AccessControlPolicy> MakeCannedPolicy(const User& owner, const std::string& display_name,
                                             std::string_view canned, const User& bucket_owner,
                                             const std::string& bucket_owner_display_name);

nlohmann::json ToJson(const AclGrant& v);
nlohmann::json ToJson(const AccessControlList& v);
nlohmann::json ToJson(const AclOwner& v);
nlohmann::json ToJson(const AccessControlPolicy& v);  // {"acl": ..., "owner": ...}

}  // namespace kelp::rgw
