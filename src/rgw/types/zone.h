// Zone and zonegroup configuration (rgw_zone.h) as stored in the root pool
// (.rgw.root): zone_info.<id> = RGWZoneParams, zone_names.<name> and
// zonegroups_names.<name> = RGWNameToId, zonegroup_info.<id> = RGWZoneGroup.
// DefaultZoneParams/DefaultZoneGroup build exactly what radosgw 16.2 writes
// at its first start on an empty cluster (no realm, no period).
// Parts not modelled (tier_config, sync_policy) are kept as raw envelopes.
// Values; thread-compatible.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "rgw/types/common.h"
#include "rgw/types/user_info.h"

namespace kelp::rgw {

inline constexpr char kStorageClassStandard[] = "STANDARD";
inline constexpr char kDefaultPlacement[] = "default-placement";

// RGWSystemMetaObj: ENC(1,1){id, name}.
struct SystemMetaObj {
  std::string id;
  std::string name;
  friend bool operator==(const SystemMetaObj&, const SystemMetaObj&) = default;
};
void Encode(Encoder& e, const SystemMetaObj& v);
void Decode(Decoder& d, SystemMetaObj& v);

// RGWNameToId: ENC(1,1){obj_id}.
struct NameToId {
  std::string obj_id;
  friend bool operator==(const NameToId&, const NameToId&) = default;
};
void Encode(Encoder& e, const NameToId& v);
void Decode(Decoder& d, NameToId& v);

// RGWZoneStorageClass: ENC(1,1){optional<rgw_pool>, optional<string>}.
struct ZoneStorageClass {
  std::optional<Pool> data_pool;
  std::optional<std::string> compression_type;
  friend bool operator==(const ZoneStorageClass&, const ZoneStorageClass&) = default;
};
void Encode(Encoder& e, const ZoneStorageClass& v);
void Decode(Decoder& d, ZoneStorageClass& v);

// RGWZoneStorageClasses: ENC(1,1){map<string, RGWZoneStorageClass>}.
struct ZoneStorageClasses {
  std::map<std::string, ZoneStorageClass> m;
  friend bool operator==(const ZoneStorageClasses&, const ZoneStorageClasses&) = default;
};
void Encode(Encoder& e, const ZoneStorageClasses& v);
void Decode(Decoder& d, ZoneStorageClasses& v);

// RGWZonePlacementInfo: ENC(7,1){index_pool str, STANDARD data_pool str,
// data_extra_pool str, u32 index_type, STANDARD compression str,
// storage_classes}.
struct ZonePlacementInfo {
  Pool index_pool;
  Pool data_extra_pool;
  ZoneStorageClasses storage_classes;
  uint32_t index_type = 0;

  // The storage class's data pool (STANDARD's when sc is "" or unknown).
  Pool DataPool(const std::string& storage_class = kStorageClassStandard) const;
  friend bool operator==(const ZonePlacementInfo&, const ZonePlacementInfo&) = default;
};
void Encode(Encoder& e, const ZonePlacementInfo& v);
void Decode(Decoder& d, ZonePlacementInfo& v);

// RGWZoneParams: ENC(14,1).
struct ZoneParams {
  SystemMetaObj meta;  // id, name
  Pool domain_root;
  Pool control_pool;
  Pool gc_pool;
  Pool lc_pool;
  Pool log_pool;
  Pool intent_log_pool;
  Pool usage_log_pool;
  Pool user_keys_pool;
  Pool user_email_pool;
  Pool user_swift_pool;
  Pool user_uid_pool;
  Pool roles_pool;
  Pool reshard_pool;
  Pool otp_pool;
  Pool oidc_pool;
  Pool notif_pool;
  AccessKey system_key;
  std::map<std::string, ZonePlacementInfo> placement_pools;
  std::string realm_id;
  std::string tier_config_raw;  // JSONFormattable envelope

  const std::string& id() const { return meta.id; }
  const std::string& name() const { return meta.name; }
  friend bool operator==(const ZoneParams&, const ZoneParams&) = default;
};
void Encode(Encoder& e, const ZoneParams& v);
void Decode(Decoder& d, ZoneParams& v);

// RGWZone: ENC(7,1).
struct Zone {
  std::string id;
  std::string name;
  std::list<std::string> endpoints;
  bool log_meta = false;
  bool log_data = false;
  bool read_only = false;
  std::string tier_type;
  std::string redirect_zone;
  uint32_t bucket_index_max_shards = 11;
  bool sync_from_all = true;
  std::set<std::string> sync_from;
  friend bool operator==(const Zone&, const Zone&) = default;
};
void Encode(Encoder& e, const Zone& v);
void Decode(Decoder& d, Zone& v);

// RGWZoneGroupPlacementTarget: ENC(2,1){name, set tags, set storage_classes}.
// An empty storage class set means {STANDARD} (radosgw fills it in on
// decode); it is kept empty here so the bytes round-trip.
struct ZoneGroupPlacementTarget {
  std::string name;
  std::set<std::string> tags;
  std::set<std::string> storage_classes;
  std::set<std::string> EffectiveStorageClasses() const;
  friend bool operator==(const ZoneGroupPlacementTarget&, const ZoneGroupPlacementTarget&) = default;
};
void Encode(Encoder& e, const ZoneGroupPlacementTarget& v);
void Decode(Decoder& d, ZoneGroupPlacementTarget& v);

// RGWZoneGroup: ENC(5,1).
struct ZoneGroup {
  SystemMetaObj meta;  // id, name
  std::string api_name;
  std::list<std::string> endpoints;
  bool is_master = false;
  std::string master_zone;
  std::map<std::string, Zone> zones;  // by zone id
  std::map<std::string, ZoneGroupPlacementTarget> placement_targets;
  PlacementRule default_placement;
  std::list<std::string> hostnames;
  std::list<std::string> hostnames_s3website;
  std::string realm_id;
  std::string sync_policy_raw;  // rgw_sync_policy_info envelope

  const std::string& id() const { return meta.id; }
  const std::string& name() const { return meta.name; }
  friend bool operator==(const ZoneGroup&, const ZoneGroup&) = default;
};
void Encode(Encoder& e, const ZoneGroup& v);
void Decode(Decoder& d, ZoneGroup& v);

// RGWZoneParams::fix_pool_names + create_default for a zone named `name`.
ZoneParams DefaultZoneParams(const std::string& id, const std::string& name = "default");
// RGWZoneGroup::create_default with one zone.
ZoneGroup DefaultZoneGroup(const std::string& zg_id, const std::string& zone_id,
                           const std::string& name = "default",
                           const std::string& zone_name = "default");

// Root-pool object names.
inline std::string ZoneInfoOid(const std::string& id) { return "zone_info." + id; }
inline std::string ZoneNamesOid(const std::string& name) { return "zone_names." + name; }
inline std::string ZoneGroupInfoOid(const std::string& id) { return "zonegroup_info." + id; }
inline std::string ZoneGroupNamesOid(const std::string& name) { return "zonegroups_names." + name; }

// `radosgw-admin zone get` / `zonegroup get`.
nlohmann::json ToJson(const ZoneParams& v);
nlohmann::json ToJson(const ZoneGroup& v);
nlohmann::json ToJson(const Zone& v);

}  // namespace kelp::rgw
