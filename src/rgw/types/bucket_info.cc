#include "rgw/types/bucket_info.h"

#include "rgw/types/user_info.h"

namespace kelp::rgw {

std::string TakeEnvelope(Decoder& d) {
  std::string out;
  Encoder e(&out);
  e.U8(d.U8());
  e.U8(d.U8());
  uint32_t len = d.U32();
  e.U32(len);
  std::string_view body = d.Take(len);
  out.append(body.data(), body.size());
  return out;
}

// ---- layout ----
void Encode(Encoder& e, const BucketIndexNormalLayout& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.num_shards);
    Encode(e, v.hash_type);
  });
}
void Decode(Decoder& d, BucketIndexNormalLayout& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.num_shards);
    Decode(d, v.hash_type);
  });
}

void Encode(Encoder& e, const BucketIndexLayout& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.type);
    if (v.type == kBucketIndexNormal) Encode(e, v.normal);
  });
}
void Decode(Decoder& d, BucketIndexLayout& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.type);
    if (v.type == kBucketIndexNormal) Decode(d, v.normal);
  });
}

void Encode(Encoder& e, const BucketIndexLayoutGeneration& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.gen);
    Encode(e, v.layout);
  });
}
void Decode(Decoder& d, BucketIndexLayoutGeneration& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.gen);
    Decode(d, v.layout);
  });
}

void Encode(Encoder& e, const BucketIndexLogLayout& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.gen);
    Encode(e, v.layout);
  });
}
void Decode(Decoder& d, BucketIndexLogLayout& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.gen);
    Decode(d, v.layout);
  });
}

void Encode(Encoder& e, const BucketLogLayout& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.type);
    if (v.type == kBucketLogInIndex) Encode(e, v.in_index);
  });
}
void Decode(Decoder& d, BucketLogLayout& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.type);
    if (v.type == kBucketLogInIndex) Decode(d, v.in_index);
  });
}

void Encode(Encoder& e, const BucketLogLayoutGeneration& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.gen);
    Encode(e, v.layout);
  });
}
void Decode(Decoder& d, BucketLogLayoutGeneration& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.gen);
    Decode(d, v.layout);
  });
}

void Encode(Encoder& e, const BucketLayout& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.resharding);
    Encode(e, v.current_index);
    Encode(e, v.target_index);
    Encode(e, v.logs);
  });
}
void Decode(Decoder& d, BucketLayout& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.resharding);
    Decode(d, v.current_index);
    Decode(d, v.target_index);
    if (sv >= 2) {
      Decode(d, v.logs);
    } else {
      v.logs.clear();
    }
  });
}

namespace {
BucketLogLayoutGeneration LogFromIndex(uint64_t gen, const BucketIndexNormalLayout& index) {
  BucketLogLayoutGeneration log;
  log.gen = gen;
  log.layout.type = kBucketLogInIndex;
  log.layout.in_index.gen = gen;
  log.layout.in_index.layout = index;
  return log;
}
}  // namespace

BucketLayout MakeDefaultBucketLayout(uint32_t num_shards) {
  BucketLayout l;
  l.current_index.layout.type = kBucketIndexNormal;
  l.current_index.layout.normal.num_shards = num_shards;
  l.current_index.layout.normal.hash_type = kBucketHashMod;
  l.logs.push_back(LogFromIndex(0, l.current_index.layout.normal));
  return l;
}

