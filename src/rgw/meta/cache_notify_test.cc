#include "rgw/meta/cache_notify.h"

#include <mutex>

#include "base/ceph_hash.h"
#include "rgw/meta/testing/temp_store.h"

namespace kelp::rgw {
namespace {

struct Seen {
  int notify_obj;
  uint32_t op;
  Pool pool;
  std::string oid;
  uint32_t flags;
  std::string data;
  ObjVersion objv;
};

// Decodes RGWCacheNotifyInfo the way radosgw's watch callback does.
Seen DecodeNotify(int notify_obj, const std::string& payload) {
  Seen s{notify_obj, 0, {}, "", 0, "", {}};
  Decoder d(payload);
  d.Versioned(2, [&](uint8_t) {
    s.op = d.U32();
    d.Versioned(6, [&](uint8_t) {
      Decode(d, s.pool);
      s.oid = d.Str();
      d.Str();  // loc
    });
    d.Versioned(5, [&](uint8_t) {
      d.U32();  // status
      s.flags = d.U32();
      s.data = d.Str();
      std::map<std::string, std::string> xattrs;
      Decode(d, xattrs);
      d.Versioned(2, [&](uint8_t) {
        EXPECT_EQ(d.U64(), s.data.size());
        CephTime t;
        Decode(d, t);
      });
      Decode(d, xattrs);  // rm_xattrs
      d.U64();            // epoch
      Decode(d, s.objv);
    });
    d.U64();  // ofs
    d.Str();  // ns
  });
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return s;
}

class CacheNotifyTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    for (int i = 0; i < kCacheNotifyOps; ++i) {
      auto h = store_->Watch({"default.rgw.control", "", "notify." + std::to_string(i), ""},
                             [this, i](uint64_t, uint64_t, const std::string& payload) {
                               std::lock_guard<std::mutex> l(mu_);
                               seen_.push_back(DecodeNotify(i, payload));
                               return std::string();  // radosgw acks with an empty payload
                             });
      ASSERT_TRUE(h.ok()) << h.status().ToString();
      handles_.push_back(*h);
    }
  }
  void TearDown() override {
    for (uint64_t h : handles_) (void)store_->Unwatch(h);
    TempStoreTest::TearDown();
  }
  const Seen* Find(const std::string& ns, const std::string& oid, uint32_t op) {
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& s : seen_) {
      if (s.pool.ns == ns && s.oid == oid && s.op == op) return &s;
    }
    return nullptr;
  }

  std::mutex mu_;
  std::vector<Seen> seen_;
  std::vector<uint64_t> handles_;
};

TEST_F(CacheNotifyTest, MetadataWritesAndRemovalsAreAnnouncedOnTheirControlObject) {
  UserSpec spec;
  spec.uid = User::FromString("cached");
  spec.display_name = "Cached";
  spec.email = "cached@example.com";
  auto user = svc_->users().Create(spec);
  ASSERT_TRUE(user.ok());
  const Seen* w = Find("users.uid", "cached", kCacheUpdateObj);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->pool.name, "default.rgw.meta");
  EXPECT_EQ(w->flags, kCacheFlagData | kCacheFlagXattrs | kCacheFlagMeta | kCacheFlagObjv);
  EXPECT_EQ(w->data, EncodeUserObject(user->info));
  EXPECT_EQ(w->objv, user->objv);
  EXPECT_EQ(w->notify_obj,
            static_cast<int>(CephStrHashLinux("default.rgw.meta+users.uid+cached") % 8));
  const Seen* key = Find("users.keys", user->info.access_keys.begin()->first, kCacheUpdateObj);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->flags, kCacheFlagData | kCacheFlagXattrs | kCacheFlagMeta);  // no objv
  EXPECT_NE(Find("users.email", "cached@example.com", kCacheUpdateObj), nullptr);

  ASSERT_TRUE(svc_->users().Remove(spec.uid).ok());
  EXPECT_NE(Find("users.uid", "cached", kCacheRemoveObj), nullptr);
  EXPECT_NE(Find("users.email", "cached@example.com", kCacheRemoveObj), nullptr);
}

TEST_F(CacheNotifyTest, BucketCreationAnnouncesInstanceAndEntrypoint) {
  UserSpec spec;
  spec.uid = User::FromString("owner");
  spec.display_name = "Owner";
  ASSERT_TRUE(svc_->users().Create(spec).ok());
  CreateBucketSpec b;
  b.bucket.name = "announced";
  b.owner = spec.uid;
  auto created = svc_->buckets().Create(b);
  ASSERT_TRUE(created.ok());
  EXPECT_NE(Find("root", "announced", kCacheUpdateObj), nullptr);
  EXPECT_NE(
      Find("root", ".bucket.meta.announced:" + created->info.bucket.bucket_id, kCacheUpdateObj),
      nullptr);
}

}  // namespace
}  // namespace kelp::rgw
