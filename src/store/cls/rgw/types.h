// Bucket-index data structures of cls_rgw (src/cls/rgw/cls_rgw_types.h),
// with Ceph-exact encodings: Encode() writes the version radosgw 16.2.15
// writes; Decode() also reads every older version radosgw accepts
// (DECODE_START_LEGACY_COMPAT_LEN), so indexes written by old clusters load.
//
// These are values stored in the omap of `.dir.<bucket_id>[.<shard>]`
// objects (DirEntry, OlhEntry, BiLogEntry; DirHeader is the omap header)
// and parts of the cls method inputs/outputs (see ops.h).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/encoding.h"

namespace kelp::store::cls::rgw {

// RGWModifyOp
enum ModifyOp : uint8_t {
  kOpAdd = 0,
  kOpDel = 1,
  kOpCancel = 2,
  kOpUnknown = 3,
  kOpLinkOlh = 4,
  kOpLinkOlhDm = 5,  // creation of a delete marker
  kOpUnlinkInstance = 6,
  kOpSyncStop = 7,
  kOpResync = 8,
};

// RGWPendingState
enum PendingState : uint8_t {
  kStatePendingModify = 0,
  kStateComplete = 1,
  kStateUnknown = 2,
};

// RGWObjCategory
enum Category : uint8_t {
  kCategoryNone = 0,  // delete markers
  kCategoryMain = 1,
  kCategoryShadow = 2,
  kCategoryMultiMeta = 3,
};

// OLHLogOp
enum OlhLogOp : uint8_t {
  kOlhOpUnknown = 0,
  kOlhOpLinkOlh = 1,
  kOlhOpUnlinkOlh = 2,
  kOlhOpRemoveInstance = 3,
};

// BIIndexType
enum BiIndexType : uint8_t {
  kBiInvalid = 0,
  kBiPlain = 1,
  kBiInstance = 2,
  kBiOlh = 3,
};

constexpr uint16_t kBilogFlagVersionedOp = 0x1;
constexpr uint64_t kDefaultTagTimeoutSec = 120;  // CEPH_RGW_TAG_TIMEOUT

// cls_rgw_get_rounded_size: stats count sizes rounded up to 4 KiB.
inline uint64_t RoundedSize(uint64_t size) { return (size + 4095) & ~uint64_t{4095}; }

// rgw_bucket_entry_ver: (pool id, object version) of the head object write
// that produced an entry; {-1, 0} when unknown.
struct BucketEntryVer {
  int64_t pool = -1;
  uint64_t epoch = 0;
  friend bool operator==(const BucketEntryVer&, const BucketEntryVer&) = default;
};

// cls_rgw_obj_key
struct ObjKey {
  std::string name;
  std::string instance;
  ObjKey() = default;
  ObjKey(std::string n, std::string i = {}) : name(std::move(n)), instance(std::move(i)) {}
  friend bool operator==(const ObjKey&, const ObjKey&) = default;
  friend auto operator<=>(const ObjKey&, const ObjKey&) = default;
};

// rgw_bucket_pending_info
struct PendingInfo {
  uint8_t state = kStatePendingModify;
  CephTime timestamp;
  uint8_t op = 0;
  friend bool operator==(const PendingInfo&, const PendingInfo&) = default;
};

// rgw_bucket_dir_entry_meta
struct DirEntryMeta {
  uint8_t category = kCategoryNone;
  uint64_t size = 0;
  CephTime mtime;
  std::string etag;
  std::string owner;
  std::string owner_display_name;
  std::string content_type;
  uint64_t accounted_size = 0;
  std::string user_data;
  std::string storage_class;
  bool appendable = false;
  friend bool operator==(const DirEntryMeta&, const DirEntryMeta&) = default;
};

// rgw_zone_set_entry: encoded as its text form "zone[:location_key]".
struct ZoneSetEntry {
  std::string zone;
  std::optional<std::string> location_key;
  std::string ToString() const;
  static ZoneSetEntry FromString(const std::string& s);
  friend bool operator==(const ZoneSetEntry&, const ZoneSetEntry&) = default;
  friend auto operator<=>(const ZoneSetEntry&, const ZoneSetEntry&) = default;
};
// rgw_zone_set: no envelope, a plain set (backward compatibility upstream).
using ZoneSet = std::set<ZoneSetEntry>;

// rgw_bucket_dir_entry: one bucket-index entry (plain, list or instance key).
struct DirEntry {
  static constexpr uint16_t kFlagVer = 0x1;           // a version of a versioned object
  static constexpr uint16_t kFlagCurrent = 0x2;       // the newest version
  static constexpr uint16_t kFlagDeleteMarker = 0x4;
  static constexpr uint16_t kFlagVerMarker = 0x8;     // plain-key placeholder of a versioned object
  static constexpr uint16_t kFlagCommonPrefix = 0x8000;  // listing proxy for a "subdirectory"

  ObjKey key;
  BucketEntryVer ver;
  std::string locator;
  bool exists = false;
  DirEntryMeta meta;
  std::multimap<std::string, PendingInfo> pending_map;  // tag -> pending op
  uint64_t index_ver = 0;
  std::string tag;
  uint16_t flags = 0;
  uint64_t versioned_epoch = 0;

