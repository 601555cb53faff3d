// Methods of class "rgw_gc" (cls/rgw_gc/cls_rgw_gc.cc on top of
// cls/queue/cls_queue_src.cc): radosgw 16.2's gc queue, one per gc.N shard.
//
//   rgw_gc_queue_init            QueueInitOp; Exists if already a queue
//   rgw_gc_queue_enqueue         SetEntryOp; info.time = now + expiration_secs
//   rgw_gc_queue_list_entries    ListOp -> ListRet (read-only)
//   rgw_gc_queue_remove_entries  QueueRemoveEntriesOp: drop the first N
//                                (non-deferred) entries from the front
//
// The object's data has the exact cls_queue layout an OSD writes (see
// types.h), so a store imported from a real cluster keeps its gc queues and
// a radosgw reading our bytes finds its own format. Deferred entries
// (urgent data, written by radosgw's defer_chain, which Kelp never sends)
// are honoured when listing and removing; rgw_gc_queue_update_entry itself
// is not implemented (NotImplemented, as an OSD without the method).
//
// ClsContext has no partial write, so every mutation rewrites the object's
// data up to the queue's tail: cost grows with the ring's used extent
// (bounded by rgw_gc_max_queue_size, ~128 MiB), not with live entries.
#pragma once

#include "store/cls/cls.h"

namespace kelp::store::cls::rgw_gc {

// rgw_gc_max_deferred_entries_size (radosgw's default): urgent-data room
// in the queue head; the head occupies 1 KiB + this.
inline constexpr uint64_t kMaxDeferredEntriesSize = 3072;

void RegisterMethods(ClsRegistry& r);

}  // namespace kelp::store::cls::rgw_gc
