// Quotas through the gateway on a real embedded store: what a client sees
// (403 QuotaExceeded) for PUT, parts and copies, and what is left behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "api/gateway.h"
#include "base/crypto.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

namespace kelp::api {
namespace {

class GatewayQuotaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kelp-quota-" + std::to_string(::getpid()) + "-" + RandomAlnum(6));
    auto store = store::embedded::OpenEmbeddedStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto gw = Gateway::Open(std::move(*store));
    ASSERT_TRUE(gw.ok()) << gw.status().ToString();
    gw_ = std::move(*gw);
    rgw::UserSpec spec;
    spec.uid.id = "quser";
    spec.display_name = "quota user";
    ASSERT_TRUE(gw_->services().users().Create(spec).ok());
    ctx_.who.anonymous = false;
    ctx_.who.user.id = "quser";
    ctx_.who.display_name = spec.display_name;
    Status created = gw_->CreateBucket(ctx_, {.bucket = "qbucket"});
    ASSERT_TRUE(created.ok()) << created.ToString();
  }
  void TearDown() override {
    gw_.reset();
    std::filesystem::remove_all(dir_);
  }

  static rgw::QuotaInfo Quota(int64_t max_objects, int64_t max_size) {
    rgw::QuotaInfo q;
    q.enabled = true;
    q.max_objects = max_objects;
    q.max_size = max_size;
    return q;
  }
  void SetBucketQuota(const std::string& name, const rgw::QuotaInfo& q) {
    auto b = gw_->services().buckets().Get("", name);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    b->info.quota = q;
    ASSERT_TRUE(gw_->services().buckets().PutInfo(*b).ok());
  }
  void SetUserQuotas(const rgw::QuotaInfo& bucket_quota, const rgw::QuotaInfo& user_quota) {
    auto u = gw_->services().users().Get(ctx_.who.user);
    ASSERT_TRUE(u.ok());
    rgw::UserInfo old = u->info;
    u->info.bucket_quota = bucket_quota;
    u->info.user_quota = user_quota;
    ASSERT_TRUE(gw_->services().users().Put(*u, &old).ok());
  }

  // A PUT as a client does it: length known (or not: chunked), then the body.
  Status Put(const std::string& bucket, const std::string& key, const std::string& data,
             bool length_known = true) {
    PutObjectRequest req;
    req.bucket = bucket;
    req.key = key;
    if (length_known) req.content_length = data.size();
    ASSIGN_OR_RETURN(auto up, gw_->PutObject(ctx_, req));
    RETURN_IF_ERROR(up->Write(data));
    return up->Complete().status();
  }
  bool Exists(const std::string& bucket, const std::string& key) {
    GetObjectRequest get;
    get.bucket = bucket;
    get.key = key;
    return gw_->GetObject(ctx_, get).ok();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Gateway> gw_;
  RequestContext ctx_;
};

TEST_F(GatewayQuotaTest, BucketObjectQuotaRefusesTheOneTooMany) {
  SetBucketQuota("qbucket", Quota(2, -1));
  ASSERT_TRUE(Put("qbucket", "a", "1").ok());
  ASSERT_TRUE(Put("qbucket", "b", "2").ok());
  Status s = Put("qbucket", "c", "3");
  EXPECT_EQ(s.code(), Code::kQuotaExceeded) << s.ToString();
  EXPECT_FALSE(Exists("qbucket", "c"));
  // Overwrites get no credit for the object they replace (radosgw alike).
  EXPECT_EQ(Put("qbucket", "a", "again").code(), Code::kQuotaExceeded);
  // Deleting makes room.
  ASSERT_TRUE(gw_->DeleteObject(ctx_, "qbucket", "b", "").ok());
  EXPECT_TRUE(Put("qbucket", "c", "3").ok());
  // A disabled quota is not checked.
  rgw::QuotaInfo off = Quota(2, -1);
  off.enabled = false;
  SetBucketQuota("qbucket", off);
  EXPECT_TRUE(Put("qbucket", "d", "4").ok());
}

TEST_F(GatewayQuotaTest, SizeQuotaIsCheckedUpFrontAndForChunkedBodiesAtTheEnd) {
  SetBucketQuota("qbucket", Quota(-1, 3 * 4096));
  ASSERT_TRUE(Put("qbucket", "a", std::string(4096, 'a')).ok());
  ASSERT_TRUE(Put("qbucket", "b", std::string(100, 'b')).ok());  // counts 4 KiB
  EXPECT_EQ(Put("qbucket", "big", std::string(4097, 'c')).code(), Code::kQuotaExceeded);
  EXPECT_EQ(Put("qbucket", "chunked", std::string(4097, 'c'), false).code(), Code::kQuotaExceeded);
  EXPECT_FALSE(Exists("qbucket", "big"));
  EXPECT_FALSE(Exists("qbucket", "chunked"));
  EXPECT_TRUE(Put("qbucket", "fits", std::string(4096, 'd'), false).ok());
}

TEST_F(GatewayQuotaTest, OwnersBucketQuotaAppliesWhenTheBucketHasNone) {
  SetUserQuotas(Quota(1, -1), rgw::QuotaInfo{});
  ASSERT_TRUE(Put("qbucket", "a", "1").ok());
  EXPECT_EQ(Put("qbucket", "b", "2").code(), Code::kQuotaExceeded);
  // The bucket's own quota, once enabled, wins over the owner's.
  SetBucketQuota("qbucket", Quota(5, -1));
  EXPECT_TRUE(Put("qbucket", "b", "2").ok());
}

TEST_F(GatewayQuotaTest, UserQuotaCountsEveryBucketOfTheOwner) {
  ASSERT_TRUE(gw_->CreateBucket(ctx_, {.bucket = "qbucket2"}).ok());
  ASSERT_TRUE(Put("qbucket", "a", "1").ok());
  ASSERT_TRUE(Put("qbucket2", "b", "2").ok());
  SetUserQuotas(rgw::QuotaInfo{}, Quota(4, -1));
  ASSERT_TRUE(Put("qbucket", "c", "3").ok());   // 3 objects in all
  ASSERT_TRUE(Put("qbucket2", "d", "4").ok());  // 4: the limit, reached
  EXPECT_EQ(Put("qbucket", "e", "5").code(), Code::kQuotaExceeded);
  EXPECT_EQ(Put("qbucket2", "e", "5").code(), Code::kQuotaExceeded);
  ASSERT_TRUE(gw_->DeleteObject(ctx_, "qbucket2", "b", "").ok());
  // The delete is seen once its bucket is synced: by the next write there.
  EXPECT_TRUE(Put("qbucket2", "e", "5").ok());
  // What radosgw-admin user stats shows has been kept up to date.
  auto header = gw_->services().users().GetStatsHeader(ctx_.who.user);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->stats.total_entries, 4u);  // a, c | d, e
}

