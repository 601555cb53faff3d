// GcQueue: radosgw 16.2's garbage collector of tail objects (RGWGC).
//
// When a head is overwritten or deleted, its tail objects are not released
// at once: their chain (pool, raw oid, locator of each) goes, under the
// object's tail tag, to one of rgw_gc_max_objs (32) shard objects
// "gc.<n>" in the zone's gc pool (default.rgw.log, namespace "gc"); the
// shard is XXH64(tag, seed 8675309) truncated to 32 bits, % 7877 % 32
// (RGWGC::tag_index + rgw_shards_mod). Entries expire rgw_gc_obj_min_wait
// (7200 s) after they were sent; Process() then drops the tag's reference on
// each chain object (cls_refcount put, implicit ref: the object goes when
// no reference is left) and removes the entry. Readers that opened the old
// head before the overwrite keep finding its tails until then.
//
// Shard formats, as radosgw reads and writes them:
//   queue (Pacific): the shard's data is a cls_queue ring (class rgw_gc),
//     its ceph.objclass.version is {1, ""}; enqueue asserts that version.
//   legacy (pre-Pacific, version 0): omap entries (class rgw gc_set_entry,
//     gc_list, gc_remove). radosgw turns a shard into a queue at start-up
//     (create + version check 0 + rgw_gc_queue_init + version set 1); Kelp
//     does the same for a shard the first time it sends there, and lists and
//     processes leftover omap entries where the store has class rgw's gc
//     methods (a Ceph OSD; the embedded engine has none and never writes them).
//
// Both backends enqueue: the embedded engine implements class rgw_gc
// (store/cls/rgw_gc) on the same byte layout, so Kelp behaves the same on
// either store, and radosgw and Kelp process each other's entries on Ceph.
//
// Concurrency: Process() holds radosgw's exclusive cls_lock "gc_process" on
// a shard (duration rgw_gc_processor_max_time) while it works on it and
// skips shards locked by anyone else (another Kelp, radosgw, radosgw-admin).
// Kelp lockers use a random cookie (radosgw uses ""; its entity differs).
//
// Thread-safety: a GcQueue is stateless beyond its options; safe to share.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "rgw/types/common.h"
#include "rgw/types/manifest.h"
#include "store/cls/rgw_gc/types.h"
#include "store/object_store.h"

namespace kelp::rgw {

class Services;

// radosgw's gc settings (their 16.2 defaults).
struct GcOptions {
  uint32_t min_wait_secs = 7200;         // rgw_gc_obj_min_wait
  uint32_t period_secs = 3600;           // rgw_gc_processor_period
  uint32_t max_objs = 32;                // rgw_gc_max_objs
  uint32_t processor_max_time = 3600;    // rgw_gc_processor_max_time (lock duration)
  uint64_t max_queue_size = 134213632;   // rgw_gc_max_queue_size
  uint64_t max_deferred = 50;            // rgw_gc_max_deferred
  uint64_t max_chunk_size = 4ull << 20;  // rgw_max_chunk_size: largest encoded entry
};

// Process-wide settings, like radosgw's configuration: kelpd sets them from
// its flags at start; everything else reads them.
void SetGcOptions(const GcOptions& options);
GcOptions GetGcOptions();

using GcChain = std::list<store::cls::rgw_gc::ChainObj>;
using GcEntry = store::cls::rgw_gc::GcObjInfo;

// XXH64 (the xxHash 64-bit hash) of `data` with `seed`.
uint64_t Xxh64(std::string_view data, uint64_t seed);
// RGWGC::tag_index: the shard of a tag.
uint32_t GcTagIndex(std::string_view tag, uint32_t max_objs);

// RGWRados::update_gc_chain: every object of the manifest except the head
// (and except the oids in `keep`), as raw (pool string, oid, locator).
GcChain GcChainForManifest(Services& services, const ObjManifest& manifest,
                           const std::set<std::string>& keep = {});

struct GcProcessStats {
  uint64_t entries = 0;      // entries removed
  uint64_t objects = 0;      // chain objects released (refcount put sent)
  uint32_t busy_shards = 0;  // shards skipped: locked by another processor
};

class GcQueue {
 public:
  GcQueue(store::ObjectStore& store, Pool gc_pool, GcOptions options = GetGcOptions());
  // On the zone of `services`.
  explicit GcQueue(Services& services);

  static std::string ShardOid(uint32_t index) { return "gc." + std::to_string(index); }
  uint32_t num_shards() const { return options_.max_objs; }

  // RGWGC::send_split_chain: enqueue `chain` under `tag`, split into several
  // entries if one would exceed max_chunk_size. An empty chain is a no-op.
  Status SendChain(const GcChain& chain, const std::string& tag);

  // RGWGC::initialize for one shard: make it a queue unless it is one.
  Status InitShard(uint32_t index);

  // Entries of every shard (omap leftovers first, then the queue), in shard
  // order; expired_only drops those whose time has not come.
  Result<std::vector<GcEntry>> List(bool expired_only);

  // RGWGC::process over every shard, from a random one. include_all
  // (radosgw-admin gc process --include-all) also takes unexpired entries.
  Result<GcProcessStats> Process(bool expired_only);
  Result<GcProcessStats> ProcessShard(uint32_t index, bool expired_only);

 private:
  store::ObjectId ShardId(uint32_t index) const;
  Status SendOne(const GcEntry& info, uint32_t index);
  // ceph.objclass.version's ver; NotFound when the shard does not exist.
  Result<uint64_t> ShardVersion(uint32_t index);
  Result<std::vector<GcEntry>> ListOmap(uint32_t index, bool expired_only);
  Result<std::vector<GcEntry>> ListQueue(uint32_t index, bool expired_only);
  // Releases every object of a chain; false if one could not be released.
  bool ReleaseChain(const GcEntry& info, GcProcessStats* stats);
  Status ProcessLocked(uint32_t index, bool expired_only, GcProcessStats* stats);

  store::ObjectStore& store_;
  Pool pool_;
  GcOptions options_;
};

// RGWGC::GCWorker: a thread running Process(expired_only=true) at start and
// then every `period_secs` (rgw_gc_processor_period) after the previous
// pass began. Errors are logged to stderr and retried next period.
class GcWorker {
 public:
  GcWorker(Services& services, uint32_t period_secs);
  ~GcWorker();  // Stop()
  GcWorker(const GcWorker&) = delete;
  GcWorker& operator=(const GcWorker&) = delete;

  void Start();
  // Wakes the thread and joins it (a pass in progress finishes its shard).
  void Stop();
  uint64_t passes() const { return passes_.load(); }

 private:
  void Run();

  Services& services_;
  uint32_t period_secs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<uint64_t> passes_{0};
  std::thread thread_;
};

}  // namespace kelp::rgw
