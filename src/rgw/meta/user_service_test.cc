#include "rgw/meta/user_service.h"

#include "rgw/meta/sysobj.h"
#include "rgw/meta/testing/temp_store.h"
#include "rgw/types/acl.h"

namespace kelp::rgw {
namespace {

class UserServiceTest : public testing::TempStoreTest {
 protected:
  UserSpec Spec(const std::string& uid, const std::string& email = "") {
    UserSpec s;
    s.uid = User::FromString(uid);
    s.display_name = "Name of " + uid;
    s.email = email;
    return s;
  }
  bool ObjectExists(const std::string& ns, const std::string& oid) {
    store::ObjectStat st;
    return store_->Operate({"default.rgw.meta", ns, oid, ""}, store::ReadOp().Stat(&st)).ok();
  }
};

TEST_F(UserServiceTest, CreateWritesRadosgwsObjectsAndGeneratesKeys) {
  auto u = svc_->users().Create(Spec("alice", "alice@example.com"));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  ASSERT_EQ(u->info.access_keys.size(), 1u);
  const AccessKey& k = u->info.access_keys.begin()->second;
  EXPECT_EQ(k.id.size(), 20u);
  EXPECT_EQ(k.key.size(), 40u);
  for (char ch : k.id) EXPECT_TRUE(std::isupper(ch) || std::isdigit(ch)) << k.id;
  EXPECT_EQ(u->info.type, kUserTypeRgw);
  EXPECT_EQ(u->info.max_buckets, 1000);
  // objv of a new metadata object: ver 1, tag "_" + 24 characters.
  EXPECT_EQ(u->objv.ver, 1u);
  EXPECT_EQ(u->objv.tag.size(), 25u);
  EXPECT_EQ(u->objv.tag[0], '_');

  EXPECT_TRUE(ObjectExists("users.uid", "alice"));
  EXPECT_TRUE(ObjectExists("users.keys", k.id));
  EXPECT_TRUE(ObjectExists("users.email", "alice@example.com"));
  auto raw = GetSysObj(*store_, {"default.rgw.meta", "users.keys", k.id, ""});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->data, EncodeUid(User::FromString("alice")));
  EXPECT_EQ(raw->objv.ver, 0u);  // index objects carry no objv

  auto by_key = svc_->users().GetByAccessKey(k.id);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key->info, u->info);
  auto by_mail = svc_->users().GetByEmail("alice@example.com");
  ASSERT_TRUE(by_mail.ok());
  EXPECT_EQ(by_mail->info.user_id.id, "alice");
  EXPECT_TRUE(svc_->users().Get(User::FromString("bob")).status().Is(Code::kNoSuchUser));
  EXPECT_TRUE(svc_->users().GetByAccessKey("NOPE").status().Is(Code::kInvalidAccessKeyId));
  EXPECT_TRUE(svc_->users().GetByEmail("x@y").status().Is(Code::kNoSuchUser));
}

TEST_F(UserServiceTest, DuplicatesAreRefused) {
  UserSpec a = Spec("alice", "alice@example.com");
  a.access_key = "AKALICE0000000000001";
  a.secret_key = "secret";
  ASSERT_TRUE(svc_->users().Create(a).ok());
  auto dup = svc_->users().Create(Spec("alice"));
  EXPECT_TRUE(dup.status().Is(Code::kUserAlreadyExists));
  EXPECT_EQ(dup.status().message(), "user: alice exists");
  auto mail = svc_->users().Create(Spec("bob", "alice@example.com"));
  EXPECT_TRUE(mail.status().Is(Code::kEmailExists));
  UserSpec b = Spec("bob");
  b.access_key = "AKALICE0000000000001";
  b.secret_key = "other";
  EXPECT_TRUE(svc_->users().Create(b).status().Is(Code::kKeyExists));
  // Nothing of the refused users was written.
  EXPECT_FALSE(ObjectExists("users.uid", "bob"));
  auto owner = svc_->users().GetByAccessKey("AKALICE0000000000001");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->info.user_id.id, "alice");
}

TEST_F(UserServiceTest, TenantedUser) {
  auto u = svc_->users().Create(Spec("acme$alice"));
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(ObjectExists("users.uid", "acme$alice"));
  EXPECT_TRUE(svc_->users().Get(User{"acme", "alice", ""}).ok());
  EXPECT_FALSE(svc_->users().Get(User{"", "alice", ""}).ok());
  auto list = svc_->users().List("", 0, nullptr);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, std::vector<std::string>{"acme$alice"});
}

