// Two Services over one embedded store: `svc_` writes (as radosgw or another
// kelp process would), `cached_` reads through its metadata cache. Every
// write's notify must reach `cached_` before the write returns.
#include "rgw/meta/cache_watcher.h"

#include <mutex>

#include "rgw/meta/testing/temp_store.h"
#include "rgw/types/acl.h"

namespace kelp::rgw {
namespace {

// Forwards to a real store; can refuse watches, swallow notifies (a broken
// watch) or re-establish every watch under a new id while dropping what is
// notified in between (what RadosStore does after a watch error).
class FaultyStore : public store::ObjectStore {
 public:
  explicit FaultyStore(store::ObjectStore& inner) : inner_(inner) {}

  std::atomic<bool> refuse_watch{false};
  std::atomic<bool> drop_notifies{false};

  void SilentRewatch(const std::function<void()>& while_unwatched) {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [h, w] : watches_) (void)inner_.Unwatch(w.inner);
    while_unwatched();
    for (auto& [h, w] : watches_) w.inner = *inner_.Watch(w.id, Wrap(w.cb));
  }

  Status CreatePool(const std::string& p) override { return inner_.CreatePool(p); }
  Result<bool> PoolExists(const std::string& p) override { return inner_.PoolExists(p); }
  Result<std::vector<std::string>> ListPools() override { return inner_.ListPools(); }
  Status Operate(const store::ObjectId& id, const store::WriteOp& op, uint64_t* v) override {
    return inner_.Operate(id, op, v);
  }
  Status Operate(const store::ObjectId& id, const store::ReadOp& op) override {
    ++reads;
    return inner_.Operate(id, op);
  }
  Result<std::vector<store::ListEntry>> List(const std::string& pool, const std::string& ns,
                                             const std::string& cursor, size_t max,
                                             std::string* next) override {
    return inner_.List(pool, ns, cursor, max, next);
  }
  Result<uint64_t> Watch(const store::ObjectId& id, store::WatchCallback cb) override {
    if (refuse_watch) return Status::IOError("watch refused (test)");
    std::lock_guard<std::mutex> l(mu_);
    ASSIGN_OR_RETURN(uint64_t inner, inner_.Watch(id, Wrap(cb)));
    uint64_t h = next_++;
    watches_[h] = W{id, cb, inner};
    return h;
  }
  Status Unwatch(uint64_t h) override {
    std::unique_lock<std::mutex> l(mu_);
    auto it = watches_.find(h);
    if (it == watches_.end()) return Status::NotFound("no watch");
    uint64_t inner = it->second.inner;
    watches_.erase(it);
    l.unlock();
    return inner_.Unwatch(inner);
  }
  Result<std::vector<store::NotifyReply>> Notify(const store::ObjectId& id, const std::string& p,
                                                 uint64_t t) override {
    return inner_.Notify(id, p, t);
  }
  uint64_t InstanceId() const override { return inner_.InstanceId(); }
  Result<int64_t> PoolId(const std::string& p) override { return inner_.PoolId(p); }

  std::atomic<int> reads{0};

 private:
  struct W {
    store::ObjectId id;
    store::WatchCallback cb;
    uint64_t inner = 0;
  };
  store::WatchCallback Wrap(store::WatchCallback cb) {
    return [this, cb](uint64_t n, uint64_t who, const std::string& p) -> std::string {
      if (drop_notifies) return "";
      return cb(n, who, p);
    };
  }
  store::ObjectStore& inner_;
  std::mutex mu_;
  std::map<uint64_t, W> watches_;
  uint64_t next_ = 1;
};

class CacheWatcherTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    faulty_ = std::make_unique<FaultyStore>(*store_);
  }
  void TearDown() override {
    cached_.reset();
    faulty_.reset();
    TempStoreTest::TearDown();
  }
  void StartCached() {
    auto s = Services::Init(*faulty_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    cached_ = std::move(*s);
    MetadataCacheOptions o;
    o.watcher.ping_period = std::chrono::hours(1);  // the tests run the checks
    o.watcher.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> l(log_mu_);
      log_.push_back(line);
    };
    cached_->EnableMetadataCache(o);
  }
  MetaCache& cache() { return *cached_->metadata_cache(); }
  bool Logged(const std::string& part) {
    std::lock_guard<std::mutex> l(log_mu_);
    for (const auto& line : log_) {
      if (line.find(part) != std::string::npos) return true;
    }
    return false;
  }
  LoadedUser MakeUser(const std::string& uid, const std::string& key) {
    UserSpec s;
    s.uid = User::FromString(uid);
    s.display_name = uid;
    s.access_key = key;
    s.secret_key = "secret-" + key;
    auto u = svc_->users().Create(s);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : LoadedUser{};
  }

  std::unique_ptr<FaultyStore> faulty_;
  std::unique_ptr<Services> cached_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(CacheWatcherTest, ServesRepeatedReadsFromTheCache) {
  MakeUser("alice", "AKALICE");
  StartCached();
  ASSERT_TRUE(cache().enabled());
  EXPECT_TRUE(Logged("metadata cache enabled"));
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKALICE").ok());
  int before = faulty_->reads;
  for (int i = 0; i < 10; ++i) {
    auto u = cached_->users().GetByAccessKey("AKALICE");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->info.access_keys.at("AKALICE").key, "secret-AKALICE");
  }
  EXPECT_EQ(faulty_->reads, before);  // no store read at all
  EXPECT_GE(cache().stats().hits, 20u);  // key index + user, 10 times
}

