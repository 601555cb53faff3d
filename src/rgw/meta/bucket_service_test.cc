#include "rgw/meta/bucket_service.h"

#include "rgw/meta/sysobj.h"
#include "rgw/meta/testing/temp_store.h"
#include "store/cls/rgw/types.h"

namespace kelp::rgw {
namespace {

class BucketServiceTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    UserSpec s;
    s.uid = User::FromString("owner");
    s.display_name = "Owner";
    ASSERT_TRUE(svc_->users().Create(s).ok());
    s.uid = User::FromString("other");
    ASSERT_TRUE(svc_->users().Create(s).ok());
  }
  CreateBucketSpec Spec(const std::string& name, const std::string& owner = "owner",
                        const std::string& tenant = "") {
    CreateBucketSpec s;
    s.bucket.tenant = tenant;
    s.bucket.name = name;
    s.owner = User::FromString(owner);
    s.acl = MakeDefaultPolicy(s.owner, "Owner");
    return s;
  }
  bool MetaExists(const std::string& oid) {
    store::ObjectStat st;
    return store_->Operate({"default.rgw.meta", "root", oid, ""}, store::ReadOp().Stat(&st)).ok();
  }
};

TEST_F(BucketServiceTest, CreateLaysOutEntrypointInstanceIndexAndLink) {
  auto b = svc_->buckets().Create(Spec("photos"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  const std::string& id = b->info.bucket.bucket_id;
  EXPECT_EQ(id, svc_->zone().zone_id() + "." + std::to_string(store_->InstanceId()) + ".1");
  EXPECT_EQ(b->info.bucket.marker, id);
  EXPECT_EQ(b->num_shards(), 11u);
  EXPECT_EQ(b->info.zonegroup, svc_->zone().zonegroup().id());
  EXPECT_EQ(b->info.placement_rule.name, "default-placement");
  EXPECT_EQ(b->ep_objv.ver, 1u);
  EXPECT_EQ(b->ep_objv.tag.size(), 25u);
  EXPECT_EQ(b->ep_objv.tag[0], '_');

  EXPECT_TRUE(MetaExists("photos"));
  EXPECT_TRUE(MetaExists(".bucket.meta.photos:" + id));
  auto inst = GetSysObj(*store_, {"default.rgw.meta", "root", ".bucket.meta.photos:" + id, ""});
  ASSERT_TRUE(inst.ok());
  ASSERT_TRUE(inst->attrs.count("user.rgw.acl"));
  EXPECT_EQ(inst->attrs["user.rgw.acl"],
            EncodeToString(MakeDefaultPolicy(User::FromString("owner"), "Owner")));
  // Every shard exists with an initialised header (ver 1 after bucket_init_index).
  for (uint32_t s = 0; s < 11; ++s) {
    std::string header;
    ASSERT_TRUE(
        store_
            ->Operate({"default.rgw.buckets.index", "", ".dir." + id + "." + std::to_string(s), ""},
                      store::ReadOp().OmapGetHeader(&header))
            .ok())
        << s;
    store::cls::rgw::DirHeader h;
    ASSERT_TRUE(DecodeFromString(header, h).ok());
    EXPECT_EQ(h.ver, 1u);
  }
  auto linked = svc_->users().ListBuckets(User::FromString("owner"), "", 100, nullptr);
  ASSERT_TRUE(linked.ok());
  ASSERT_EQ(linked->size(), 1u);
  EXPECT_EQ((*linked)[0].bucket.name, "photos");
  EXPECT_EQ((*linked)[0].bucket.bucket_id, id);

  auto got = svc_->buckets().Get("", "photos");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->info, b->info);
  EXPECT_EQ(got->acl, MakeDefaultPolicy(User::FromString("owner"), "Owner"));
  EXPECT_EQ(got->objv, b->objv);
  EXPECT_TRUE(svc_->buckets().Get("", "nope").status().Is(Code::kNoSuchBucket));
}

TEST_F(BucketServiceTest, CreateTwice) {
  ASSERT_TRUE(svc_->buckets().Create(Spec("twice")).ok());
  EXPECT_TRUE(svc_->buckets().Create(Spec("twice")).status().Is(Code::kBucketAlreadyOwnedByYou));
  EXPECT_TRUE(
      svc_->buckets().Create(Spec("twice", "other")).status().Is(Code::kBucketAlreadyExists));
  auto instances = svc_->buckets().ListInstances("", 0, nullptr);
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(instances->size(), 1u);  // the refused creations left nothing behind
}

TEST_F(BucketServiceTest, TenantBucketsAreSeparateNamespaces) {
  auto a = svc_->buckets().Create(Spec("shared", "owner", "acme"));
  ASSERT_TRUE(a.ok());
  auto b = svc_->buckets().Create(Spec("shared", "other"));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->info.bucket.bucket_id, b->info.bucket.bucket_id);
  EXPECT_TRUE(MetaExists("acme/shared"));
  EXPECT_TRUE(MetaExists(".bucket.meta.acme:shared:" + a->info.bucket.bucket_id));
  auto list = svc_->buckets().List("", 0, nullptr);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<std::string>{"acme/shared", "shared"}));
  auto instances = svc_->buckets().ListInstances("", 0, nullptr);
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(*instances, (std::vector<std::string>{"acme/shared:" + a->info.bucket.bucket_id,
                                                  "shared:" + b->info.bucket.bucket_id}));
  EXPECT_EQ(svc_->buckets().Get("acme", "shared")->info.owner, User::FromString("owner"));
  EXPECT_EQ(svc_->buckets().Get("", "shared")->info.owner, User::FromString("other"));
}

