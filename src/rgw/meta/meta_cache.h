// MetaCache: a bounded LRU cache of metadata system objects (users, access
// key / email / swift index objects, bucket entrypoints and instances), as
// radosgw's RGWSI_SysObj_Cache keeps them (rgw_cache_lru_size 10000,
// rgw_cache_expiry_interval 15 min). It also caches absence (NotFound), as
// radosgw caches ENOENT: every writer of these objects (radosgw, radosgw-admin,
// kelp) announces creations on the control objects, so a negative entry is
// dropped exactly like a positive one.
//
// Coherence is not the cache's business: CacheWatcher (cache_watcher.h)
// invalidates entries named by cache notifies, and own writes (PutSysObj /
// RemoveSysObj with SysObjWrite::cache) invalidate theirs.
//
// Race rule: a read that started before an invalidation of the same object
// (or a Clear) must not insert its possibly stale result afterwards:
//
//   MetaCache::Ticket t;
//   if (auto hit = cache.Lookup(id, &t)) return *hit;  // copies
//   Result<SysObj> r = ReadFromStore(id);              // no lock held
//   cache.Insert(id, r, t);                            // dropped if invalidated since
//
// Tickets carry a cache-wide epoch (bumped by Clear/SetEnabled) and the
// generation of the id's slot (one of kSlots counters, bumped by
// Invalidate); a hash collision only costs a skipped insert.
//
// Thread-safety: one mutex, held only for map operations (never across a
// store call); copies of cached objects are made outside it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "rgw/meta/sysobj.h"
#include "store/object_store.h"

namespace kelp::rgw {

struct MetaCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;         // looked up while enabled, not there (or expired)
  uint64_t bypassed = 0;       // looked up while disabled
  uint64_t inserts = 0;
  uint64_t stale_inserts = 0;  // inserts refused by the race rule
  uint64_t invalidations = 0;  // Invalidate calls (whether or not the id was cached)
  uint64_t clears = 0;
  uint64_t evictions = 0;      // LRU and expiry
  size_t entries = 0;
  bool enabled = false;
};

class MetaCache {
 public:
  struct Options {
    size_t max_entries = 10000;                // rgw_cache_lru_size
    std::chrono::seconds max_age{15 * 60};     // rgw_cache_expiry_interval; 0 = none
  };
  struct Ticket {
    uint64_t epoch = 0;
    uint64_t gen = 0;
    size_t slot = 0;
  };

  // Starts DISABLED: the watcher enables it once every watch is set, as
  // radosgw enables its cache only after watching all control objects.
  explicit MetaCache(Options opts);
  MetaCache(const MetaCache&) = delete;
  MetaCache& operator=(const MetaCache&) = delete;

  // A hit (the object, or NotFound), else nullopt with *ticket filled for Insert.
  std::optional<Result<SysObj>> Lookup(const store::ObjectId& id, Ticket* ticket);
  // Caches `r` if it is OK or NotFound, the cache is enabled and neither
  // id nor the cache was invalidated since `ticket` was taken.
  void Insert(const store::ObjectId& id, const Result<SysObj>& r, const Ticket& ticket);

  void Invalidate(const store::ObjectId& id);
  void Clear();
  // Disabled: lookups bypass, inserts are dropped. Either transition clears.
  void SetEnabled(bool enabled);
  bool enabled() const;

  MetaCacheStats stats() const;
  static std::string Key(const store::ObjectId& id);

 private:
  static constexpr size_t kSlots = 1024;
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string key;
    std::shared_ptr<const SysObj> obj;  // null = NotFound
    std::string not_found;              // its message
    Clock::time_point stored;
  };

  void ClearLocked();

  const Options opts_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> map_;
  std::array<uint64_t, kSlots> slot_gen_{};
  uint64_t epoch_ = 0;
  bool enabled_ = false;
  MetaCacheStats stats_;
};

}  // namespace kelp::rgw
