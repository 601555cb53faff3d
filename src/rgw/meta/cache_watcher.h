// CacheWatcher: keeps a MetaCache coherent with every other writer of the
// zone's metadata (radosgw, radosgw-admin, other kelp processes) the way
// radosgw's RGWSI_Notify + RGWSI_SysObj_Cache do:
//
//  - watches the control objects notify.0..7 (creating them first, as
//    radosgw does with create(false)) and, for every RGWCacheNotifyInfo
//    received, drops the named object's entry (UPDATE and REMOVE alike)
//    before the callback returns; the store acks the notify only after
//    that, so once a writer's notify has returned no reader here can see
//    the old copy. An undecodable payload clears the whole cache.
//  - enables the cache only while all watches work; otherwise it is cleared
//    and bypassed (radosgw disables its cache on a watch error).
//
// Watch health. ObjectStore reports no watch errors (RadosStore re-watches
// silently after a broken watch, losing the notifies in between), so a
// health thread pings each control object every `ping_period`: a cache
// notify REMOVE of the non-existent object "<control pool>/kelp.cache.ping"
// (harmless for radosgw: it invalidates nothing). Every kelp watcher answers
// pings with its own token. A control object whose ping does not come back
// with our token is re-watched and the cache disabled until all are back; a
// reply from a different watch id than last time means the watch was
// re-established behind our back, so notifies may have been missed: the
// cache is cleared. A watch break is thus noticed within one ping period.
//
// Thread-safety: Start/Stop from one thread; the rest is internal.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "rgw/meta/cache_notify.h"
#include "rgw/meta/meta_cache.h"
#include "rgw/types/common.h"
#include "store/object_store.h"

namespace kelp::rgw {

inline constexpr char kCachePingOid[] = "kelp.cache.ping";

struct CacheWatcherOptions {
  std::chrono::milliseconds ping_period{2000};
  uint64_t ping_timeout_ms = 5000;
  // One line per event (enabled/disabled, bad payload, stats at Stop).
  // Default: stderr, prefixed "kelp: ".
  std::function<void(const std::string&)> log;
};

class CacheWatcher {
 public:
  CacheWatcher(store::ObjectStore& store, MetaCache& cache, Pool control_pool,
               CacheWatcherOptions opts = {});
  ~CacheWatcher();  // Stop()
  CacheWatcher(const CacheWatcher&) = delete;
  CacheWatcher& operator=(const CacheWatcher&) = delete;

  // Sets the watches and runs one health check (enabling the cache if all
  // watches answer), then starts the health thread. Never fails: without
  // watches the cache stays bypassed and the thread keeps trying.
  void Start();
  // Stops the thread, unwatches, disables the cache, logs its counters.
  void Stop();

  // One health check now (tests; the thread runs the same). True when
  // every control object answered our ping.
  bool CheckNow();

  struct Counters {
    uint64_t notifies = 0;      // cache notifies applied
    uint64_t bad_payloads = 0;  // undecodable -> Clear
    uint64_t rewatches = 0;     // watches (re-)established after the first
    uint64_t resets = 0;        // clears for a watch found re-established
  };
  Counters counters() const;

 private:
  std::string OnNotify(const std::string& payload);
  void Log(const std::string& line);
  bool Stopping() const;
  void Run();

  store::ObjectStore& store_;
  MetaCache& cache_;
  const Pool control_pool_;
  CacheWatcherOptions opts_;
  const std::string token_;  // our answer to pings

  std::mutex check_mu_;  // one health check at a time; guards the arrays below
  std::array<uint64_t, kCacheNotifyOps> handle_{};      // 0 = not watching
  std::array<uint64_t, kCacheNotifyOps> watcher_id_{};  // last seen in a ping reply
  bool ever_watched_ = false;

  mutable std::mutex mu_;  // counters_, stop_
  std::condition_variable cv_;
  bool stop_ = false;
  Counters counters_;
  std::thread thread_;
};

}  // namespace kelp::rgw
