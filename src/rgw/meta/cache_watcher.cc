#include "rgw/meta/cache_watcher.h"

#include <iostream>

#include "base/crypto.h"
#include "rgw/meta/zone_service.h"

namespace kelp::rgw {

CacheWatcher::CacheWatcher(store::ObjectStore& store, MetaCache& cache, Pool control_pool,
                           CacheWatcherOptions opts)
    : store_(store),
      cache_(cache),
      control_pool_(std::move(control_pool)),
      opts_(std::move(opts)),
      token_("kelp-cache:" + RandomAlnum(16)) {}

CacheWatcher::~CacheWatcher() { Stop(); }

void CacheWatcher::Log(const std::string& line) {
  if (opts_.log) {
    opts_.log(line);
  } else {
    std::cerr << "kelp: " << line << std::endl;
  }
}

std::string CacheWatcher::OnNotify(const std::string& payload) {
  auto n = DecodeCacheNotify(payload);
  if (!n.ok()) {
    // radosgw logs "got bad notification" and keeps its cache; we cannot
    // tell what changed, so nothing cached may be trusted.
    cache_.Clear();
    {
      std::lock_guard<std::mutex> l(mu_);
      ++counters_.bad_payloads;
    }
    Log("metadata cache cleared: undecodable notify (" + n.status().message() + ")");
    return "";
  }
  if (n->id.oid == kCachePingOid && n->id.pool == control_pool_.name &&
      n->id.ns == control_pool_.ns) {
    return token_;  // a ping, ours or another kelp's: nothing changed
  }
  cache_.Invalidate(n->id);
  std::lock_guard<std::mutex> l(mu_);
  ++counters_.notifies;
  return "";  // radosgw acks with an empty payload
}

bool CacheWatcher::CheckNow() {
  std::lock_guard<std::mutex> check(check_mu_);
  const std::string ping =
      EncodeCacheRemove(ZoneService::Id(control_pool_, kCachePingOid));
  bool all_ok = true;
  bool reset = false;
  // Stop serving from the cache at the first failure, without waiting for
  // the other pings (which may each take a timeout on a sick cluster).
  auto fail = [&](std::string reason) {
    if (all_ok && cache_.enabled()) Log("metadata cache disabled: " + reason);
    all_ok = false;
    cache_.SetEnabled(false);
  };
  for (int i = 0; i < kCacheNotifyOps && !Stopping(); ++i) {
    const store::ObjectId obj = ZoneService::Id(control_pool_, "notify." + std::to_string(i));
    if (handle_[i] == 0) {
      store::WriteOp create;
      create.Create(false);
      (void)store_.Operate(obj, create);  // RGWSI_Notify::init_watch does the same
      auto h = store_.Watch(obj, [this](uint64_t, uint64_t, const std::string& payload) {
        return OnNotify(payload);
      });
      if (!h.ok()) {
        fail("watch " + obj.ToString() + ": " + h.status().ToString());
        break;  // the next check retries (the rest could each wait a timeout now)
      }
      // (the cache is disabled: it is enabled empty once all watches answer)
      handle_[i] = *h;
      watcher_id_[i] = 0;
      if (ever_watched_) {
        std::lock_guard<std::mutex> l(mu_);
        ++counters_.rewatches;
      }
    }
    auto replies = store_.Notify(obj, ping, opts_.ping_timeout_ms);
    const store::NotifyReply* mine = nullptr;
    if (replies.ok()) {
      for (const auto& r : *replies) {
        if (r.payload == token_) mine = &r;
      }
    }
    if (!mine) {
      // The watch is gone (or the store unreachable): drop it and watch anew.
      fail("no answer to the ping on " + obj.ToString() +
           (replies.ok() ? std::string() : ": " + replies.status().ToString()));
      (void)store_.Unwatch(handle_[i]);
      handle_[i] = 0;
      break;
    }
    if (watcher_id_[i] != 0 && watcher_id_[i] != mine->watcher_id) {
      // Re-established by the store: notifies in between may be lost.
      cache_.Clear();
      reset = true;
      std::lock_guard<std::mutex> l(mu_);
      ++counters_.resets;
    }
    watcher_id_[i] = mine->watcher_id;
  }
  for (uint64_t h : handle_) ever_watched_ = ever_watched_ || h != 0;
  if (Stopping()) return false;
  if (!all_ok) {
    cache_.SetEnabled(false);
  } else if (!cache_.enabled()) {
    cache_.SetEnabled(true);  // starts empty
    Log("metadata cache enabled (watching " + control_pool_.ToString() + " notify.0-" +
        std::to_string(kCacheNotifyOps - 1) + ")");
  } else if (reset) {
    Log("metadata cache cleared: a watch was re-established");
  }
  return all_ok;
}

bool CacheWatcher::Stopping() const {
  std::lock_guard<std::mutex> l(mu_);
  return stop_;
}

void CacheWatcher::Start() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = false;
  }
  (void)CheckNow();
  std::lock_guard<std::mutex> l(mu_);
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void CacheWatcher::Run() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    cv_.wait_for(l, opts_.ping_period, [this] { return stop_; });
    if (stop_) break;
    l.unlock();
    (void)CheckNow();
    l.lock();
  }
}

void CacheWatcher::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> check(check_mu_);
  bool had = false;
  for (uint64_t& h : handle_) {
    if (h == 0) continue;
    (void)store_.Unwatch(h);
    h = 0;
    had = true;
  }
  if (!had && !ever_watched_) return;
  ever_watched_ = false;
  cache_.SetEnabled(false);
  MetaCacheStats s = cache_.stats();
  Counters c = counters();
  Log("metadata cache stopped: hits=" + std::to_string(s.hits) +
      " misses=" + std::to_string(s.misses) + " bypassed=" + std::to_string(s.bypassed) +
      " inserts=" + std::to_string(s.inserts) + " stale_inserts=" +
      std::to_string(s.stale_inserts) + " invalidations=" + std::to_string(s.invalidations) +
      " notifies=" + std::to_string(c.notifies) + " clears=" + std::to_string(s.clears) +
      " evictions=" + std::to_string(s.evictions));
}

CacheWatcher::Counters CacheWatcher::counters() const {
  std::lock_guard<std::mutex> l(mu_);
  return counters_;
}

}  // namespace kelp::rgw