// ---- BucketInfo ----
void Encode(Encoder& e, const BucketInfo& v) {
  e.Versioned(23, 4, [&] {
    Encode(e, v.bucket);
    e.Str(v.owner.id);
    Encode(e, v.flags);
    Encode(e, v.zonegroup);
    e.U64(v.creation_time.sec);  // time_t ct
    Encode(e, v.placement_rule);
    Encode(e, v.has_instance_obj);
    Encode(e, v.quota);
    Encode(e, v.requester_pays);
    Encode(e, v.owner.tenant);
    Encode(e, v.has_website);
    if (v.has_website) e.Raw(v.website_conf_raw.data(), v.website_conf_raw.size());
    Encode(e, v.swift_versioning);
    if (v.swift_versioning) Encode(e, v.swift_ver_location);
    Encode(e, v.creation_time);
    Encode(e, v.mdsearch_config);
    Encode(e, v.reshard_status);
    Encode(e, v.new_bucket_instance_id);
    if (v.flags & kBucketObjLockEnabled) e.Raw(v.obj_lock_raw.data(), v.obj_lock_raw.size());
    Encode(e, v.sync_policy_raw.has_value());
    if (v.sync_policy_raw) e.Raw(v.sync_policy_raw->data(), v.sync_policy_raw->size());
    Encode(e, v.layout);
    Encode(e, v.owner.ns);
  });
}

void Decode(Decoder& d, BucketInfo& v) {
  v = BucketInfo{};
  d.VersionedLegacy32(23, 4, 4, [&](uint8_t sv) {
    constexpr uint8_t kNewLayoutV = 22;
    Decode(d, v.bucket);
    if (sv >= 2) v.owner = User::FromString(d.Str());
    if (sv >= 3) Decode(d, v.flags);
    if (sv >= 5) Decode(d, v.zonegroup);
    if (sv >= 6) {
      uint64_t ct = d.U64();
      if (sv < 17) v.creation_time = CephTime{static_cast<uint32_t>(ct), 0};
    }
    if (sv >= 7) Decode(d, v.placement_rule);
    if (sv >= 8) Decode(d, v.has_instance_obj);
    if (sv >= 9) Decode(d, v.quota);
    auto& normal = v.layout.current_index.layout.normal;
    if (sv >= 10 && sv < kNewLayoutV) Decode(d, normal.num_shards);
    if (sv >= 11 && sv < kNewLayoutV) Decode(d, normal.hash_type);
    if (sv >= 12) Decode(d, v.requester_pays);
    if (sv >= 13) Decode(d, v.owner.tenant);
    if (sv >= 14) {
      Decode(d, v.has_website);
      if (v.has_website) v.website_conf_raw = TakeEnvelope(d);
    }
    if (sv >= 15 && sv < kNewLayoutV) {
      v.layout.current_index.layout.type = static_cast<uint8_t>(d.U32());
    }
    if (sv >= 16) {
      Decode(d, v.swift_versioning);
      if (v.swift_versioning) Decode(d, v.swift_ver_location);
    }
    if (sv >= 17) Decode(d, v.creation_time);
    if (sv >= 18) Decode(d, v.mdsearch_config);
    if (sv >= 19) {
      Decode(d, v.reshard_status);
      Decode(d, v.new_bucket_instance_id);
    }
    if (sv >= 20 && (v.flags & kBucketObjLockEnabled)) v.obj_lock_raw = TakeEnvelope(d);
    if (sv >= 21) {
      if (d.Bool()) v.sync_policy_raw = TakeEnvelope(d);
    }
    if (sv >= 22) Decode(d, v.layout);
    if (sv >= 23) Decode(d, v.owner.ns);
    if (v.layout.logs.empty() && v.layout.current_index.layout.type == kBucketIndexNormal) {
      v.layout.logs.push_back(LogFromIndex(0, normal));
    }
  });
}

// ---- BucketEntryPoint ----
void Encode(Encoder& e, const BucketEntryPoint& v) {
  e.Versioned(10, 8, [&] {
    Encode(e, v.bucket);
    Encode(e, v.owner.id);
    Encode(e, v.linked);
    e.U64(v.creation_time.sec);
    Encode(e, v.owner);
    Encode(e, v.creation_time);
  });
}