TEST_F(BucketServiceTest, RemoveRefusesANonEmptyBucketAndCleansUpAnEmptyOne) {
  auto b = svc_->buckets().Create(Spec("full"));
  ASSERT_TRUE(b.ok());
  // An object entry in one shard, as bucket_complete_op leaves it.
  store::cls::rgw::DirEntry e;
  e.key.name = "obj";
  e.exists = true;
  e.meta.category = store::cls::rgw::kCategoryMain;
  e.meta.size = 5;
  store::ObjectId shard = b->IndexShard(svc_->zone(), b->ShardFor("obj"));
  ASSERT_TRUE(store_->Operate(shard, store::WriteOp().OmapSet("obj", EncodeToString(e))).ok());
  EXPECT_FALSE(*svc_->buckets().IsEmpty(*b));
  EXPECT_TRUE(svc_->buckets().Remove(*b).Is(Code::kBucketNotEmpty));
  EXPECT_TRUE(svc_->buckets().Get("", "full").ok());

  // Multipart bookkeeping entries do not keep a bucket alive (check_bucket_empty).
  ASSERT_TRUE(store_->Operate(shard, store::WriteOp().OmapRmKeys({"obj"})).ok());
  e.key.name = "_multipart_obj.2~abc.meta";
  ASSERT_TRUE(store_->Operate(shard, store::WriteOp().OmapSet(e.key.name, EncodeToString(e))).ok());
  EXPECT_TRUE(*svc_->buckets().IsEmpty(*b));
  ASSERT_TRUE(svc_->buckets().Remove(*b).ok());
  EXPECT_TRUE(svc_->buckets().Get("", "full").status().Is(Code::kNoSuchBucket));
  EXPECT_FALSE(MetaExists(".bucket.meta.full:" + b->info.bucket.bucket_id));
  store::ObjectStat st;
  EXPECT_TRUE(store_->Operate(shard, store::ReadOp().Stat(&st)).IsNotFound());
  EXPECT_TRUE(svc_->users().ListBuckets(User::FromString("owner"), "", 10, nullptr)->empty());
  // The name is free again.
  EXPECT_TRUE(svc_->buckets().Create(Spec("full", "other")).ok());
}