// HeadBucket tells usage, and quotas to the owner only (X-RGW-* headers).
TEST_F(GatewayQuotaTest, HeadBucketShowsUsageAndTheOwnersQuotas) {
  ASSERT_TRUE(Put("qbucket", "a", "abc").ok());
  ASSERT_TRUE(Put("qbucket", "b", "de").ok());
  SetBucketQuota("qbucket", Quota(10, 1 << 20));
  auto head = gw_->HeadBucket(ctx_, "qbucket");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->object_count, 2u);
  EXPECT_EQ(head->bytes_used, 5u);
  ASSERT_TRUE(head->quotas.has_value());
  EXPECT_EQ(head->quotas->bucket_objects, 10);
  EXPECT_EQ(head->quotas->bucket_size, 1 << 20);
  EXPECT_EQ(head->quotas->user_size, -1);
  EXPECT_EQ(head->quotas->max_buckets, 1000);
  RequestContext system;
  system.who.anonymous = false;
  system.who.system = true;
  system.who.user.id = "someone-else";
  auto other = gw_->HeadBucket(system, "qbucket");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->quotas.has_value());
}

TEST_F(GatewayQuotaTest, PartsAndCopiesCountAndSystemRequestsAreExempt) {
  SetBucketQuota("qbucket", Quota(2, -1));
  ASSERT_TRUE(Put("qbucket", "src", "source").ok());
  PutObjectRequest mp;
  mp.bucket = "qbucket";
  mp.key = "multi";
  auto upload_id = gw_->CreateMultipartUpload(ctx_, mp);
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().ToString();
  PutObjectRequest part;
  part.content_length = 5;
  auto p1 = gw_->UploadPart(ctx_, "qbucket", "multi", *upload_id, 1, part);
  // The upload's meta object is an index entry already (rgw.multimeta): 2.
  EXPECT_EQ(p1.status().code(), Code::kQuotaExceeded) << p1.status().ToString();

  CopyObjectRequest copy;
  copy.src_bucket = "qbucket";
  copy.src_key = "src";
  copy.dst_bucket = "qbucket";
  copy.dst_key = "copy";
  EXPECT_EQ(gw_->CopyObject(ctx_, copy).status().code(), Code::kQuotaExceeded);
  EXPECT_FALSE(Exists("qbucket", "copy"));

  RequestContext system = ctx_;
  system.who.system = true;
  PutObjectRequest req;
  req.bucket = "qbucket";
  req.key = "by-admin";
  req.content_length = 1;
  auto up = gw_->PutObject(system, req);
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  ASSERT_TRUE((*up)->Write("x").ok());
  EXPECT_TRUE((*up)->Complete().ok());
}

}  // namespace
}  // namespace kelp::api
