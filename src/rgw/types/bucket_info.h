// radosgw bucket metadata (rgw_common.h, rgw_bucket_layout.h):
//   <domain_root>/<[tenant/]name>                       RGWBucketEntryPoint
//   <domain_root>/.bucket.meta.<[tenant:]name>:<id>     RGWBucketInfo (+ bucket
//                                                       attrs as xattrs)
// Encoders write what radosgw 16.2.15 writes (RGWBucketInfo v23 with
// owner.ns, entry point v10; verified against the golden dump). Parts this
// layer does not model (website config, object-lock config, sync policy) are
// kept as their raw encoded envelopes so they round-trip unchanged.
// Values; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "rgw/types/common.h"

namespace kelp::rgw {

// RGWBucketFlags.
inline constexpr uint32_t kBucketSuspended = 0x1;
inline constexpr uint32_t kBucketVersioned = 0x2;
inline constexpr uint32_t kBucketVersionsSuspended = 0x4;
inline constexpr uint32_t kBucketDatasyncDisabled = 0x8;
inline constexpr uint32_t kBucketMfaEnabled = 0x10;
inline constexpr uint32_t kBucketObjLockEnabled = 0x20;

// rgw::BucketIndexType / BucketHashType / BucketLogType / BucketReshardState.
inline constexpr uint8_t kBucketIndexNormal = 0;
inline constexpr uint8_t kBucketIndexIndexless = 1;
inline constexpr uint8_t kBucketHashMod = 0;
inline constexpr uint8_t kBucketLogInIndex = 0;
inline constexpr uint8_t kBucketReshardNone = 0;
inline constexpr uint8_t kBucketReshardInProgress = 1;
// cls_rgw_reshard_status.
inline constexpr uint8_t kReshardStatusNotResharding = 0;
inline constexpr uint8_t kReshardStatusInProgress = 1;
inline constexpr uint8_t kReshardStatusDone = 2;

// bucket_index_normal_layout ENC(1,1){u32 num_shards, u8 hash_type}.
struct BucketIndexNormalLayout {
  uint32_t num_shards = 1;
  uint8_t hash_type = kBucketHashMod;
  friend bool operator==(const BucketIndexNormalLayout&, const BucketIndexNormalLayout&) = default;
};
// bucket_index_layout ENC(1,1){u8 type, [normal]}.
struct BucketIndexLayout {
  uint8_t type = kBucketIndexNormal;
  BucketIndexNormalLayout normal;
  friend bool operator==(const BucketIndexLayout&, const BucketIndexLayout&) = default;
};
// bucket_index_layout_generation ENC(1,1){u64 gen, layout}.
struct BucketIndexLayoutGeneration {
  uint64_t gen = 0;
  BucketIndexLayout layout;
  friend bool operator==(const BucketIndexLayoutGeneration&,
                         const BucketIndexLayoutGeneration&) = default;
};
// bucket_index_log_layout ENC(1,1){u64 gen, normal layout}.
struct BucketIndexLogLayout {
  uint64_t gen = 0;
  BucketIndexNormalLayout layout;
  friend bool operator==(const BucketIndexLogLayout&, const BucketIndexLogLayout&) = default;
};
// bucket_log_layout ENC(1,1){u8 type, in_index}.
struct BucketLogLayout {
  uint8_t type = kBucketLogInIndex;
  BucketIndexLogLayout in_index;
  friend bool operator==(const BucketLogLayout&, const BucketLogLayout&) = default;
};
// bucket_log_layout_generation ENC(1,1){u64 gen, layout}.
struct BucketLogLayoutGeneration {
  uint64_t gen = 0;
  BucketLogLayout layout;
  friend bool operator==(const BucketLogLayoutGeneration&,
                         const BucketLogLayoutGeneration&) = default;
};
// rgw::BucketLayout ENC(2,1){u8 resharding, current_index,
// optional target_index, vector logs}.
struct BucketLayout {
  uint8_t resharding = kBucketReshardNone;
  BucketIndexLayoutGeneration current_index;
  std::optional<BucketIndexLayoutGeneration> target_index;
  std::vector<BucketLogLayoutGeneration> logs;
  friend bool operator==(const BucketLayout&, const BucketLayout&) = default;
};
void Encode(Encoder& e, const BucketIndexNormalLayout& v);
void Decode(Decoder& d, BucketIndexNormalLayout& v);
void Encode(Encoder& e, const BucketIndexLayout& v);
void Decode(Decoder& d, BucketIndexLayout& v);
void Encode(Encoder& e, const BucketIndexLayoutGeneration& v);
void Decode(Decoder& d, BucketIndexLayoutGeneration& v);
void Encode(Encoder& e, const BucketIndexLogLayout& v);
void Decode(Decoder& d, BucketIndexLogLayout& v);
void Encode(Encoder& e, const BucketLogLayout& v);
void Decode(Decoder& d, BucketLogLayout& v);
void Encode(Encoder& e, const BucketLogLayoutGeneration& v);
void Decode(Decoder& d, BucketLogLayoutGeneration& v);
void Encode(Encoder& e, const BucketLayout& v);
void Decode(Decoder& d, BucketLayout& v);

// init_default_bucket_layout: Normal index with `num_shards`, Mod hash, and
// one InIndex log generation mirroring it.
BucketLayout MakeDefaultBucketLayout(uint32_t num_shards);

// RGWBucketInfo: ENC(23,4); decodes LEGACY_32(23,4,4). Older versions (<22)
// carry num_shards/hash type/index type instead of the layout; decoding them
// synthesises the layout (and its log generation) like radosgw.
struct BucketInfo {
  Bucket bucket;
  User owner;
  uint32_t flags = 0;
  std::string zonegroup;
  CephTime creation_time;
  PlacementRule placement_rule;
  bool has_instance_obj = false;
  QuotaInfo quota;
  bool requester_pays = false;
  bool has_website = false;
  std::string website_conf_raw;  // RGWBucketWebsiteConf envelope when has_website
  bool swift_versioning = false;
  std::string swift_ver_location;
  std::map<std::string, uint32_t> mdsearch_config;
  uint8_t reshard_status = kReshardStatusNotResharding;
  std::string new_bucket_instance_id;
  std::string obj_lock_raw;  // RGWObjectLock envelope when flags & kBucketObjLockEnabled
  std::optional<std::string> sync_policy_raw;  // rgw_sync_policy_info envelope
  BucketLayout layout;

