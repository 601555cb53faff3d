// radosgw's garbage-collection records (cls_rgw_types.h: cls_rgw_obj,
// cls_rgw_obj_chain, cls_rgw_gc_obj_info; cls_rgw_ops.h: the legacy omap
// gc ops; cls/rgw_gc: the queue ops and urgent data) and the cls_queue
// layout they live in (cls/queue: cls_queue_head, cls_queue_marker).
// Encodings are Ceph-exact (checked against radosgw 16.2.15's gc.N bytes).
//
// cls_queue object layout (what an OSD running cls_queue writes):
//   offset 0:  u16 0xDEAD, u64 len, cls_queue_head (len bytes)
//   [max_head_size, queue_size): a ring of entries, each
//              u16 0xBEEF, u64 size, `size` bytes (an encoded gc_obj_info),
//   an entry may wrap at queue_size back to max_head_size; a marker
//   "gen/offset" names an entry's start, gen counting wraps.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw_gc {

// ---- chain records (class rgw / rgw_gc) ----

// cls_rgw_obj ENC(2,1){pool, key.name, loc, cls_rgw_obj_key key}: the raw
// RADOS object to release; radosgw stores the raw oid in key.name and the
// pool as rgw_pool::to_str() ("name" or "name:ns").
struct ChainObj {
  std::string pool;
  rgw::ObjKey key;
  std::string loc;
  friend bool operator==(const ChainObj&, const ChainObj&) = default;
};

// cls_rgw_gc_obj_info ENC(1,1){tag, cls_rgw_obj_chain ENC(1,1){list<obj>},
// real_time time}. `time` is the expiry (enqueue time + min wait).
struct GcObjInfo {
  std::string tag;
  std::list<ChainObj> chain;
  CephTime time;
  friend bool operator==(const GcObjInfo&, const GcObjInfo&) = default;
};

// ---- ops ----

// cls_rgw_gc_set_entry_op ENC(1,1){u32 expiration_secs, info}: input of
// rgw_gc_queue_enqueue and of the legacy rgw.gc_set_entry.
struct SetEntryOp {
  uint32_t expiration_secs = 0;
  GcObjInfo info;
};
// cls_rgw_gc_list_op ENC(2,1){marker, u32 max, bool expired_only}
struct ListOp {
  std::string marker;
  uint32_t max = 0;
  bool expired_only = true;
};
// cls_rgw_gc_list_ret ENC(2,1){list<info> entries, next_marker, bool truncated}
struct ListRet {
  std::list<GcObjInfo> entries;
  std::string next_marker;
  bool truncated = false;
};
// cls_rgw_gc_remove_op ENC(1,1){vector<str> tags} (legacy omap path)
struct RemoveOp {
  std::vector<std::string> tags;
};
// cls_rgw_gc_queue_init_op ENC(1,1){u64 size, u64 num_deferred_entries}
struct QueueInitOp {
  uint64_t size = 0;
  uint64_t num_deferred_entries = 0;
};
// cls_rgw_gc_queue_remove_entries_op ENC(1,1){u64 num_entries}
struct QueueRemoveEntriesOp {
  uint64_t num_entries = 0;
};

// ---- cls_queue ----

inline constexpr uint16_t kQueueHeadStart = 0xDEAD;
inline constexpr uint16_t kQueueEntryStart = 0xBEEF;
inline constexpr uint64_t kQueueEntryOverhead = 2 + 8;
inline constexpr uint64_t kQueueHeadSize1K = 1024;

// cls_queue_marker ENC(1,1){u64 gen, u64 offset}; text form "gen/offset".
struct QueueMarker {
  uint64_t offset = kQueueHeadSize1K;
  uint64_t gen = 0;
  std::string ToString() const;
  // false on junk (cls_queue treats a bad marker as {0,0}: "from the front").
  static bool FromString(const std::string& s, QueueMarker* m);
  friend bool operator==(const QueueMarker&, const QueueMarker&) = default;
};

// cls_queue_head ENC(1,1){u64 max_head_size, front, tail, u64 queue_size,
// u64 max_urgent_data_size, bufferlist bl_urgent_data}
struct QueueHead {
  uint64_t max_head_size = kQueueHeadSize1K;
  QueueMarker front;
  QueueMarker tail;
  uint64_t queue_size = 0;  // requested size + max_head_size
  uint64_t max_urgent_data_size = 0;
  std::string bl_urgent_data;
  bool Empty() const { return front == tail; }
  friend bool operator==(const QueueHead&, const QueueHead&) = default;
};

// cls_rgw_gc_urgent_data ENC(1,1){unordered_map<str, real_time>, u32
// num_urgent_data_entries, u32 num_head_urgent_entries, u32
// num_xattr_urgent_entries}: deferred tags (radosgw's defer_chain).
struct UrgentData {
  std::map<std::string, CephTime> urgent_data_map;
  uint32_t num_urgent_data_entries = 0;
  uint32_t num_head_urgent_entries = 0;
  uint32_t num_xattr_urgent_entries = 0;
  friend bool operator==(const UrgentData&, const UrgentData&) = default;
};

// Object-data framing of the queue head: "u16 0xDEAD, u64 len, head".
std::string EncodeQueueHeadBlock(const QueueHead& h);
// Parses the head block at the start of the object's data; Invalid when the
// data is empty or does not start with the head magic (not initialized).
Status DecodeQueueHeadBlock(std::string_view data, QueueHead* h);

#define KELP_CLS_RGW_GC_CODEC(T)       \
  void Encode(Encoder& e, const T& v); \
  void Decode(Decoder& d, T& v);
KELP_CLS_RGW_GC_CODEC(ChainObj)
KELP_CLS_RGW_GC_CODEC(GcObjInfo)
KELP_CLS_RGW_GC_CODEC(SetEntryOp)
KELP_CLS_RGW_GC_CODEC(ListOp)
KELP_CLS_RGW_GC_CODEC(ListRet)
KELP_CLS_RGW_GC_CODEC(RemoveOp)
KELP_CLS_RGW_GC_CODEC(QueueInitOp)
KELP_CLS_RGW_GC_CODEC(QueueRemoveEntriesOp)
KELP_CLS_RGW_GC_CODEC(QueueMarker)
KELP_CLS_RGW_GC_CODEC(QueueHead)
KELP_CLS_RGW_GC_CODEC(UrgentData)
#undef KELP_CLS_RGW_GC_CODEC

}  // namespace kelp::store::cls::rgw_gc
