#include "rgw/types/acl.h"

namespace kelp::rgw {

void Encode(Encoder& e, const AclPermission& v) {
  e.Versioned(2, 2, [&] { Encode(e, v.flags); });
}
void Decode(Decoder& d, AclPermission& v) {
  d.VersionedLegacy(2, 2, 2, [&](uint8_t) { Decode(d, v.flags); });
}

void Encode(Encoder& e, const AclGranteeType& v) {
  e.Versioned(2, 2, [&] { Encode(e, v.type); });
}
void Decode(Decoder& d, AclGranteeType& v) {
  d.VersionedLegacy(2, 2, 2, [&](uint8_t) { Decode(d, v.type); });
}

AclGrant AclGrant::Canon(const User& id, const std::string& name, uint32_t perm) {
  AclGrant g;
  g.type.type = kGranteeCanonUser;
  g.id = id;
  g.name = name;
  g.permission.flags = static_cast<int32_t>(perm);
  return g;
}

AclGrant AclGrant::Group(uint32_t group, uint32_t perm) {
  AclGrant g;
  g.type.type = kGranteeGroup;
  g.group = group;
  g.permission.flags = static_cast<int32_t>(perm);
  return g;
}

AclGrant AclGrant::Email(const std::string& email, uint32_t perm) {
  AclGrant g;
  g.type.type = kGranteeEmail;
  g.email = email;
  g.permission.flags = static_cast<int32_t>(perm);
  return g;
}

namespace {
uint32_t UriToGroup(const std::string& uri) {
  if (uri == kAllUsersUri) return kGroupAllUsers;
  if (uri == kAuthenticatedUsersUri) return kGroupAuthenticated;
  return kGroupNone;
}
}  // namespace

void Encode(Encoder& e, const AclGrant& v) {
  e.Versioned(5, 3, [&] {
    Encode(e, v.type);
    e.Str(v.id.ToString());
    e.Str("");  // uri: never written by radosgw 16.2
    Encode(e, v.email);
    Encode(e, v.permission);
    Encode(e, v.name);
    Encode(e, v.group);
    Encode(e, v.url_spec);
  });
}

void Decode(Decoder& d, AclGrant& v) {
  d.VersionedLegacy(5, 3, 3, [&](uint8_t sv) {
    Decode(d, v.type);
    v.id = User::FromString(d.Str());
    std::string uri = d.Str();
    Decode(d, v.email);
    Decode(d, v.permission);
    Decode(d, v.name);
    if (sv > 1) {
      Decode(d, v.group);
    } else {
      v.group = UriToGroup(uri);
    }
    if (sv >= 5) {
      Decode(d, v.url_spec);
    } else {
      v.url_spec.clear();
    }
  });
}

void Encode(Encoder& e, const AclReferer& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.url_spec);
    Encode(e, v.perm);
  });
}
void Decode(Decoder& d, AclReferer& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.url_spec);
    Decode(d, v.perm);
  });
}

void AccessControlList::AddGrant(const AclGrant& grant) {
  std::string key;
  if (grant.type.type == kGranteeEmail) {
    key = grant.email;  // get_id() yields rgw_user(email) for e-mail grantees
  } else if (grant.type.type != kGranteeGroup && grant.type.type != kGranteeReferer) {
    key = grant.id.ToString();
  }
  grant_map.emplace(key, grant);
  auto perm = grant.permission.flags;
  switch (grant.type.type) {
    case kGranteeReferer:
      referer_list.push_back(AclReferer{grant.url_spec, static_cast<uint32_t>(perm)});
      // Swift's ".r:*" also opens the object to everybody.
      if (grant.url_spec == "*") acl_group_map[kGroupAllUsers] |= perm;
      break;
    case kGranteeGroup:
      acl_group_map[grant.group] |= perm;
      break;
    default:
      acl_user_map[key] |= perm;
  }
}

void Encode(Encoder& e, const AccessControlList& v) {
  e.Versioned(4, 3, [&] {
    Encode(e, true);  // maps_initialized
    Encode(e, v.acl_user_map);
    Encode(e, v.grant_map);
    Encode(e, v.acl_group_map);
    Encode(e, v.referer_list);
  });
}

void Decode(Decoder& d, AccessControlList& v) {
  d.VersionedLegacy(4, 3, 3, [&](uint8_t sv) {
    bool maps_initialized = d.Bool();
    Decode(d, v.acl_user_map);
    Decode(d, v.grant_map);
    if (sv >= 2) {
      Decode(d, v.acl_group_map);
    } else if (!maps_initialized) {
      // Very old ACLs carried only the grants: rebuild the lookup maps.
      auto grants = std::move(v.grant_map);
      v.grant_map.clear();
      v.acl_user_map.clear();
      for (auto& [k, g] : grants) v.AddGrant(g);
    }
    if (sv >= 4) Decode(d, v.referer_list);
  });
}

