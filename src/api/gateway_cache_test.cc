// GatewayOptions::metadata_cache: two gateways over one embedded store, one
// caching. What the other changes (users, ACLs, buckets) is answered by the
// caching one on its very next call, and repeated calls are cache hits.
#include <gtest/gtest.h>

#include <filesystem>

#include "api/gateway.h"
#include "base/crypto.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

namespace kelp::api {
namespace {

class GatewayCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kelp-gwcache-" + std::to_string(::getpid()) + "-" + RandomAlnum(6));
    auto store = store::embedded::OpenEmbeddedStore(dir_.string(), {.sync = false});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto plain = Gateway::OpenUnowned(*store_);
    ASSERT_TRUE(plain.ok());
    plain_ = std::move(*plain);
    GatewayOptions o;
    o.metadata_cache = true;
    auto cached = Gateway::OpenUnowned(*store_, o);
    ASSERT_TRUE(cached.ok());
    cached_ = std::move(*cached);
    for (const char* uid : {"alice", "bob"}) {
      rgw::UserSpec spec;
      spec.uid.id = uid;
      spec.display_name = uid;
      ASSERT_TRUE(plain_->services().users().Create(spec).ok());
    }
  }
  void TearDown() override {
    cached_.reset();
    plain_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  RequestContext As(Gateway& gw, const std::string& uid) {
    auto who = gw.ActAs(uid);
    EXPECT_TRUE(who.ok()) << who.status().ToString();
    return RequestContext{who.ok() ? *who : Identity::Anonymous(), "", ""};
  }
  Code ListAs(const Identity& who, const std::string& bucket) {
    ListObjectsRequest req;
    req.bucket = bucket;
    return cached_->ListObjects(RequestContext{who, "", ""}, req).status().code();
  }
  rgw::MetaCache& cache() { return *cached_->services().metadata_cache(); }

  std::filesystem::path dir_;
  std::unique_ptr<store::ObjectStore> store_;
  std::unique_ptr<Gateway> plain_, cached_;
};

TEST_F(GatewayCacheTest, OnlyTheOptionTurnsItOn) {
  EXPECT_EQ(plain_->services().metadata_cache(), nullptr);
  ASSERT_NE(cached_->services().metadata_cache(), nullptr);
  EXPECT_TRUE(cache().enabled());
}

TEST_F(GatewayCacheTest, AclChangesByTheOtherGatewayAreSeenAtOnce) {
  auto alice = As(*plain_, "alice");
  ASSERT_TRUE(plain_->CreateBucket(alice, {.bucket = "shared-acl"}).ok());
  const Identity anon = Identity::Anonymous();
  EXPECT_EQ(ListAs(anon, "shared-acl"), Code::kAccessDenied);
  uint64_t hits = cache().stats().hits;
  EXPECT_EQ(ListAs(anon, "shared-acl"), Code::kAccessDenied);
  EXPECT_GT(cache().stats().hits, hits);  // entrypoint and instance came from the cache
  ASSERT_TRUE(plain_->PutBucketAcl(alice, "shared-acl", "public-read", {}, nullptr).ok());
  EXPECT_EQ(ListAs(anon, "shared-acl"), Code::kOk);
  ASSERT_TRUE(plain_->PutBucketAcl(alice, "shared-acl", "private", {}, nullptr).ok());
  EXPECT_EQ(ListAs(anon, "shared-acl"), Code::kAccessDenied);
}

TEST_F(GatewayCacheTest, SuspensionAndBucketRecreationAreSeenAtOnce) {
  ASSERT_TRUE(cached_->ActAs("alice").ok());
  ASSERT_TRUE(plain_->services().users().SetSuspended(rgw::User::FromString("alice"), true).ok());
  EXPECT_EQ(cached_->ActAs("alice").status().code(), Code::kAccountProblem);
  ASSERT_TRUE(plain_->services().users().SetSuspended(rgw::User::FromString("alice"), false).ok());
  ASSERT_TRUE(cached_->ActAs("alice").ok());

  auto alice = As(*plain_, "alice");
  auto bob = As(*plain_, "bob");
  ASSERT_TRUE(plain_->CreateBucket(alice, {.bucket = "reborn"}).ok());
  EXPECT_EQ(ListAs(alice.who, "reborn"), Code::kOk);
  EXPECT_EQ(ListAs(bob.who, "reborn"), Code::kAccessDenied);
  ASSERT_TRUE(plain_->DeleteBucket(alice, "reborn").ok());
  EXPECT_EQ(ListAs(alice.who, "reborn"), Code::kNoSuchBucket);
  ASSERT_TRUE(plain_->CreateBucket(bob, {.bucket = "reborn"}).ok());
  EXPECT_EQ(ListAs(bob.who, "reborn"), Code::kOk);
  EXPECT_EQ(ListAs(alice.who, "reborn"), Code::kAccessDenied);
}

}  // namespace
}  // namespace kelp::api
