#include "rgw/meta/quota.h"

#include <string>

namespace kelp::rgw {

namespace {
uint64_t Rounded4k(uint64_t size) { return (size + 4095) & ~uint64_t{4095}; }
}  // namespace

AppliedQuotas QuotasFor(const BucketInfo& bucket, const UserInfo& owner) {
  AppliedQuotas q;
  if (bucket.quota.enabled) {
    q.bucket = bucket.quota;
  } else if (owner.bucket_quota.enabled) {
    q.bucket = owner.bucket_quota;
  }
  if (owner.user_quota.enabled) q.user = owner.user_quota;
  return q;
}

Status CheckQuotaLimit(std::string_view scope, const QuotaInfo& quota, const QuotaUsage& used,
                       uint64_t size) {
  if (!quota.enabled) return Status::OK();
  if (quota.max_objects >= 0 &&
      used.num_objects + 1 > static_cast<uint64_t>(quota.max_objects)) {
    return Status(Code::kQuotaExceeded,
                  std::string(scope) + " quota exceeded: " + std::to_string(used.num_objects) +
                      " objects stored, at most " + std::to_string(quota.max_objects) +
                      " allowed");
  }
  if (quota.max_size >= 0) {
    const uint64_t have = quota.check_on_raw ? used.size : used.size_rounded;
    const uint64_t add = quota.check_on_raw ? size : Rounded4k(size);
    if (have + add > static_cast<uint64_t>(quota.max_size)) {
      return Status(Code::kQuotaExceeded,
                    std::string(scope) + " quota exceeded: " + std::to_string(have) +
                        " bytes stored + " + std::to_string(add) + " is more than " +
                        std::to_string(quota.max_size) + " allowed");
    }
  }
  return Status::OK();
}

QuotaUsage BucketUsage(const BucketStats& stats) {
  QuotaUsage u;
  for (const auto& [category, fields] : stats.usage) {
    auto get = [&fields = fields](const char* name) {
      auto it = fields.find(name);
      return it == fields.end() ? uint64_t{0} : it->second;
    };
    u.num_objects += get("num_objects");
    u.size += get("size");
    u.size_rounded += get("size_actual");  // radosgw-admin's name for the rounded size
  }
  return u;
}

Status SyncUserStats(BucketService& buckets, UserService& users, const LoadedBucket& bucket) {
  ASSIGN_OR_RETURN(BucketStats stats, buckets.Stats(bucket));
  const QuotaUsage u = BucketUsage(stats);
  return users.SyncBucketStats(bucket.info.owner, bucket.info.bucket, u.size, u.size_rounded,
                               u.num_objects);
}

Status CheckQuota(BucketService& buckets, UserService& users, const LoadedBucket& bucket,
                  const AppliedQuotas& q, uint64_t size) {
  if (!q.any()) return Status::OK();
  ASSIGN_OR_RETURN(BucketStats stats, buckets.Stats(bucket));
  const QuotaUsage in_bucket = BucketUsage(stats);
  RETURN_IF_ERROR(CheckQuotaLimit("bucket", q.bucket, in_bucket, size));
  if (!q.user.enabled) return Status::OK();
  RETURN_IF_ERROR(users.SyncBucketStats(bucket.info.owner, bucket.info.bucket, in_bucket.size,
                                        in_bucket.size_rounded, in_bucket.num_objects));
  ASSIGN_OR_RETURN(store::cls::user::UserHeader header, users.GetStatsHeader(bucket.info.owner));
  QuotaUsage of_user;
  of_user.num_objects = header.stats.total_entries;
  of_user.size = header.stats.total_bytes;
  of_user.size_rounded = header.stats.total_bytes_rounded;
  return CheckQuotaLimit("user", q.user, of_user, size);
}

}  // namespace kelp::rgw
