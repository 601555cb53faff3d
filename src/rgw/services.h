// Services: the radosgw data layout on an ObjectStore — one object that
// knows the zone (pools, placement) and hands out the per-area services.
//
// Init() reads the zone and zonegroup from `.rgw.root` the way radosgw 16.2
// finds them (zone_names.default -> zone_info.<id>, zonegroups_names.default
// -> zonegroup_info.<id>); on an empty store it creates them, the pools and
// the control objects exactly as radosgw does at its first start.
//
// Every metadata write follows radosgw's sysobj path (meta/sysobj.h: one
// atomic op with cls_version guard) and is announced on the control objects
// for radosgw caches (meta/cache_notify.h), so Kelp and radosgw can share a
// cluster's metadata.
//
// Metadata cache (off unless EnableMetadataCache): users, key/email/swift
// index objects, bucket entrypoints and instances are served from a
// MetaCache kept coherent by a CacheWatcher on notify.0..7 (meta_cache.h,
// cache_watcher.h); bucket index shards, cls_user lists, gc and lock objects
// are always read from the store.
//
// Thread-safety: all services are safe for concurrent use.
#pragma once

#include <memory>

#include "base/status.h"
#include "rgw/meta/cache_watcher.h"
#include "rgw/meta/meta_cache.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/meta/user_service.h"
#include "rgw/meta/zone_service.h"
#include "store/object_store.h"

namespace kelp::rgw {

struct MetadataCacheOptions {
  MetaCache::Options cache;
  CacheWatcherOptions watcher;
};

class Services {
 public:
  static Result<std::unique_ptr<Services>> Init(store::ObjectStore& store);
  ~Services();

  // Starts the metadata cache and its watcher (once; later calls do
  // nothing). The cache serves only while the watches work.
  void EnableMetadataCache(const MetadataCacheOptions& opts = {});
  // Null unless enabled.
  MetaCache* metadata_cache() { return cache_.get(); }
  CacheWatcher* cache_watcher() { return watcher_.get(); }

  store::ObjectStore& store() { return store_; }
  ZoneService& zone() { return *zone_; }
  UserService& users() { return *users_; }
  BucketService& buckets() { return *buckets_; }

 private:
  explicit Services(store::ObjectStore& store) : store_(store) {}
  store::ObjectStore& store_;
  std::unique_ptr<ZoneService> zone_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<BucketService> buckets_;
  std::unique_ptr<MetaCache> cache_;
  std::unique_ptr<CacheWatcher> watcher_;  // stopped before cache_ goes
};

}  // namespace kelp::rgw
