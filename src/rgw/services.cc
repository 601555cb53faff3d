#include "rgw/services.h"

namespace kelp::rgw {

Result<std::unique_ptr<Services>> Services::Init(store::ObjectStore& store) {
  std::unique_ptr<Services> s(new Services(store));
  ASSIGN_OR_RETURN(s->zone_, ZoneService::Init(store));
  s->users_ = std::make_unique<UserService>(store, *s->zone_);
  s->buckets_ = std::make_unique<BucketService>(store, *s->zone_, *s->users_);
  s->users_->SetBucketService(s->buckets_.get());
  return s;
}

Services::~Services() {
  if (watcher_) watcher_->Stop();
}

void Services::EnableMetadataCache(const MetadataCacheOptions& opts) {
  if (cache_) return;
  cache_ = std::make_unique<MetaCache>(opts.cache);
  watcher_ = std::make_unique<CacheWatcher>(store_, *cache_, zone_->params().control_pool,
                                            opts.watcher);
  users_->SetCache(cache_.get());
  buckets_->SetCache(cache_.get());
  watcher_->Start();
}

}  // namespace kelp::rgw