  bool versioned() const { return (flags & kBucketVersioned) != 0; }
  bool versioning_enabled() const {
    return (flags & (kBucketVersioned | kBucketVersionsSuspended)) == kBucketVersioned;
  }
  uint32_t num_shards() const { return layout.current_index.layout.normal.num_shards; }
  friend bool operator==(const BucketInfo&, const BucketInfo&) = default;
};
void Encode(Encoder& e, const BucketInfo& v);
void Decode(Decoder& d, BucketInfo& v);

// RGWBucketEntryPoint: ENC(10,8){bucket, owner.id, bool linked, u64 ctime,
// owner, creation_time}; decodes LEGACY_32(10,4,4). A v<8 entry point is an
// old RGWBucketInfo (has_bucket_info, kept in old_bucket_info).
struct BucketEntryPoint {
  Bucket bucket;
  User owner;
  CephTime creation_time;
  bool linked = false;
  bool has_bucket_info = false;
  std::optional<BucketInfo> old_bucket_info;
  friend bool operator==(const BucketEntryPoint&, const BucketEntryPoint&) = default;
};
void Encode(Encoder& e, const BucketEntryPoint& v);
void Decode(Decoder& d, BucketEntryPoint& v);

// Metadata object names in the zone's domain_root pool.
std::string BucketEntryPointOid(const Bucket& b);  // "[tenant/]name"
std::string BucketInstanceOid(const Bucket& b);    // ".bucket.meta.[tenant:]name:id"

nlohmann::json ToJson(const BucketInfo& v);
nlohmann::json ToJson(const BucketEntryPoint& v);
// `metadata get bucket:<key>`.
nlohmann::json ToJsonMetadata(const BucketEntryPoint& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime);
// `metadata get bucket.instance:<key>:<id>`; attrs = the instance's
// user.rgw.* xattrs.
nlohmann::json ToJsonMetadata(const BucketInfo& v, const std::string& ver_tag, uint64_t ver,
                              const CephTime& mtime,
                              const std::map<std::string, std::string>& attrs);

// Reads one ENCODE_START envelope (header + body) as raw bytes.
std::string TakeEnvelope(Decoder& d);

}  // namespace kelp::rgw
