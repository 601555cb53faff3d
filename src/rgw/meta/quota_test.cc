// The quota rules of radosgw 16.2's rgw_quota.cc, without a store.
#include "rgw/meta/quota.h"

#include <gtest/gtest.h>

namespace kelp::rgw {
namespace {

QuotaInfo Quota(int64_t max_objects, int64_t max_size, bool raw = false) {
  QuotaInfo q;
  q.enabled = true;
  q.max_objects = max_objects;
  q.max_size = max_size;
  q.check_on_raw = raw;
  return q;
}

TEST(Quota, ObjectCountReachesTheLimitButDoesNotPassIt) {
  QuotaUsage used{.num_objects = 2, .size = 10, .size_rounded = 8192};
  EXPECT_TRUE(CheckQuotaLimit("bucket", Quota(3, -1), used, 1).ok());
  used.num_objects = 3;
  Status s = CheckQuotaLimit("bucket", Quota(3, -1), used, 1);
  EXPECT_EQ(s.code(), Code::kQuotaExceeded);
  EXPECT_NE(s.message().find("bucket quota exceeded"), std::string::npos) << s.message();
  // max_objects 0 allows nothing; < 0 is no limit.
  EXPECT_EQ(CheckQuotaLimit("user", Quota(0, -1), QuotaUsage{}, 0).code(), Code::kQuotaExceeded);
  used.num_objects = 1u << 30;
  EXPECT_TRUE(CheckQuotaLimit("user", Quota(-1, -1), used, 1 << 20).ok());
}

TEST(Quota, SizeIsRoundedTo4KiBUnlessCheckedOnRaw) {
  // 3 objects of 1 byte: 3 bytes raw, 12 KiB rounded.
  QuotaUsage used{.num_objects = 3, .size = 3, .size_rounded = 3 * 4096};
  // One more byte: rounded 16 KiB.
  EXPECT_TRUE(CheckQuotaLimit("bucket", Quota(-1, 16384), used, 1).ok());
  EXPECT_EQ(CheckQuotaLimit("bucket", Quota(-1, 16383), used, 1).code(), Code::kQuotaExceeded);
  // Raw: 3 + 1 bytes.
  EXPECT_TRUE(CheckQuotaLimit("bucket", Quota(-1, 4, true), used, 1).ok());
  EXPECT_EQ(CheckQuotaLimit("bucket", Quota(-1, 3, true), used, 1).code(), Code::kQuotaExceeded);
  // An empty object still counts 0 bytes.
  EXPECT_TRUE(CheckQuotaLimit("bucket", Quota(-1, 3 * 4096), used, 0).ok());
}

TEST(Quota, DisabledQuotaIsNotChecked) {
  QuotaInfo q = Quota(0, 0);
  q.enabled = false;
  EXPECT_TRUE(CheckQuotaLimit("bucket", q, QuotaUsage{.num_objects = 9}, 1 << 20).ok());
}

TEST(Quota, BucketQuotaFromTheBucketElseTheOwner) {
  BucketInfo bucket;
  UserInfo owner;
  EXPECT_FALSE(QuotasFor(bucket, owner).any());
  owner.bucket_quota = Quota(5, -1);
  owner.user_quota = Quota(-1, 1000);
  AppliedQuotas q = QuotasFor(bucket, owner);
  EXPECT_EQ(q.bucket, owner.bucket_quota);
  EXPECT_EQ(q.user, owner.user_quota);
  bucket.quota = Quota(7, -1);
  EXPECT_EQ(QuotasFor(bucket, owner).bucket, bucket.quota);
  owner.user_quota.enabled = false;
  EXPECT_FALSE(QuotasFor(bucket, owner).user.enabled);
}

TEST(Quota, BucketUsageSumsEveryCategory) {
  BucketStats st;
  st.usage["rgw.main"] = {{"num_objects", 2}, {"size", 10}, {"size_actual", 8192}};
  st.usage["rgw.multimeta"] = {{"num_objects", 1}, {"size", 0}, {"size_actual", 0}};
  QuotaUsage u = BucketUsage(st);
  EXPECT_EQ(u.num_objects, 3u);
  EXPECT_EQ(u.size, 10u);
  EXPECT_EQ(u.size_rounded, 8192u);
}

}  // namespace
}  // namespace kelp::rgw
