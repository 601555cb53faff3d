#include "rgw/types/user_info.h"

#include "base/crypto.h"
#include "rgw/types/acl.h"

namespace kelp::rgw {

void Encode(Encoder& e, const AccessKey& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.id);
    Encode(e, v.key);
    Encode(e, v.subuser);
  });
}
void Decode(Decoder& d, AccessKey& v) {
  d.VersionedLegacy32(2, 2, 2, [&](uint8_t sv) {
    Decode(d, v.id);
    Decode(d, v.key);
    if (sv >= 2) Decode(d, v.subuser);
  });
}

void Encode(Encoder& e, const SubUser& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.name);
    Encode(e, v.perm_mask);
  });
}
void Decode(Decoder& d, SubUser& v) {
  d.VersionedLegacy32(2, 2, 2, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.perm_mask);
  });
}

void Encode(Encoder& e, const UserCaps& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.caps); });
}
void Decode(Decoder& d, UserCaps& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.caps); });
}

void Encode(Encoder& e, const UserInfo& v) {
  e.Versioned(22, 9, [&] {
    e.U64(0);  // old auid
    // The first access/swift key is also written in the legacy slots.
    const AccessKey* first = v.access_keys.empty() ? nullptr : &v.access_keys.begin()->second;
    e.Str(first ? first->id : "");
    e.Str(first ? first->key : "");
    Encode(e, v.display_name);
    Encode(e, v.user_email);
    const AccessKey* swift = v.swift_keys.empty() ? nullptr : &v.swift_keys.begin()->second;
    e.Str(swift ? swift->id : "");
    e.Str(swift ? swift->key : "");
    Encode(e, v.user_id.id);
    Encode(e, v.access_keys);
    Encode(e, v.subusers);
    Encode(e, v.suspended);
    Encode(e, v.swift_keys);
    Encode(e, v.max_buckets);
    Encode(e, v.caps);
    Encode(e, v.op_mask);
    Encode(e, v.system);
    Encode(e, v.default_placement);
    Encode(e, v.placement_tags);
    Encode(e, v.bucket_quota);
    Encode(e, v.temp_url_keys);
    Encode(e, v.user_quota);
    Encode(e, v.user_id.tenant);
    Encode(e, v.admin);
    Encode(e, v.type);
    Encode(e, v.mfa_ids);
    Encode(e, v.assumed_role_arn);
    Encode(e, v.user_id.ns);
  });
}

void Decode(Decoder& d, UserInfo& v) {
  v = UserInfo{};
  d.VersionedLegacy32(22, 9, 9, [&](uint8_t sv) {
    if (sv >= 2) (void)d.U64();  // old auid
    std::string access_key = d.Str();
    std::string secret_key = d.Str();
    if (sv < 6) v.access_keys[access_key] = AccessKey{access_key, secret_key, ""};
    Decode(d, v.display_name);
    Decode(d, v.user_email);
    if (sv >= 3) (void)d.Str();  // swift_name (rebuilt from swift_keys)
    if (sv >= 4) (void)d.Str();  // swift_key
    if (sv >= 5) {
      Decode(d, v.user_id.id);
    } else {
      v.user_id.id = access_key;
    }
    if (sv >= 6) {
      Decode(d, v.access_keys);
      Decode(d, v.subusers);
    }
    if (sv >= 7) Decode(d, v.suspended);
    if (sv >= 8) Decode(d, v.swift_keys);
    if (sv >= 10) Decode(d, v.max_buckets);
    if (sv >= 11) Decode(d, v.caps);
    if (sv >= 12) Decode(d, v.op_mask);
    if (sv >= 13) {
      Decode(d, v.system);
      Decode(d, v.default_placement);
      Decode(d, v.placement_tags);
    }
    if (sv >= 14) Decode(d, v.bucket_quota);
    if (sv >= 15) Decode(d, v.temp_url_keys);
    if (sv >= 16) Decode(d, v.user_quota);
    if (sv >= 17) Decode(d, v.user_id.tenant);
    if (sv >= 18) Decode(d, v.admin);
    if (sv >= 19) Decode(d, v.type);
    if (sv >= 20) Decode(d, v.mfa_ids);
    if (sv >= 21) Decode(d, v.assumed_role_arn);
    if (sv >= 22) Decode(d, v.user_id.ns);
  });
}

std::string EncodeUid(const User& uid) {
  std::string out;
  Encoder e(&out);
  e.Str(uid.ToString());
  return out;
}

Result<User> DecodeUid(std::string_view data) {
  Decoder d(data);
  std::string s = d.Str();
  if (!d.ok()) return d.status().Annotate("decoding a user id");
  return User::FromString(s);
}

std::string EncodeUserObject(const UserInfo& info) {
  std::string out = EncodeUid(info.user_id);
  Encoder e(&out);
  Encode(e, info);
  return out;
}

Status DecodeUserObject(std::string_view data, UserInfo* info) {
  Decoder d(data);
  std::string uid = d.Str();
  Decode(d, *info);
  if (!d.ok()) return d.status();
  if (uid != info->user_id.ToString()) {
    return Status::Corruption("user id mismatch: " + uid + " vs " + info->user_id.ToString());
  }
  return Status::OK();
}

