// Removing every object of a bucket before the bucket itself
// (radosgw-admin bucket rm --purge-objects, user rm --purge-data).
//
// Driven by the bucket index: each entry's head object is removed with the
// tail objects its manifest names (tails shared with a server-side copy drop
// one reference through cls refcount instead, as radosgw's gc does); OLH
// objects of versioned keys and pending multipart uploads (meta object and
// part heads) go too. The index itself is not updated: the bucket's index
// shards are removed with the bucket right after.
#pragma once

#include "base/status.h"
#include "rgw/services.h"

namespace kelp::admin {

Status PurgeBucketObjects(rgw::Services& svc, const rgw::LoadedBucket& bucket);

}  // namespace kelp::admin
