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

}  // namespace kelp::rgw
