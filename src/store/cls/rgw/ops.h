// Inputs and outputs of the `rgw` object class methods (cls_rgw_ops.h),
// Ceph-exact: the embedded engine decodes what a client encodes and a
// librados backend sends the same bytes to a real OSD. Encode() writes the
// radosgw 16.2.15 version; Decode() accepts older ones where upstream does.
#pragma once

#include <list>
#include <map>
#include <string>

#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw {

// rgw_cls_tag_timeout_op
struct TagTimeoutOp {
  uint64_t tag_timeout = 0;
};

// rgw_cls_obj_prepare_op
struct PrepareOp {
  uint8_t op = kOpUnknown;
  ObjKey key;
  std::string tag;
  std::string locator;
  bool log_op = false;
  uint16_t bilog_flags = 0;
  ZoneSet zones_trace;
};

// rgw_cls_obj_complete_op
struct CompleteOp {
  uint8_t op = kOpAdd;
  ObjKey key;
  std::string locator;
  BucketEntryVer ver;
  DirEntryMeta meta;
  std::string tag;
  bool log_op = false;
  uint16_t bilog_flags = 0;
  std::list<ObjKey> remove_objs;
  ZoneSet zones_trace;
};

// rgw_cls_link_olh_op
struct LinkOlhOp {
  ObjKey key;
  std::string olh_tag;
  bool delete_marker = false;
  std::string op_tag;
  DirEntryMeta meta;
  uint64_t olh_epoch = 0;
  bool log_op = false;
  uint16_t bilog_flags = 0;
  CephTime unmod_since;  // only link if the instance is older than this
  bool high_precision_time = false;
  ZoneSet zones_trace;
};

// rgw_cls_unlink_instance_op
struct UnlinkInstanceOp {
  ObjKey key;
  std::string op_tag;
  uint64_t olh_epoch = 0;
  bool log_op = false;
  uint16_t bilog_flags = 0;
  std::string olh_tag;
  ZoneSet zones_trace;
};

// rgw_cls_read_olh_log_op / _ret
struct ReadOlhLogOp {
  ObjKey olh;
  uint64_t ver_marker = 0;
  std::string olh_tag;
};
struct ReadOlhLogRet {
  std::map<uint64_t, std::vector<OlhLogEntry>> log;
  bool is_truncated = false;
};

// rgw_cls_trim_olh_log_op
struct TrimOlhLogOp {
  ObjKey olh;
  uint64_t ver = 0;
  std::string olh_tag;
};

// rgw_cls_bucket_clear_olh_op
struct ClearOlhOp {
  ObjKey key;
  std::string olh_tag;
};

// rgw_cls_list_op / rgw_cls_list_ret
struct ListOp {
  ObjKey start_obj;
  uint32_t num_entries = 0;
  std::string filter_prefix;
  bool list_versions = false;
  std::string delimiter;
};
struct ListRet {
  BucketDir dir;
  bool is_truncated = false;
  ObjKey marker;  // where to continue when truncated
};

// rgw_cls_check_index_ret
struct CheckIndexRet {
  DirHeader existing_header;
  DirHeader calculated_header;
};

// rgw_cls_bucket_update_stats_op
struct UpdateStatsOp {
  bool absolute = false;
  std::map<uint8_t, CategoryStats> stats;
};

// rgw_cls_obj_remove_op
struct ObjRemoveOp {
  std::list<std::string> keep_attr_prefixes;
};

// rgw_cls_obj_store_pg_ver_op
struct StorePgVerOp {
  std::string attr;
};

// rgw_cls_obj_check_attrs_prefix
struct CheckAttrsPrefixOp {
  std::string check_prefix;
  bool fail_if_exist = false;
};

// RGWCheckMTimeType
enum CheckMtimeType : uint8_t { kMtimeEq = 0, kMtimeLt, kMtimeLe, kMtimeGt, kMtimeGe };

