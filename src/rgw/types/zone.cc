#include "rgw/types/zone.h"

#include "rgw/types/bucket_info.h"  // TakeEnvelope

namespace kelp::rgw {

void Encode(Encoder& e, const SystemMetaObj& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.id);
    Encode(e, v.name);
  });
}
void Decode(Decoder& d, SystemMetaObj& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.id);
    Decode(d, v.name);
  });
}

void Encode(Encoder& e, const NameToId& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.obj_id); });
}
void Decode(Decoder& d, NameToId& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.obj_id); });
}

void Encode(Encoder& e, const ZoneStorageClass& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.data_pool);
    Encode(e, v.compression_type);
  });
}
void Decode(Decoder& d, ZoneStorageClass& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.data_pool);
    Decode(d, v.compression_type);
  });
}

void Encode(Encoder& e, const ZoneStorageClasses& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.m); });
}
void Decode(Decoder& d, ZoneStorageClasses& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.m); });
}

Pool ZonePlacementInfo::DataPool(const std::string& storage_class) const {
  auto it = storage_classes.m.find(storage_class.empty() ? kStorageClassStandard : storage_class);
  if (it == storage_classes.m.end()) it = storage_classes.m.find(kStorageClassStandard);
  if (it == storage_classes.m.end() || !it->second.data_pool) return {};
  return *it->second.data_pool;
}

void Encode(Encoder& e, const ZonePlacementInfo& v) {
  e.Versioned(7, 1, [&] {
    e.Str(v.index_pool.ToString());
    e.Str(v.DataPool().ToString());
    e.Str(v.data_extra_pool.ToString());
    Encode(e, v.index_type);
    auto it = v.storage_classes.m.find(kStorageClassStandard);
    std::string compression;
    if (it != v.storage_classes.m.end() && it->second.compression_type) {
      compression = *it->second.compression_type;
    }
    Encode(e, compression);
    Encode(e, v.storage_classes);
  });
}

void Decode(Decoder& d, ZonePlacementInfo& v) {
  d.Versioned(7, [&](uint8_t sv) {
    v.index_pool = Pool::FromString(d.Str());
    Pool standard = Pool::FromString(d.Str());
    if (sv >= 4) v.data_extra_pool = Pool::FromString(d.Str());
    if (sv >= 5) Decode(d, v.index_type);
    std::string compression;
    if (sv >= 6) Decode(d, compression);
    if (sv >= 7) {
      Decode(d, v.storage_classes);
    } else {
      ZoneStorageClass& sc = v.storage_classes.m[kStorageClassStandard];
      sc.data_pool = standard;
      if (!compression.empty()) sc.compression_type = compression;
    }
  });
}

void Encode(Encoder& e, const ZoneParams& v) {
  e.Versioned(14, 1, [&] {
    for (const Pool* p : {&v.domain_root, &v.control_pool, &v.gc_pool, &v.log_pool,
                          &v.intent_log_pool, &v.usage_log_pool, &v.user_keys_pool,
                          &v.user_email_pool, &v.user_swift_pool, &v.user_uid_pool}) {
      Encode(e, *p);
    }
    Encode(e, v.meta);
    Encode(e, v.system_key);
    Encode(e, v.placement_pools);
    Encode(e, Pool{});  // unused metadata_heap
    Encode(e, v.realm_id);
    Encode(e, v.lc_pool);
    Encode(e, std::map<std::string, std::string>{});  // old tier_config
    Encode(e, v.roles_pool);
    Encode(e, v.reshard_pool);
    Encode(e, v.otp_pool);
    if (v.tier_config_raw.empty()) {
      // An empty JSONFormattable: ENC(2,1){u8 type 0, "", [], {}, false}.
      e.Versioned(2, 1, [&] {
        e.U8(0);
        e.Str("");
        e.U32(0);
        e.U32(0);
        e.Bool(false);
      });
    } else {
      e.Raw(v.tier_config_raw.data(), v.tier_config_raw.size());
    }
    Encode(e, v.oidc_pool);
    Encode(e, v.notif_pool);
  });
}