TEST_F(BucketServiceTest, StatsSumTheShardHeaders) {
  auto b = svc_->buckets().Create(Spec("counted"));
  ASSERT_TRUE(b.ok());
  namespace clsrgw = store::cls::rgw;
  for (uint32_t s : {2u, 7u}) {
    clsrgw::DirHeader h;
    h.ver = 5;
    h.stats[clsrgw::kCategoryMain] = clsrgw::CategoryStats{1000, 4096, 2, 1000};
    ASSERT_TRUE(store_
                    ->Operate(b->IndexShard(svc_->zone(), s),
                              store::WriteOp().OmapSetHeader(EncodeToString(h)))
                    .ok());
  }
  auto st = svc_->buckets().Stats(*b);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->num_objects, 4u);
  EXPECT_EQ(st->size, 2000u);
  EXPECT_EQ(st->size_rounded, 8192u);
  EXPECT_EQ(st->usage["rgw.main"]["size_kb"], 2u);
  EXPECT_EQ(st->usage["rgw.main"]["size_kb_actual"], 8u);
  ASSERT_EQ(st->shard_ver.size(), 11u);
  EXPECT_EQ(st->shard_ver[2], 5u);
  EXPECT_EQ(st->shard_ver[0], 1u);
}

TEST_F(BucketServiceTest, SetAttrsAndLink) {
  auto b = svc_->buckets().Create(Spec("attrs"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(svc_->buckets().SetAttrs(*b, {{"user.rgw.x-amz-tagging", "tags"}}, {}).ok());
  EXPECT_EQ(b->objv.ver, 2u);
  auto again = svc_->buckets().Get("", "attrs");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->attrs["user.rgw.x-amz-tagging"], "tags");
  EXPECT_TRUE(again->attrs.count("user.rgw.acl"));
  ASSERT_TRUE(svc_->buckets().SetAttrs(*again, {}, {"user.rgw.x-amz-tagging"}).ok());
  EXPECT_FALSE(svc_->buckets().Get("", "attrs")->attrs.count("user.rgw.x-amz-tagging"));
  // A stale copy cannot overwrite a newer instance.
  EXPECT_TRUE(svc_->buckets().PutInfo(*b).IsCanceled());

  auto cur = svc_->buckets().Get("", "attrs");
  ASSERT_TRUE(svc_->buckets().Link(*cur, User::FromString("other"), "Other").ok());
  auto linked = svc_->buckets().Get("", "attrs");
  EXPECT_EQ(linked->info.owner, User::FromString("other"));
  EXPECT_EQ(linked->entrypoint.owner, User::FromString("other"));
  EXPECT_EQ(linked->acl.owner.id, User::FromString("other"));
  EXPECT_EQ(svc_->users().ListBuckets(User::FromString("other"), "", 10, nullptr)->size(), 1u);
  EXPECT_TRUE(svc_->users().ListBuckets(User::FromString("owner"), "", 10, nullptr)->empty());
}

TEST_F(BucketServiceTest, MaxBucketsOfTheOwnerHolds) {
  auto user = svc_->users().Get(User::FromString("owner"));
  ASSERT_TRUE(user.ok());
  UserInfo old = user->info;
  user->info.max_buckets = 2;
  ASSERT_TRUE(svc_->users().Put(*user, &old).ok());
  ASSERT_TRUE(svc_->buckets().Create(Spec("one")).ok());
  ASSERT_TRUE(svc_->buckets().Create(Spec("two")).ok());
  EXPECT_TRUE(svc_->buckets().Create(Spec("three")).status().Is(Code::kTooManyBuckets));
  old = user->info;
  user->info.max_buckets = -1;
  ASSERT_TRUE(svc_->users().Put(*user, &old).ok());
  EXPECT_TRUE(svc_->buckets().Create(Spec("four")).status().Is(Code::kAccessDenied));
  old = user->info;
  user->info.max_buckets = 0;  // unlimited
  ASSERT_TRUE(svc_->users().Put(*user, &old).ok());
  EXPECT_TRUE(svc_->buckets().Create(Spec("five")).ok());
}

TEST_F(BucketServiceTest, BucketIdsStayUniqueAcrossRestarts) {
  auto a = svc_->buckets().Create(Spec("before"));
  ASSERT_TRUE(a.ok());
  Reopen();
  auto b = svc_->buckets().Create(Spec("after"));
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->info.bucket.bucket_id, b->info.bucket.bucket_id);
}

}  // namespace
}  // namespace kelp::rgw
