#include "rgw/meta/meta_cache.h"

#include <functional>

namespace kelp::rgw {

MetaCache::MetaCache(Options opts) : opts_(opts) {}

std::string MetaCache::Key(const store::ObjectId& id) {
  std::string k;
  k.reserve(id.pool.size() + id.ns.size() + id.oid.size() + id.locator.size() + 3);
  k.append(id.pool).push_back('\0');
  k.append(id.ns).push_back('\0');
  k.append(id.oid).push_back('\0');
  k.append(id.locator);
  return k;
}

std::optional<Result<SysObj>> MetaCache::Lookup(const store::ObjectId& id, Ticket* ticket) {
  const std::string key = Key(id);
  const size_t slot = std::hash<std::string>{}(key) % kSlots;
  std::shared_ptr<const SysObj> obj;
  std::string not_found;
  {
    std::lock_guard<std::mutex> l(mu_);
    ticket->epoch = epoch_;
    ticket->slot = slot;
    ticket->gen = slot_gen_[slot];
    if (!enabled_) {
      ++stats_.bypassed;
      return std::nullopt;
    }
    auto it = map_.find(key);
    if (it == map_.end()) {
      ++stats_.misses;
      return std::nullopt;
    }
    if (opts_.max_age.count() > 0 && Clock::now() - it->second->stored > opts_.max_age) {
      lru_.erase(it->second);
      map_.erase(it);
      ++stats_.evictions;
      ++stats_.misses;
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++stats_.hits;
    obj = it->second->obj;
    if (!obj) not_found = it->second->not_found;
  }
  if (!obj) return Result<SysObj>(Status::NotFound(std::move(not_found)));
  return Result<SysObj>(*obj);  // the copy is made outside the lock
}

void MetaCache::Insert(const store::ObjectId& id, const Result<SysObj>& r, const Ticket& ticket) {
  if (!r.ok() && !r.status().IsNotFound()) return;  // errors are not facts about the object
  std::shared_ptr<const SysObj> obj;
  if (r.ok()) obj = std::make_shared<const SysObj>(*r);
  std::string key = Key(id);
  std::lock_guard<std::mutex> l(mu_);
  if (!enabled_) return;
  if (ticket.epoch != epoch_ || ticket.gen != slot_gen_[ticket.slot]) {
    ++stats_.stale_inserts;
    return;
  }
  Entry e{key, std::move(obj), r.ok() ? std::string() : r.status().message(), Clock::now()};
  auto it = map_.find(key);
  if (it != map_.end()) {
    *it->second = std::move(e);
    lru_.splice(lru_.begin(), lru_, it->second);
  } else {
    lru_.push_front(std::move(e));
    map_.emplace(std::move(key), lru_.begin());
  }
  ++stats_.inserts;
  while (map_.size() > opts_.max_entries && !lru_.empty()) {
    map_.erase(lru_.back().key);
    lru_.pop_back();
    ++stats_.evictions;
  }
}

void MetaCache::Invalidate(const store::ObjectId& id) {
  const std::string key = Key(id);
  const size_t slot = std::hash<std::string>{}(key) % kSlots;
  std::lock_guard<std::mutex> l(mu_);
  ++slot_gen_[slot];
  ++stats_.invalidations;
  auto it = map_.find(key);
  if (it == map_.end()) return;
  lru_.erase(it->second);
  map_.erase(it);
}

void MetaCache::ClearLocked() {
  ++epoch_;
  ++stats_.clears;
  map_.clear();
  lru_.clear();
}

void MetaCache::Clear() {
  std::lock_guard<std::mutex> l(mu_);
  ClearLocked();
}

void MetaCache::SetEnabled(bool enabled) {
  std::lock_guard<std::mutex> l(mu_);
  if (enabled_ == enabled) return;
  enabled_ = enabled;
  ClearLocked();
}

bool MetaCache::enabled() const {
  std::lock_guard<std::mutex> l(mu_);
  return enabled_;
}

MetaCacheStats MetaCache::stats() const {
  std::lock_guard<std::mutex> l(mu_);
  MetaCacheStats s = stats_;
  s.entries = map_.size();
  s.enabled = enabled_;
  return s;
}

}  // namespace kelp::rgw