void Decode(Decoder& d, ZoneParams& v) {
  v = ZoneParams{};
  d.Versioned(14, [&](uint8_t sv) {
    for (Pool* p : {&v.domain_root, &v.control_pool, &v.gc_pool, &v.log_pool,
                    &v.intent_log_pool, &v.usage_log_pool, &v.user_keys_pool, &v.user_email_pool,
                    &v.user_swift_pool, &v.user_uid_pool}) {
      Decode(d, *p);
    }
    if (sv >= 6) {
      Decode(d, v.meta);
    } else if (sv >= 2) {
      Decode(d, v.meta.name);
      v.meta.id = v.meta.name;
    }
    if (sv >= 3) Decode(d, v.system_key);
    if (sv >= 4) Decode(d, v.placement_pools);
    if (sv >= 5) {
      Pool unused;
      Decode(d, unused);
    }
    if (sv >= 6) Decode(d, v.realm_id);
    const std::string& log = v.log_pool.name;
    const std::string& name = v.meta.name;
    if (sv >= 7) {
      Decode(d, v.lc_pool);
    } else {
      v.lc_pool = Pool{log, "lc"};
    }
    if (sv >= 8) {
      std::map<std::string, std::string> old_tier_config;
      Decode(d, old_tier_config);
    }
    if (sv >= 9) {
      Decode(d, v.roles_pool);
    } else {
      v.roles_pool = Pool{name + ".rgw.meta", "roles"};
    }
    if (sv >= 10) {
      Decode(d, v.reshard_pool);
    } else {
      v.reshard_pool = Pool{log, "reshard"};
    }
    if (sv >= 11) {
      Decode(d, v.otp_pool);
    } else {
      v.otp_pool = Pool{name + ".rgw.otp", ""};
    }
    if (sv >= 12) v.tier_config_raw = TakeEnvelope(d);
    if (sv >= 13) {
      Decode(d, v.oidc_pool);
    } else {
      v.oidc_pool = Pool{name + ".rgw.meta", "oidc"};
    }
    if (sv >= 14) {
      Decode(d, v.notif_pool);
    } else {
      v.notif_pool = Pool{log, "notif"};
    }
  });
}

void Encode(Encoder& e, const Zone& v) {
  e.Versioned(7, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.endpoints);
    Encode(e, v.log_meta);
    Encode(e, v.log_data);
    Encode(e, v.bucket_index_max_shards);
    Encode(e, v.id);
    Encode(e, v.read_only);
    Encode(e, v.tier_type);
    Encode(e, v.sync_from_all);
    Encode(e, v.sync_from);
    Encode(e, v.redirect_zone);
  });
}

void Decode(Decoder& d, Zone& v) {
  v = Zone{};
  d.Versioned(7, [&](uint8_t sv) {
    Decode(d, v.name);
    if (sv < 4) v.id = v.name;
    Decode(d, v.endpoints);
    if (sv >= 2) {
      Decode(d, v.log_meta);
      Decode(d, v.log_data);
    }
    if (sv >= 3) Decode(d, v.bucket_index_max_shards);
    if (sv >= 4) Decode(d, v.id);
    if (sv >= 5) Decode(d, v.read_only);
    if (sv >= 6) Decode(d, v.tier_type);
    if (sv >= 7) {
      Decode(d, v.sync_from_all);
      Decode(d, v.sync_from);
      Decode(d, v.redirect_zone);
    }
  });
}

std::set<std::string> ZoneGroupPlacementTarget::EffectiveStorageClasses() const {
  if (storage_classes.empty()) return {kStorageClassStandard};
  return storage_classes;
}