// rgw_cls_obj_check_mtime
struct CheckMtimeOp {
  CephTime mtime;
  uint8_t type = kMtimeEq;
  bool high_precision_time = false;
};

// rgw_cls_bi_get_op / _ret, rgw_cls_bi_put_op, rgw_cls_bi_list_op / _ret
struct BiGetOp {
  ObjKey key;
  uint8_t type = kBiPlain;
};
struct BiGetRet {
  BiEntry entry;
};
struct BiPutOp {
  BiEntry entry;
};
struct BiListOp {
  uint32_t max = 0;
  std::string name_filter;
  std::string marker;
};
struct BiListRet {
  std::list<BiEntry> entries;
  bool is_truncated = false;
};

// cls_rgw_bi_log_list_op / _ret, cls_rgw_bi_log_trim_op
struct BiLogListOp {
  std::string marker;
  uint32_t max = 0;
};
struct BiLogListRet {
  std::list<BiLogEntry> entries;
  bool truncated = false;
};
struct BiLogTrimOp {
  std::string start_marker;
  std::string end_marker;
};

// cls_rgw_guard_bucket_resharding_op: fail with ret_err (a negative errno,
// radosgw sends -ERR_BUSY_RESHARDING) while the shard is being resharded.
struct GuardReshardingOp {
  int32_t ret_err = 0;
};
inline constexpr int32_t kErrBusyResharding = 2300;  // ERR_BUSY_RESHARDING

// dir_suggest_changes input: a sequence (no count, no envelope) of
// u8 op ('r' remove / 'u' update, | 0x80 to log) + DirEntry.
inline constexpr uint8_t kSuggestRemove = 'r';
inline constexpr uint8_t kSuggestUpdate = 'u';
inline constexpr uint8_t kSuggestLogOp = 0x80;
struct SuggestedChange {
  uint8_t op = kSuggestUpdate;
  DirEntry entry;
};
std::string EncodeSuggestedChanges(const std::list<SuggestedChange>& changes);

#define KELP_CLS_RGW_CODEC(T)     \
  void Encode(Encoder& e, const T& v); \
  void Decode(Decoder& d, T& v);
KELP_CLS_RGW_CODEC(TagTimeoutOp)
KELP_CLS_RGW_CODEC(PrepareOp)
KELP_CLS_RGW_CODEC(CompleteOp)
KELP_CLS_RGW_CODEC(LinkOlhOp)
KELP_CLS_RGW_CODEC(UnlinkInstanceOp)
KELP_CLS_RGW_CODEC(ReadOlhLogOp)
KELP_CLS_RGW_CODEC(ReadOlhLogRet)
KELP_CLS_RGW_CODEC(TrimOlhLogOp)
KELP_CLS_RGW_CODEC(ClearOlhOp)
KELP_CLS_RGW_CODEC(ListOp)
KELP_CLS_RGW_CODEC(ListRet)
KELP_CLS_RGW_CODEC(CheckIndexRet)
KELP_CLS_RGW_CODEC(UpdateStatsOp)
KELP_CLS_RGW_CODEC(ObjRemoveOp)
KELP_CLS_RGW_CODEC(StorePgVerOp)
KELP_CLS_RGW_CODEC(CheckAttrsPrefixOp)
KELP_CLS_RGW_CODEC(CheckMtimeOp)
KELP_CLS_RGW_CODEC(BiGetOp)
KELP_CLS_RGW_CODEC(BiGetRet)
KELP_CLS_RGW_CODEC(BiPutOp)
KELP_CLS_RGW_CODEC(BiListOp)
KELP_CLS_RGW_CODEC(BiListRet)
KELP_CLS_RGW_CODEC(BiLogListOp)
KELP_CLS_RGW_CODEC(BiLogListRet)
KELP_CLS_RGW_CODEC(BiLogTrimOp)
KELP_CLS_RGW_CODEC(GuardReshardingOp)
#undef KELP_CLS_RGW_CODEC

}  // namespace kelp::store::cls::rgw