TEST_F(CacheWatcherTest, OtherWritersChangesAreSeenAsSoonAsTheyReturn) {
  MakeUser("alice", "AKALICE");
  StartCached();
  auto& users = cached_->users();
  ASSERT_TRUE(users.GetByAccessKey("AKALICE").ok());
  ASSERT_EQ(users.GetByAccessKey("AKNEW").status().code(), Code::kInvalidAccessKeyId);

  // New key (the cached negative entry goes), old key removed.
  ASSERT_TRUE(svc_->users().AddKey(User::FromString("alice"), "AKNEW", "s2").ok());
  auto n = users.GetByAccessKey("AKNEW");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->info.access_keys.at("AKNEW").key, "s2");
  ASSERT_TRUE(svc_->users().RemoveKey(User::FromString("alice"), "AKALICE").ok());
  EXPECT_EQ(users.GetByAccessKey("AKALICE").status().code(), Code::kInvalidAccessKeyId);

  // Suspension.
  ASSERT_FALSE(users.Get(User::FromString("alice"))->info.suspended);
  ASSERT_TRUE(svc_->users().SetSuspended(User::FromString("alice"), true).ok());
  EXPECT_TRUE(users.GetByAccessKey("AKNEW")->info.suspended);

  // Bucket ACL, then delete + recreate under the same name.
  CreateBucketSpec spec;
  spec.bucket.name = "photos";
  spec.owner = User::FromString("alice");
  spec.acl = MakeDefaultPolicy(spec.owner, "alice");
  auto b = svc_->buckets().Create(spec);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto seen = cached_->buckets().Get("", "photos");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->acl.acl.grant_map.size(), 1u);
  AccessControlPolicy pub = spec.acl;
  pub.acl.AddGrant(AclGrant::Group(kGroupAllUsers, kPermRead));
  ASSERT_TRUE(svc_->buckets().SetAttrs(*b, {{"user.rgw.acl", EncodeToString(pub)}}, {}).ok());
  seen = cached_->buckets().Get("", "photos");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->acl, pub);

  const std::string old_id = b->info.bucket.bucket_id;
  ASSERT_TRUE(svc_->buckets().Remove(*b).ok());
  EXPECT_EQ(cached_->buckets().Get("", "photos").status().code(), Code::kNoSuchBucket);
  auto again = svc_->buckets().Create(spec);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  seen = cached_->buckets().Get("", "photos");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_NE(seen->info.bucket.bucket_id, old_id);
  EXPECT_EQ(seen->info.bucket.bucket_id, again->info.bucket.bucket_id);

  // User removal.
  ASSERT_TRUE(svc_->buckets().Remove(*again).ok());
  ASSERT_TRUE(svc_->users().Remove(User::FromString("alice")).ok());
  EXPECT_EQ(users.Get(User::FromString("alice")).status().code(), Code::kNoSuchUser);
  EXPECT_GT(cached_->cache_watcher()->counters().notifies, 0u);
}

TEST_F(CacheWatcherTest, OwnWritesAreSeenByOwnReads) {
  MakeUser("bob", "AKBOB");
  StartCached();
  auto& users = cached_->users();
  ASSERT_TRUE(users.GetByAccessKey("AKBOB").ok());
  ASSERT_TRUE(users.SetSuspended(User::FromString("bob"), true).ok());
  EXPECT_TRUE(users.GetByAccessKey("AKBOB")->info.suspended);
  ASSERT_TRUE(users.RemoveKey(User::FromString("bob"), "AKBOB").ok());
  EXPECT_FALSE(users.GetByAccessKey("AKBOB").ok());
  // ...and the writer-side Services (no cache) sees them too.
  EXPECT_TRUE(svc_->users().Get(User::FromString("bob"))->info.suspended);
}