void Decode(Decoder& d, BucketEntryPoint& v) {
  v = BucketEntryPoint{};
  Decoder probe = d;
  if (probe.U8() < 8) {
    // The entry point of a very old bucket is the bucket info itself.
    v.old_bucket_info.emplace();
    Decode(d, *v.old_bucket_info);
    v.has_bucket_info = true;
    v.bucket = v.old_bucket_info->bucket;
    v.owner = v.old_bucket_info->owner;
    v.creation_time = v.old_bucket_info->creation_time;
    return;
  }
  d.VersionedLegacy32(10, 4, 4, [&](uint8_t sv) {
    Decode(d, v.bucket);
    Decode(d, v.owner.id);
    Decode(d, v.linked);
    uint64_t ctime = d.U64();
    if (sv < 10) v.creation_time = CephTime{static_cast<uint32_t>(ctime), 0};
    if (sv >= 9) Decode(d, v.owner);
    if (sv >= 10) Decode(d, v.creation_time);
  });
}

std::string BucketEntryPointOid(const Bucket& b) { return b.GetKey(); }

std::string BucketInstanceOid(const Bucket& b) {
  std::string key = b.tenant.empty() ? b.name : b.tenant + ":" + b.name;
  return ".bucket.meta." + key + ":" + b.bucket_id;
}

// ---- JSON ----
nlohmann::json ToJson(const BucketInfo& v) {
  nlohmann::json md = nlohmann::json::array();
  for (const auto& [k, val] : v.mdsearch_config) md.push_back({{"key", k}, {"val", val}});
  nlohmann::json j = {
      {"bucket", ToJson(v.bucket)},
      {"creation_time", FormatTime(v.creation_time)},
      {"owner", v.owner.ToString()},
      {"flags", v.flags},
      {"zonegroup", v.zonegroup},
      {"placement_rule", v.placement_rule.ToString()},
      {"has_instance_obj", JsonBoolString(v.has_instance_obj)},
      {"quota", ToJson(v.quota)},
      {"num_shards", v.layout.current_index.layout.normal.num_shards},
      {"bi_shard_hash_type", v.layout.current_index.layout.normal.hash_type},
      {"requester_pays", JsonBoolString(v.requester_pays)},
      {"has_website", JsonBoolString(v.has_website)},
      {"swift_versioning", JsonBoolString(v.swift_versioning)},
      {"swift_ver_location", v.swift_ver_location},
      {"index_type", v.layout.current_index.layout.type},
      {"mdsearch_config", md},
      {"reshard_status", v.reshard_status},
      {"new_bucket_instance_id", v.new_bucket_instance_id}};
  // website_conf and sync_policy are kept raw; their JSON is not rendered.
  return j;
}

nlohmann::json ToJson(const BucketEntryPoint& v) {
  nlohmann::json j = {{"bucket", ToJson(v.bucket)},
                      {"owner", v.owner.ToString()},
                      {"creation_time", FormatTime(v.creation_time)},
                      {"linked", JsonBoolString(v.linked)},
                      {"has_bucket_info", JsonBoolString(v.has_bucket_info)}};
  if (v.has_bucket_info && v.old_bucket_info) j["old_bucket_info"] = ToJson(*v.old_bucket_info);
  return j;
}

nlohmann::json ToJsonMetadata(const BucketEntryPoint& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime) {
  return {{"key", "bucket:" + v.bucket.GetKey()},
          {"ver", {{"tag", ver_tag}, {"ver", ver}}},
          {"mtime", FormatTime(mtime)},
          {"data", ToJson(v)}};
}

nlohmann::json ToJsonMetadata(const BucketInfo& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime,
                              const std::map<std::string, std::string>& attrs) {
  return {{"key", "bucket.instance:" + v.bucket.GetInstanceKey()},
          {"ver", {{"tag", ver_tag}, {"ver", ver}}},
          {"mtime", FormatTime(mtime)},
          {"data", {{"bucket_info", ToJson(v)}, {"attrs", AttrsToJson(attrs)}}}};
}

}  // namespace kelp::rgw
