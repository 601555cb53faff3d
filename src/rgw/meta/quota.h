// User and bucket quotas, enforced as radosgw 16.2 does (rgw_quota.cc,
// RGWOp::init_quota): a write of one object (a PUT, a part, a copy) is
// refused with kQuotaExceeded (S3 403 QuotaExceeded) when the bucket's
// usage, or its owner's, plus that object would pass an enabled quota.
//
// Which quotas: the bucket instance's quota if enabled, else the owner's
// bucket_quota if enabled; the owner's user_quota if enabled. In an enabled
// quota a limit < 0 is off; max_objects 0 allows no object. Compared (strict
// >, so usage may reach a limit): objects + 1, then the size, 4 KiB-rounded
// (radosgw's default applier) or raw with check_on_raw.
//
// Usage is read fresh, not cached: the bucket's index headers (every
// category, so unfinished uploads' parts count, as in radosgw); for a user
// quota the owner's cls_user header, after this bucket's current stats are
// written into it; writes under a user quota sync their bucket again once
// committed (radosgw adjusts its cached stats after each write and syncs
// them every rgw_user_quota_bucket_sync_interval). The cluster-wide period
// quota is not read.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/meta/user_service.h"

namespace kelp::rgw {

struct QuotaUsage {
  uint64_t num_objects = 0;
  uint64_t size = 0;
  uint64_t size_rounded = 0;  // each object rounded up to 4 KiB
};

// The quotas a write into a bucket is held to (disabled = not checked).
struct AppliedQuotas {
  QuotaInfo bucket;
  QuotaInfo user;
  bool any() const { return bucket.enabled || user.enabled; }
};
AppliedQuotas QuotasFor(const BucketInfo& bucket, const UserInfo& owner);

// OK, or kQuotaExceeded naming `scope` ("bucket"/"user") and the limit, if
// one more object of `size` bytes on top of `used` passes `quota`.
Status CheckQuotaLimit(std::string_view scope, const QuotaInfo& quota, const QuotaUsage& used,
                       uint64_t size);

// Sums a bucket's stats over every category (radosgw's read_bucket_stats).
QuotaUsage BucketUsage(const BucketStats& stats);

// Writes `bucket`'s current totals into its owner's cls_user header (after
// a write under a user quota, so the next check of any bucket sees it).
Status SyncUserStats(BucketService& buckets, UserService& users, const LoadedBucket& bucket);

// Checks a write of one object of `size` bytes into `bucket` against `q`,
// reading the usage as described above. Store errors are returned as such.
Status CheckQuota(BucketService& buckets, UserService& users, const LoadedBucket& bucket,
                  const AppliedQuotas& q, uint64_t size);

}  // namespace kelp::rgw