TEST_F(UserServiceTest, KeysAddAndRemoveKeepTheIndexInStep) {
  auto u = svc_->users().Create(Spec("kim"));
  ASSERT_TRUE(u.ok());
  std::string first = u->info.access_keys.begin()->first;
  auto added = svc_->users().AddKey(User::FromString("kim"), "", "");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->info.access_keys.size(), 2u);
  EXPECT_EQ(added->objv.ver, 2u);
  EXPECT_EQ(added->objv.tag, u->objv.tag);
  std::string second;
  for (const auto& [id, k] : added->info.access_keys) {
    if (id != first) second = id;
  }
  EXPECT_TRUE(svc_->users().GetByAccessKey(second).ok());
  auto removed = svc_->users().RemoveKey(User::FromString("kim"), first);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->info.access_keys.size(), 1u);
  EXPECT_TRUE(svc_->users().GetByAccessKey(first).status().Is(Code::kInvalidAccessKeyId));
  EXPECT_FALSE(ObjectExists("users.keys", first));
  EXPECT_TRUE(svc_->users().RemoveKey(User::FromString("kim"), first).status().IsNotFound());
}

TEST_F(UserServiceTest, PutIsGuardedByTheVersionRead) {
  ASSERT_TRUE(svc_->users().Create(Spec("pat", "pat@example.com")).ok());
  auto a = svc_->users().Get(User::FromString("pat"));
  auto b = svc_->users().Get(User::FromString("pat"));
  ASSERT_TRUE(a.ok() && b.ok());
  UserInfo old = a->info;
  a->info.display_name = "first writer";
  a->info.user_email = "new@example.com";
  ASSERT_TRUE(svc_->users().Put(*a, &old).ok());
  b->info.display_name = "second writer";
  EXPECT_TRUE(svc_->users().Put(*b, &old).IsCanceled());
  auto now = svc_->users().Get(User::FromString("pat"));
  EXPECT_EQ(now->info.display_name, "first writer");
  // The e-mail index moved.
  EXPECT_TRUE(svc_->users().GetByEmail("new@example.com").ok());
  EXPECT_FALSE(ObjectExists("users.email", "pat@example.com"));
}

TEST_F(UserServiceTest, RemoveDeletesUserAndIndexes) {
  auto u = svc_->users().Create(Spec("gone", "gone@example.com"));
  ASSERT_TRUE(u.ok());
  std::string key = u->info.access_keys.begin()->first;
  ASSERT_TRUE(svc_->users().Remove(User::FromString("gone")).ok());
  EXPECT_FALSE(ObjectExists("users.uid", "gone"));
  EXPECT_FALSE(ObjectExists("users.keys", key));
  EXPECT_FALSE(ObjectExists("users.email", "gone@example.com"));
  EXPECT_TRUE(svc_->users().Remove(User::FromString("gone")).Is(Code::kNoSuchUser));
}

TEST_F(UserServiceTest, SuspendFlagsTheUsersBuckets) {
  auto u = svc_->users().Create(Spec("sleeper"));
  ASSERT_TRUE(u.ok());
  CreateBucketSpec spec;
  spec.bucket.name = "sleeper-bucket";
  spec.owner = u->info.user_id;
  spec.acl = MakeDefaultPolicy(spec.owner, u->info.display_name);
  auto b = svc_->buckets().Create(spec);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(svc_->users().SetSuspended(spec.owner, true).ok());
  EXPECT_EQ(svc_->users().Get(spec.owner)->info.suspended, 1);
  auto flagged = svc_->buckets().Get("", "sleeper-bucket");
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->info.flags & kBucketSuspended, kBucketSuspended);
  EXPECT_EQ(flagged->objv.ver, 2u);  // the instance was rewritten, as in the golden dump
  ASSERT_TRUE(svc_->users().SetSuspended(spec.owner, false).ok());
  EXPECT_EQ(svc_->buckets().Get("", "sleeper-bucket")->info.flags & kBucketSuspended, 0u);
  EXPECT_EQ(svc_->users().Get(spec.owner)->info.suspended, 0);
  // Owning a bucket blocks removal.
  EXPECT_TRUE(svc_->users().Remove(spec.owner).Is(Code::kBucketNotEmpty));
}

}  // namespace
}  // namespace kelp::rgw