void Encode(Encoder& e, const ZoneGroupPlacementTarget& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.tags);
    Encode(e, v.storage_classes);
  });
}
void Decode(Decoder& d, ZoneGroupPlacementTarget& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.name);
    Decode(d, v.tags);
    if (sv >= 2) Decode(d, v.storage_classes);
  });
}

void Encode(Encoder& e, const ZoneGroup& v) {
  e.Versioned(5, 1, [&] {
    Encode(e, v.meta.name);
    Encode(e, v.api_name);
    Encode(e, v.is_master);
    Encode(e, v.endpoints);
    Encode(e, v.master_zone);
    Encode(e, v.zones);
    Encode(e, v.placement_targets);
    Encode(e, v.default_placement);
    Encode(e, v.hostnames);
    Encode(e, v.hostnames_s3website);
    Encode(e, v.meta);
    Encode(e, v.realm_id);
    if (v.sync_policy_raw.empty()) {
      e.Versioned(1, 1, [&] { e.U32(0); });  // rgw_sync_policy_info{no groups}
    } else {
      e.Raw(v.sync_policy_raw.data(), v.sync_policy_raw.size());
    }
  });
}

void Decode(Decoder& d, ZoneGroup& v) {
  v = ZoneGroup{};
  d.Versioned(5, [&](uint8_t sv) {
    Decode(d, v.meta.name);
    Decode(d, v.api_name);
    Decode(d, v.is_master);
    Decode(d, v.endpoints);
    Decode(d, v.master_zone);
    Decode(d, v.zones);
    Decode(d, v.placement_targets);
    Decode(d, v.default_placement);
    if (sv >= 2) Decode(d, v.hostnames);
    if (sv >= 3) Decode(d, v.hostnames_s3website);
    if (sv >= 4) {
      Decode(d, v.meta);
      Decode(d, v.realm_id);
    } else {
      v.meta.id = v.meta.name;
    }
    if (sv >= 5) v.sync_policy_raw = TakeEnvelope(d);
  });
}

ZoneParams DefaultZoneParams(const std::string& id, const std::string& name) {
  ZoneParams z;
  z.meta = SystemMetaObj{id, name};
  const std::string meta = name + ".rgw.meta";
  const std::string log = name + ".rgw.log";
  z.domain_root = Pool{meta, "root"};
  z.control_pool = Pool{name + ".rgw.control", ""};
  z.gc_pool = Pool{log, "gc"};
  z.lc_pool = Pool{log, "lc"};
  z.log_pool = Pool{log, ""};
  z.intent_log_pool = Pool{log, "intent"};
  z.usage_log_pool = Pool{log, "usage"};
  z.user_keys_pool = Pool{meta, "users.keys"};
  z.user_email_pool = Pool{meta, "users.email"};
  z.user_swift_pool = Pool{meta, "users.swift"};
  z.user_uid_pool = Pool{meta, "users.uid"};
  z.roles_pool = Pool{meta, "roles"};
  z.reshard_pool = Pool{log, "reshard"};
  z.otp_pool = Pool{name + ".rgw.otp", ""};
  z.oidc_pool = Pool{meta, "oidc"};
  z.notif_pool = Pool{log, "notif"};
  ZonePlacementInfo p;
  p.index_pool = Pool{name + ".rgw.buckets.index", ""};
  p.data_extra_pool = Pool{name + ".rgw.buckets.non-ec", ""};
  p.storage_classes.m[kStorageClassStandard].data_pool = Pool{name + ".rgw.buckets.data", ""};
  z.placement_pools[kDefaultPlacement] = p;
  return z;
}

ZoneGroup DefaultZoneGroup(const std::string& zg_id, const std::string& zone_id,
                           const std::string& name, const std::string& zone_name) {
  ZoneGroup g;
  g.meta = SystemMetaObj{zg_id, name};
  g.api_name = name;
  g.is_master = true;
  g.master_zone = zone_id;
  Zone& z = g.zones[zone_id];
  z.id = zone_id;
  z.name = zone_name;
  // log_data = (zones > 1): false for a lone zone.
  ZoneGroupPlacementTarget& t = g.placement_targets[kDefaultPlacement];
  t.name = kDefaultPlacement;
  g.default_placement = PlacementRule{kDefaultPlacement, ""};
  return g;
}