TEST_F(CacheWatcherTest, UndecodablePayloadClearsTheCache) {
  MakeUser("carol", "AKCAROL");
  StartCached();
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKCAROL").ok());
  ASSERT_GT(cache().stats().entries, 0u);
  auto r = store_->Notify({"default.rgw.control", "", "notify.5", ""}, "junk", 5000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(cache().stats().entries, 0u);
  EXPECT_EQ(cached_->cache_watcher()->counters().bad_payloads, 1u);
  EXPECT_TRUE(Logged("undecodable notify"));
  EXPECT_TRUE(cache().enabled());  // the watches are fine
}

TEST_F(CacheWatcherTest, NoWatchesMeansNoCaching) {
  MakeUser("dave", "AKDAVE");
  faulty_->refuse_watch = true;
  StartCached();
  EXPECT_FALSE(cache().enabled());
  int before = faulty_->reads;
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKDAVE").ok());
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKDAVE").ok());
  EXPECT_EQ(faulty_->reads, before + 4);  // every read went to the store
  EXPECT_EQ(cache().stats().hits, 0u);
  // The watches come back: the cache is enabled by the next check.
  faulty_->refuse_watch = false;
  EXPECT_TRUE(cached_->cache_watcher()->CheckNow());
  EXPECT_TRUE(cache().enabled());
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKDAVE").ok());
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKDAVE").ok());
  EXPECT_EQ(cache().stats().hits, 2u);
}

TEST_F(CacheWatcherTest, BrokenWatchDisablesUntilRepaired) {
  MakeUser("erin", "AKERIN");
  StartCached();
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKERIN").ok());
  faulty_->drop_notifies = true;  // the watches stop delivering
  EXPECT_FALSE(cached_->cache_watcher()->CheckNow());
  EXPECT_FALSE(cache().enabled());
  EXPECT_TRUE(Logged("metadata cache disabled"));
  // Meanwhile a change is missed by the watcher, but reads bypass the cache.
  ASSERT_TRUE(svc_->users().SetSuspended(User::FromString("erin"), true).ok());
  EXPECT_TRUE(cached_->users().GetByAccessKey("AKERIN")->info.suspended);
  faulty_->drop_notifies = false;
  EXPECT_TRUE(cached_->cache_watcher()->CheckNow());
  EXPECT_TRUE(cache().enabled());
  EXPECT_TRUE(cached_->users().GetByAccessKey("AKERIN")->info.suspended);
  ASSERT_TRUE(svc_->users().SetSuspended(User::FromString("erin"), false).ok());
  EXPECT_FALSE(cached_->users().GetByAccessKey("AKERIN")->info.suspended);
}

TEST_F(CacheWatcherTest, WatchReestablishedBehindOurBackClearsTheCache) {
  MakeUser("frank", "AKFRANK");
  StartCached();
  ASSERT_FALSE(cached_->users().GetByAccessKey("AKFRANK")->info.suspended);
  // The store loses the watches and sets them again; the notify of this
  // write falls in between and is lost.
  faulty_->SilentRewatch([&] {
    ASSERT_TRUE(svc_->users().SetSuspended(User::FromString("frank"), true).ok());
  });
  // (Until the next ping the cache cannot know: one ping period of staleness.)
  EXPECT_TRUE(cached_->cache_watcher()->CheckNow());
  EXPECT_EQ(cached_->cache_watcher()->counters().resets, 8u);
  EXPECT_TRUE(Logged("re-established"));
  EXPECT_TRUE(cached_->users().GetByAccessKey("AKFRANK")->info.suspended);
}

TEST_F(CacheWatcherTest, PingsOfOtherKelpsInvalidateNothing) {
  MakeUser("gina", "AKGINA");
  StartCached();
  ASSERT_TRUE(cached_->users().GetByAccessKey("AKGINA").ok());
  size_t entries = cache().stats().entries;
  // A second cached Services on the same store pings the same objects.
  auto other = Services::Init(*store_);
  ASSERT_TRUE(other.ok());
  MetadataCacheOptions o;
  o.watcher.ping_period = std::chrono::hours(1);
  o.watcher.log = [](const std::string&) {};
  (*other)->EnableMetadataCache(o);
  EXPECT_TRUE((*other)->metadata_cache()->enabled());
  EXPECT_TRUE((*other)->cache_watcher()->CheckNow());
  EXPECT_EQ(cache().stats().entries, entries);
  EXPECT_EQ(cache().stats().clears, 1u);  // only the one of enabling
}

}  // namespace
}  // namespace kelp::rgw