  bool IsCurrent() const {
    constexpr uint16_t both = kFlagVer | kFlagCurrent;
    return (flags & kFlagVer) == 0 || (flags & both) == both;
  }
  bool IsDeleteMarker() const { return (flags & kFlagDeleteMarker) != 0; }
  bool IsVisible() const { return IsCurrent() && !IsDeleteMarker(); }
  bool IsValid() const { return (flags & kFlagVerMarker) == 0; }
  bool IsCommonPrefix() const { return (flags & kFlagCommonPrefix) != 0; }
  friend bool operator==(const DirEntry&, const DirEntry&) = default;
};

// rgw_bucket_category_stats
struct CategoryStats {
  uint64_t total_size = 0;
  uint64_t total_size_rounded = 0;
  uint64_t num_entries = 0;
  uint64_t actual_size = 0;
  friend bool operator==(const CategoryStats&, const CategoryStats&) = default;
};

enum ReshardStatus : uint8_t {
  kNotResharding = 0,
  kReshardInProgress = 1,
  kReshardDone = 2,
};

// cls_rgw_bucket_instance_entry
struct BucketInstanceEntry {
  uint8_t reshard_status = kNotResharding;
  std::string new_bucket_instance_id;
  int32_t num_shards = -1;
  bool Resharding() const { return reshard_status != kNotResharding; }
  friend bool operator==(const BucketInstanceEntry&, const BucketInstanceEntry&) = default;
};

// rgw_bucket_dir_header: the omap header of an index shard.
struct DirHeader {
  std::map<uint8_t, CategoryStats> stats;  // by Category
  uint64_t tag_timeout = 0;                // seconds; 0 = kDefaultTagTimeoutSec
  uint64_t ver = 0;                        // bumped by every header write
  uint64_t master_ver = 0;
  std::string max_marker;                  // newest bilog id
  BucketInstanceEntry new_instance;
  bool syncstopped = false;
  friend bool operator==(const DirHeader&, const DirHeader&) = default;
};

// rgw_bucket_dir: header plus entries by omap key (bucket_list output).
struct BucketDir {
  DirHeader header;
  std::map<std::string, DirEntry> m;
};

// rgw_bi_log_entry
struct BiLogEntry {
  std::string id;
  std::string object;
  std::string instance;
  CephTime timestamp;
  BucketEntryVer ver;
  uint8_t op = kOpUnknown;
  uint8_t state = kStatePendingModify;
  uint64_t index_ver = 0;
  std::string tag;
  uint16_t bilog_flags = 0;
  std::string owner;               // delete markers only
  std::string owner_display_name;  // delete markers only
  ZoneSet zones_trace;
  friend bool operator==(const BiLogEntry&, const BiLogEntry&) = default;
};

// rgw_bucket_olh_log_entry
struct OlhLogEntry {
  uint64_t epoch = 0;
  uint8_t op = kOlhOpUnknown;
  std::string op_tag;
  ObjKey key;
  bool delete_marker = false;
  friend bool operator==(const OlhLogEntry&, const OlhLogEntry&) = default;
};

// rgw_bucket_olh_entry: state of a versioned object's OLH ("\x801001_<name>").
struct OlhEntry {
  ObjKey key;  // the current version
  bool delete_marker = false;
  uint64_t epoch = 0;
  std::map<uint64_t, std::vector<OlhLogEntry>> pending_log;
  std::string tag;
  bool exists = false;
  bool pending_removal = false;
  friend bool operator==(const OlhEntry&, const OlhEntry&) = default;
};

// rgw_cls_bi_entry: a raw index entry (bi get/put/list).
struct BiEntry {
  uint8_t type = kBiInvalid;
  std::string idx;
  std::string data;  // encoded DirEntry or OlhEntry
  friend bool operator==(const BiEntry&, const BiEntry&) = default;
};

void Encode(Encoder& e, const BucketEntryVer& v);
void Decode(Decoder& d, BucketEntryVer& v);
void Encode(Encoder& e, const ObjKey& v);
void Decode(Decoder& d, ObjKey& v);
void Encode(Encoder& e, const PendingInfo& v);
void Decode(Decoder& d, PendingInfo& v);
void Encode(Encoder& e, const DirEntryMeta& v);
void Decode(Decoder& d, DirEntryMeta& v);
void Encode(Encoder& e, const ZoneSetEntry& v);
void Decode(Decoder& d, ZoneSetEntry& v);
void Encode(Encoder& e, const DirEntry& v);
void Decode(Decoder& d, DirEntry& v);
void Encode(Encoder& e, const CategoryStats& v);
void Decode(Decoder& d, CategoryStats& v);
void Encode(Encoder& e, const BucketInstanceEntry& v);
void Decode(Decoder& d, BucketInstanceEntry& v);
void Encode(Encoder& e, const DirHeader& v);
void Decode(Decoder& d, DirHeader& v);
void Encode(Encoder& e, const BucketDir& v);
void Decode(Decoder& d, BucketDir& v);
void Encode(Encoder& e, const BiLogEntry& v);
void Decode(Decoder& d, BiLogEntry& v);
void Encode(Encoder& e, const OlhLogEntry& v);
void Decode(Decoder& d, OlhLogEntry& v);
void Encode(Encoder& e, const OlhEntry& v);
void Decode(Decoder& d, OlhEntry& v);
void Encode(Encoder& e, const BiEntry& v);
void Decode(Decoder& d, BiEntry& v);

}  // namespace kelp::store::cls::rgw