// ---- JSON ----
namespace {
nlohmann::json ToJson(const ZonePlacementInfo& v) {
  nlohmann::json sc = nlohmann::json::object();
  for (const auto& [name, c] : v.storage_classes.m) {
    nlohmann::json j = nlohmann::json::object();
    if (c.data_pool) j["data_pool"] = c.data_pool->ToString();
    if (c.compression_type) j["compression_type"] = *c.compression_type;
    sc[name] = j;
  }
  return {{"index_pool", v.index_pool.ToString()},
          {"storage_classes", sc},
          {"data_extra_pool", v.data_extra_pool.ToString()},
          {"index_type", v.index_type}};
}
}  // namespace

nlohmann::json ToJson(const ZoneParams& v) {
  nlohmann::json placement = nlohmann::json::array();
  for (const auto& [k, p] : v.placement_pools) placement.push_back({{"key", k}, {"val", ToJson(p)}});
  return {{"id", v.meta.id},
          {"name", v.meta.name},
          {"domain_root", v.domain_root.ToString()},
          {"control_pool", v.control_pool.ToString()},
          {"gc_pool", v.gc_pool.ToString()},
          {"lc_pool", v.lc_pool.ToString()},
          {"log_pool", v.log_pool.ToString()},
          {"intent_log_pool", v.intent_log_pool.ToString()},
          {"usage_log_pool", v.usage_log_pool.ToString()},
          {"roles_pool", v.roles_pool.ToString()},
          {"reshard_pool", v.reshard_pool.ToString()},
          {"user_keys_pool", v.user_keys_pool.ToString()},
          {"user_email_pool", v.user_email_pool.ToString()},
          {"user_swift_pool", v.user_swift_pool.ToString()},
          {"user_uid_pool", v.user_uid_pool.ToString()},
          {"otp_pool", v.otp_pool.ToString()},
          {"system_key", {{"access_key", v.system_key.id}, {"secret_key", v.system_key.key}}},
          {"placement_pools", placement},
          {"realm_id", v.realm_id},
          {"notif_pool", v.notif_pool.ToString()}};
}

nlohmann::json ToJson(const Zone& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"endpoints", v.endpoints},
          {"log_meta", JsonBoolString(v.log_meta)},
          {"log_data", JsonBoolString(v.log_data)},
          {"bucket_index_max_shards", v.bucket_index_max_shards},
          {"read_only", JsonBoolString(v.read_only)},
          {"tier_type", v.tier_type},
          {"sync_from_all", JsonBoolString(v.sync_from_all)},
          {"sync_from", v.sync_from},
          {"redirect_zone", v.redirect_zone}};
}

nlohmann::json ToJson(const ZoneGroup& v) {
  nlohmann::json zones = nlohmann::json::array();
  for (const auto& [id, z] : v.zones) zones.push_back(ToJson(z));
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& [name, t] : v.placement_targets) {
    targets.push_back(
        {{"name", t.name}, {"tags", t.tags}, {"storage_classes", t.EffectiveStorageClasses()}});
  }
  return {{"id", v.meta.id},
          {"name", v.meta.name},
          {"api_name", v.api_name},
          {"is_master", JsonBoolString(v.is_master)},
          {"endpoints", v.endpoints},
          {"hostnames", v.hostnames},
          {"hostnames_s3website", v.hostnames_s3website},
          {"master_zone", v.master_zone},
          {"zones", zones},
          {"placement_targets", targets},
          {"default_placement", v.default_placement.ToString()},
          {"realm_id", v.realm_id},
          // Only the empty policy radosgw creates is rendered.
          {"sync_policy", {{"groups", nlohmann::json::array()}}}};
}

}  // namespace kelp::rgw