void Encode(Encoder& e, const AclOwner& v) {
  e.Versioned(3, 2, [&] {
    e.Str(v.id.ToString());
    Encode(e, v.display_name);
  });
}
void Decode(Decoder& d, AclOwner& v) {
  d.VersionedLegacy(3, 2, 2, [&](uint8_t) {
    v.id = User::FromString(d.Str());
    Decode(d, v.display_name);
  });
}

void Encode(Encoder& e, const AccessControlPolicy& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.owner);
    Encode(e, v.acl);
  });
}
void Decode(Decoder& d, AccessControlPolicy& v) {
  d.VersionedLegacy(2, 2, 2, [&](uint8_t) {
    Decode(d, v.owner);
    Decode(d, v.acl);
  });
}

uint32_t AccessControlPolicy::GetPermsFor(const User* user, uint32_t mask) const {
  uint32_t perm = 0;
  if (user) {
    auto it = acl.acl_user_map.find(user->ToString());
    if (it != acl.acl_user_map.end()) perm = static_cast<uint32_t>(it->second) & mask;
    if (IsOwner(*user)) perm |= mask & (kPermReadAcp | kPermWriteAcp);
  }
  if (perm == mask) return perm;
  auto group_perm = [&](uint32_t group) -> uint32_t {
    auto it = acl.acl_group_map.find(group);
    return it == acl.acl_group_map.end() ? 0 : static_cast<uint32_t>(it->second) & mask;
  };
  perm |= group_perm(kGroupAllUsers);
  if (user && user->id != "anonymous") perm |= group_perm(kGroupAuthenticated);
  return perm;
}

AccessControlPolicy MakeDefaultPolicy(const User& owner, const std::string& display_name) {
  AccessControlPolicy p;
  p.owner = AclOwner{owner, display_name};
  p.acl.AddGrant(AclGrant::Canon(owner, display_name, kPermFullControl));
  return p;
}

Result<AccessControlPolicy> MakeCannedPolicy(const User& owner, const std::string& display_name,
                                             std::string_view canned, const User& bucket_owner,
                                             const std::string& bucket_owner_display_name) {
  AccessControlPolicy p = MakeDefaultPolicy(owner, display_name);
  if (canned.empty() || canned == "private") return p;
  if (canned == "public-read") {
    p.acl.AddGrant(AclGrant::Group(kGroupAllUsers, kPermRead));
  } else if (canned == "public-read-write") {
    p.acl.AddGrant(AclGrant::Group(kGroupAllUsers, kPermRead));
    p.acl.AddGrant(AclGrant::Group(kGroupAllUsers, kPermWrite));
  } else if (canned == "authenticated-read") {
    p.acl.AddGrant(AclGrant::Group(kGroupAuthenticated, kPermRead));
  } else if (canned == "bucket-owner-read") {
    if (!(bucket_owner == owner)) {
      p.acl.AddGrant(AclGrant::Canon(bucket_owner, bucket_owner_display_name, kPermRead));
    }
  } else if (canned == "bucket-owner-full-control") {
    if (!(bucket_owner == owner)) {
      p.acl.AddGrant(AclGrant::Canon(bucket_owner, bucket_owner_display_name, kPermFullControl));
    }
  } else {
    return Status(Code::kInvalidArgument, "unknown canned ACL: " + std::string(canned));
  }
  return p;
}

nlohmann::json ToJson(const AclGrant& v) {
  return {{"type", {{"type", v.type.type}}},
          {"id", v.id.ToString()},
          {"email", v.email},
          {"permission", {{"flags", v.permission.flags}}},
          {"name", v.name},
          {"group", v.group},
          {"url_spec", v.url_spec}};
}

nlohmann::json ToJson(const AccessControlList& v) {
  nlohmann::json users = nlohmann::json::array();
  for (const auto& [u, perm] : v.acl_user_map) users.push_back({{"user", u}, {"acl", perm}});
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& [g, perm] : v.acl_group_map) groups.push_back({{"group", g}, {"acl", perm}});
  nlohmann::json grants = nlohmann::json::array();
  for (const auto& [id, g] : v.grant_map) grants.push_back({{"id", id}, {"grant", ToJson(g)}});
  return {{"acl_user_map", users}, {"acl_group_map", groups}, {"grant_map", grants}};
}

nlohmann::json ToJson(const AclOwner& v) {
  return {{"id", v.id.ToString()}, {"display_name", v.display_name}};
}

nlohmann::json ToJson(const AccessControlPolicy& v) {
  return {{"acl", ToJson(v.acl)}, {"owner", ToJson(v.owner)}};
}

}  // namespace kelp::rgw