namespace {
struct FlagName {
  uint32_t mask;
  const char* name;
};

// radosgw's mask_to_str: greedy over the table, joined by ", ".
std::string MaskToString(const FlagName* table, uint32_t mask) {
  if (!mask) return "<none>";
  std::string out;
  while (mask) {
    uint32_t orig = mask;
    for (int i = 0; table[i].mask; ++i) {
      if ((mask & table[i].mask) == table[i].mask) {
        if (!out.empty()) out += ", ";
        out += table[i].name;
        mask &= ~table[i].mask;
        if (!mask) return out;
      }
    }
    if (mask == orig) break;
  }
  return out;
}

constexpr FlagName kPermNames[] = {{kPermFullControl, "full-control"},
                                   {kPermRead | kPermWrite, "read-write"},
                                   {kPermRead, "read"},
                                   {kPermWrite, "write"},
                                   {kPermReadAcp, "read-acp"},
                                   {kPermWriteAcp, "write-acp"},
                                   {0, nullptr}};
constexpr FlagName kOpNames[] = {
    {kOpTypeRead, "read"}, {kOpTypeWrite, "write"}, {kOpTypeDelete, "delete"}, {0, nullptr}};

std::string CapPermString(uint32_t perm) {
  // RGWUserCaps::dump: "*" for read+write, else "read"/"write".
  constexpr FlagName kCapNames[] = {{3, "*"}, {1, "read"}, {2, "write"}, {0, nullptr}};
  std::string out;
  for (int i = 0; kCapNames[i].mask; ++i) {
    if ((perm & kCapNames[i].mask) == kCapNames[i].mask) {
      if (!out.empty()) out += ", ";
      out += kCapNames[i].name;
      perm &= ~kCapNames[i].mask;
    }
  }
  return out.empty() ? "<none>" : out;
}

const char* TypeName(uint32_t type) {
  switch (type) {
    case kUserTypeRgw: return "rgw";
    case kUserTypeKeystone: return "keystone";
    case kUserTypeLdap: return "ldap";
    default: return "none";
  }
}
}  // namespace

std::string OpMaskToString(uint32_t op_mask) { return MaskToString(kOpNames, op_mask); }
std::string PermMaskToString(uint32_t perm_mask) { return MaskToString(kPermNames, perm_mask); }

nlohmann::json ToJson(const UserInfo& v) {
  using nlohmann::json;
  std::string uid = v.user_id.ToString();
  json subusers = json::array();
  for (const auto& [name, su] : v.subusers) {
    subusers.push_back({{"id", uid + ":" + su.name}, {"permissions", PermMaskToString(su.perm_mask)}});
  }
  auto key_user = [&](const AccessKey& k) {
    return k.subuser.empty() ? uid : uid + ":" + k.subuser;
  };
  json keys = json::array();
  for (const auto& [id, k] : v.access_keys) {
    keys.push_back({{"user", key_user(k)}, {"access_key", k.id}, {"secret_key", k.key}});
  }
  json swift_keys = json::array();
  for (const auto& [id, k] : v.swift_keys) {
    swift_keys.push_back({{"user", key_user(k)}, {"secret_key", k.key}});
  }
  json caps = json::array();
  for (const auto& [type, perm] : v.caps.caps) {
    caps.push_back({{"type", type}, {"perm", CapPermString(perm)}});
  }
  json temp_url_keys = json::array();
  for (const auto& [k, val] : v.temp_url_keys) temp_url_keys.push_back({{"key", k}, {"val", val}});
  json j = {{"user_id", uid},
            {"display_name", v.display_name},
            {"email", v.user_email},
            {"suspended", static_cast<int>(v.suspended)},
            {"max_buckets", v.max_buckets},
            {"subusers", subusers},
            {"keys", keys},
            {"swift_keys", swift_keys},
            {"caps", caps},
            {"op_mask", OpMaskToString(v.op_mask)},
            {"default_placement", v.default_placement.name},
            {"default_storage_class", v.default_placement.storage_class},
            {"placement_tags", v.placement_tags},
            {"bucket_quota", ToJson(v.bucket_quota)},
            {"user_quota", ToJson(v.user_quota)},
            {"temp_url_keys", temp_url_keys},
            {"type", TypeName(v.type)},
            {"mfa_ids", v.mfa_ids}};
  // Shown only when set ("no need to show it for every user").
  if (v.system) j["system"] = "true";
  if (v.admin) j["admin"] = "true";
  return j;
}

nlohmann::json AttrsToJson(const std::map<std::string, std::string>& attrs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& [k, val] : attrs) a.push_back({{"key", k}, {"val", Base64Encode(val)}});
  return a;
}

nlohmann::json ToJsonMetadata(const UserInfo& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime,
                              const std::map<std::string, std::string>& attrs) {
  nlohmann::json data = ToJson(v);
  data["attrs"] = AttrsToJson(attrs);
  return {{"key", "user:" + v.user_id.ToString()},
          {"ver", {{"tag", ver_tag}, {"ver", ver}}},
          {"mtime", FormatTime(mtime)},
          {"data", data}};
}

}  // namespace kelp::rgw
