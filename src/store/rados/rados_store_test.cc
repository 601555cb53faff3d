// RadosStore against a real Ceph cluster (KELP_CEPH_CONF; skipped without):
// every OpStep, guards and their error codes (as the embedded engine reports
// them), namespaces/locators, listing pages, pools, watch/notify.
#include "store/rados/rados_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "base/suspend.h"
#include "store/rados/rados_test_util.h"

namespace kelp::store::rados {
namespace {

using testing::CephConf;
using testing::UniqueName;
using Map = std::map<std::string, std::string>;

class RadosStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!CephConf()) return;
    store_ = testing::OpenTestStore().release();
    pool_ = UniqueName("kelp-rados-test");
    if (store_) {
      ASSERT_TRUE(store_->CreatePool(pool_).ok());
    }
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    if (CephConf()) testing::DeletePool(pool_);
  }
  void SetUp() override {
    KELP_REQUIRE_CEPH();
    ASSERT_NE(store_, nullptr);
  }
  ObjectId Id(const std::string& oid, const std::string& ns = "", const std::string& loc = "") {
    return ObjectId{pool_, ns, oid, loc};
  }
  Status Write(const ObjectId& id, const WriteOp& op, uint64_t* v = nullptr) {
    return store_->Operate(id, op, v);
  }
  Result<std::string> ReadAll(const ObjectId& id) {
    std::string out;
    RETURN_IF_ERROR(store_->Operate(id, ReadOp().Read(0, 0, &out)));
    return out;
  }

  static ObjectStore* store_;
  static std::string pool_;
};
ObjectStore* RadosStoreTest::store_ = nullptr;
std::string RadosStoreTest::pool_;

TEST_F(RadosStoreTest, DataStepsAndVersions) {
  ObjectId id = Id("data");
  uint64_t v1 = 0, v2 = 0;
  ASSERT_TRUE(Write(id, WriteOp().Create(true).WriteFull("hello world"), &v1).ok());
  EXPECT_GT(v1, 0u);
  ASSERT_TRUE(Write(id, WriteOp().Write(6, "WORLD").Append("!!"), &v2).ok());
  EXPECT_GT(v2, v1);
  EXPECT_EQ(*ReadAll(id), "hello WORLD!!");
  ASSERT_TRUE(Write(id, WriteOp().Truncate(5)).ok());
  EXPECT_EQ(*ReadAll(id), "hello");
  // A write past the end leaves a hole that reads as zeros. (kZero has no
  // WriteOp builder, so no caller can issue it.)
  ASSERT_TRUE(Write(id, WriteOp().Write(8, "ij")).ok());
  EXPECT_EQ(*ReadAll(id), std::string("hello\0\0\0ij", 10));

  std::string part;
  ObjectStat st;
  CephTime when{1600000000, 123456000};
  uint64_t v3 = 0;
  ASSERT_TRUE(Write(id, WriteOp().WriteFull("0123456789").SetMtime(when), &v3).ok());
  ASSERT_TRUE(store_->Operate(id, ReadOp().Stat(&st).Read(3, 4, &part)).ok());
  EXPECT_EQ(part, "3456");
  EXPECT_EQ(st.size, 10u);
  EXPECT_EQ(st.mtime, when);
  EXPECT_EQ(st.version, v3);

  // An empty op changes nothing and reports the current version.
  uint64_t v4 = 0;
  ASSERT_TRUE(Write(id, WriteOp(), &v4).ok());
  EXPECT_EQ(v4, v3);
  EXPECT_TRUE(Write(Id("never-written"), WriteOp(), &v4).ok());
  EXPECT_EQ(v4, 0u);

  // Remove, and the implicit create of a mutation on a missing object.
  ASSERT_TRUE(Write(id, WriteOp().Remove()).ok());
  EXPECT_EQ(ReadAll(id).status().code(), Code::kNotFound);
  ASSERT_TRUE(Write(id, WriteOp().Append("x")).ok());
  EXPECT_EQ(*ReadAll(id), "x");
}

TEST_F(RadosStoreTest, XattrsAndOmap) {
  ObjectId id = Id("meta");
  ASSERT_TRUE(Write(id, WriteOp()
                            .SetXattr("user.a", "1")
                            .SetXattr("user.b", std::string("\0bin", 4))
                            .OmapSetHeader("hdr")
                            .OmapSet({{"k1", "v1"}, {"k2", "v2"}, {"p.x", "px"}, {"p.y", "py"}}))
                  .ok());
  ASSERT_TRUE(Write(id, WriteOp().RmXattr("user.a").OmapRmKeys({"k2"}).OmapSet("k3", "v3")).ok());

  std::string b, hdr;
  Map xattrs, vals, keys, some, page;
  bool more = true, page_more = false;
  ASSERT_TRUE(store_->Operate(id, ReadOp()
                                      .GetXattr("user.b", &b)
                                      .GetXattrs(&xattrs)
                                      .OmapGetHeader(&hdr)
                                      .OmapGetVals("", "p.", 0, &vals, &more)
                                      .OmapGetKeys("k1", 10, &keys)
                                      .OmapGetValsByKeys({"k1", "k3", "nope"}, &some)
                                      .OmapGetVals("", "", 2, &page, &page_more))
                  .ok());
  EXPECT_EQ(b, std::string("\0bin", 4));
  EXPECT_EQ(xattrs.count("user.a"), 0u);
  EXPECT_EQ(xattrs["user.b"], std::string("\0bin", 4));
  EXPECT_EQ(hdr, "hdr");
  EXPECT_EQ(vals, (Map{{"p.x", "px"}, {"p.y", "py"}}));
  EXPECT_FALSE(more);
  EXPECT_EQ(keys, (Map{{"k3", ""}, {"p.x", ""}, {"p.y", ""}}));
  EXPECT_EQ(some, (Map{{"k1", "v1"}, {"k3", "v3"}}));
  EXPECT_EQ(page, (Map{{"k1", "v1"}, {"k3", "v3"}}));
  EXPECT_TRUE(page_more);

  std::string missing;
  Status s = store_->Operate(id, ReadOp().GetXattr("user.none", &missing));
  EXPECT_EQ(s.code(), Code::kNotFound) << s.ToString();  // ENODATA

  ASSERT_TRUE(Write(id, WriteOp().OmapClear()).ok());
  ASSERT_TRUE(store_->Operate(id, ReadOp().OmapGetVals("", "", 0, &vals, &more)).ok());
  EXPECT_TRUE(vals.empty());
}

TEST_F(RadosStoreTest, GuardsFailWholeOpWithEmbeddedCodes) {
  ObjectId id = Id("guards");
  ASSERT_TRUE(Write(id, WriteOp().Create(true).SetXattr("ver", "5").WriteFull("orig")).ok());
  EXPECT_EQ(Write(id, WriteOp().Create(true)).code(), Code::kExists);
  ASSERT_TRUE(Write(id, WriteOp().Create(false)).ok());

  // Ceph's operand order: kGt passes when the GIVEN value is greater.
  EXPECT_TRUE(Write(id, WriteOp().CmpXattr("ver", CmpOp::kGt, "7")).ok());
  EXPECT_TRUE(Write(id, WriteOp().CmpXattr("ver", CmpOp::kEq, "5")).ok());
  Status s = Write(id, WriteOp().CmpXattr("ver", CmpOp::kLt, "7").WriteFull("clobbered"));
  EXPECT_EQ(s.code(), Code::kCanceled) << s.ToString();
  EXPECT_EQ(*ReadAll(id), "orig");  // nothing of the failed op applied
  // A missing xattr compares as "".
  EXPECT_TRUE(Write(id, WriteOp().CmpXattr("none", CmpOp::kEq, "")).ok());
  EXPECT_EQ(Write(id, WriteOp().CmpXattr("none", CmpOp::kEq, "x")).code(), Code::kCanceled);
  EXPECT_TRUE(store_->Operate(id, ReadOp().CmpXattr("ver", CmpOp::kEq, "5")).ok());
  EXPECT_EQ(store_->Operate(id, ReadOp().CmpXattr("ver", CmpOp::kNe, "5")).code(),
            Code::kCanceled);

  ObjectId gone = Id("guards-missing");
  EXPECT_EQ(Write(gone, WriteOp().AssertExists().WriteFull("x")).code(), Code::kNotFound);
  EXPECT_EQ(Write(gone, WriteOp().Remove()).code(), Code::kNotFound);
  EXPECT_TRUE(Write(gone, WriteOp().Remove(/*failok=*/true)).ok());
  EXPECT_EQ(Write(gone, WriteOp().OmapRmKeys({"a"})).code(), Code::kNotFound);
  EXPECT_EQ(ReadAll(gone).status().code(), Code::kNotFound);
  ObjectStat st;
  EXPECT_EQ(store_->Operate(gone, ReadOp().Stat(&st)).code(), Code::kNotFound);

  // Per-step status of a failing read step.
  std::string v;
  Status out_status;
  ReadOp r;
  r.GetXattr("ver", &v).GetXattr("nope", nullptr);
  const_cast<OpStep&>(r.steps()[1]).out_status = &out_status;
  EXPECT_EQ(store_->Operate(id, r).code(), Code::kNotFound);
  EXPECT_EQ(out_status.code(), Code::kNotFound);

  // Unknown class method: EOPNOTSUPP, as the embedded engine's NotImplemented.
  std::string out;
  EXPECT_EQ(store_->Operate(id, ReadOp().Exec("rgw", "no_such_method", "", &out)).code(),
            Code::kNotImplemented);

  // Missing pool.
  Status np = store_->Operate(ObjectId{"kelp-no-such-pool", "", "x", ""}, WriteOp().Create(false));
  EXPECT_EQ(np.code(), Code::kNotFound);
  EXPECT_NE(np.message().find("kelp-no-such-pool"), std::string::npos) << np.message();
  EXPECT_EQ(store_->Operate(ObjectId{"kelp-no-such-pool", "", "x", ""}, ReadOp().Stat(&st)).code(),
            Code::kNotFound);
}

TEST_F(RadosStoreTest, NamespacesAndLocatorsAreDistinctObjects) {
  ASSERT_TRUE(Write(Id("same"), WriteOp().WriteFull("default")).ok());
  ASSERT_TRUE(Write(Id("same", "users.uid"), WriteOp().WriteFull("ns")).ok());
  ASSERT_TRUE(Write(Id("same", "", "loc"), WriteOp().WriteFull("located")).ok());
  EXPECT_EQ(*ReadAll(Id("same")), "default");
  EXPECT_EQ(*ReadAll(Id("same", "users.uid")), "ns");
  EXPECT_EQ(*ReadAll(Id("same", "", "loc")), "located");
  EXPECT_EQ(ReadAll(Id("same", "other")).status().code(), Code::kNotFound);
}

TEST_F(RadosStoreTest, ListPagesWithCursorsAndAllNamespaces) {
  const std::string pool = UniqueName("kelp-rados-list");
  ASSERT_TRUE(store_->CreatePool(pool).ok());
  std::set<std::string> want_a;
  for (int i = 0; i < 23; ++i) {
    std::string oid = "obj-" + std::to_string(i);
    want_a.insert(oid);
    ASSERT_TRUE(store_->Operate(ObjectId{pool, "a", oid, ""}, WriteOp().Create(false)).ok());
  }
  ASSERT_TRUE(store_->Operate(ObjectId{pool, "b", "b1", ""}, WriteOp().Create(false)).ok());
  ASSERT_TRUE(store_->Operate(ObjectId{pool, "", "d1", "lk"}, WriteOp().Create(false)).ok());

  std::set<std::string> got;
  std::string cursor;
  int pages = 0;
  do {
    std::string next;
    auto page = store_->List(pool, "a", cursor, 5, &next);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->size(), 5u);
    for (const auto& e : *page) {
      EXPECT_EQ(e.ns, "a");
      EXPECT_TRUE(got.insert(e.oid).second) << "listed twice: " << e.oid;
    }
    cursor = next;
    ASSERT_LT(++pages, 50);
  } while (!cursor.empty());
  EXPECT_EQ(got, want_a);
  EXPECT_GE(pages, 5);

  std::string next = "x";
  auto all = store_->List(pool, kAllNamespaces, "", 0, &next);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 25u);
  EXPECT_EQ(next, "");
  bool saw_locator = false;
  for (const auto& e : *all) saw_locator |= (e.oid == "d1" && e.locator == "lk" && e.ns.empty());
  EXPECT_TRUE(saw_locator);

  EXPECT_EQ(store_->List(pool, "a", "garbage-cursor", 5, &next).status().code(), Code::kInvalid);
  EXPECT_EQ(store_->List("kelp-no-such-pool", "", "", 5, &next).status().code(),
            Code::kNotFound);
  testing::DeletePool(pool);
}

TEST_F(RadosStoreTest, Pools) {
  EXPECT_EQ(store_->CreatePool(pool_).code(), Code::kExists);
  EXPECT_TRUE(*store_->PoolExists(pool_));
  EXPECT_FALSE(*store_->PoolExists("kelp-no-such-pool"));
  auto pools = store_->ListPools();
  ASSERT_TRUE(pools.ok());
  EXPECT_NE(std::find(pools->begin(), pools->end(), pool_), pools->end());
  auto id = store_->PoolId(pool_);
  ASSERT_TRUE(id.ok());
  EXPECT_GT(*id, 0);
  EXPECT_EQ(store_->PoolId("kelp-no-such-pool").status().code(), Code::kNotFound);
  EXPECT_GT(store_->InstanceId(), 0u);
  // radosgw tags its pools with application rgw; so do we.
  std::string outs;
  EXPECT_EQ(testing::MonCommand(R"({"prefix":"osd pool application get","pool":")" + pool_ +
                                    R"(","format":"json"})",
                                &outs),
            0)
      << outs;
  EXPECT_NE(outs.find("rgw"), std::string::npos) << outs;
}

TEST_F(RadosStoreTest, WatchNotifyAndCallbacksMayUseTheStore) {
  ObjectId id = Id("control", "ctl");
  ASSERT_TRUE(Write(id, WriteOp().Create(false)).ok());
  ASSERT_TRUE(Write(Id("side"), WriteOp().WriteFull("side data")).ok());
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<uint64_t> notifiers;
  auto h = store_->Watch(id, [&](uint64_t, uint64_t notifier, const std::string& payload) {
    ++calls;
    {
      std::lock_guard<std::mutex> l(mu);
      notifiers.push_back(notifier);
    }
    // Calling the store from the callback must not deadlock librados.
    auto side = ReadAll(Id("side"));
    return "ack:" + payload + ":" + (side.ok() ? *side : side.status().ToString());
  });
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto replies = store_->Notify(id, "ping", 5000);
  ASSERT_TRUE(replies.ok()) << replies.status().ToString();
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "ack:ping:side data");
  // The reply names the watch registration (librados: its cookie), not our handle.
  EXPECT_NE((*replies)[0].watcher_id, 0u);
  EXPECT_EQ(calls.load(), 1);

  // A second store (another client) sees the same watcher.
  auto other = testing::OpenTestStore();
  ASSERT_TRUE(other);
  auto r2 = other->Notify(id, "two", 5000);
  ASSERT_TRUE(r2.ok());
  ASSERT_EQ(r2->size(), 1u);
  EXPECT_EQ((*r2)[0].payload, "ack:two:side data");
  // The callback saw who notified: each client's instance id.
  EXPECT_EQ(notifiers, (std::vector<uint64_t>{store_->InstanceId(), other->InstanceId()}));

  ASSERT_TRUE(store_->Unwatch(*h).ok());
  EXPECT_EQ(store_->Unwatch(*h).code(), Code::kNotFound);
  auto none = store_->Notify(id, "after", 2000);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(store_->Watch(Id("no-such-object"), nullptr).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Notify(Id("no-such-object"), "x", 1000).status().code(), Code::kNotFound);
}

TEST_F(RadosStoreTest, SlowWatcherIsAbsentFromNotifyReplies) {
  ObjectId id = Id("slow");
  ASSERT_TRUE(Write(id, WriteOp().Create(false)).ok());
  // Two clients, so the slow callback does not hold up the fast one (each
  // store runs its callbacks on its own dispatcher thread).
  auto other = testing::OpenTestStore();
  ASSERT_TRUE(other);
  auto fast = store_->Watch(id, [](uint64_t, uint64_t, const std::string&) { return "fast"; });
  auto slow = other->Watch(id, [](uint64_t, uint64_t, const std::string&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return std::string("slow");
  });
  ASSERT_TRUE(fast.ok() && slow.ok());
  auto t0 = std::chrono::steady_clock::now();
  auto r = store_->Notify(id, "p", 1000);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].payload, "fast");
  EXPECT_LT(secs, 2.4);  // returned at the notify timeout, not when the slow one answered
  ASSERT_TRUE(store_->Unwatch(*fast).ok());
  ASSERT_TRUE(other->Unwatch(*slow).ok());
}

TEST_F(RadosStoreTest, ConcurrentOpsKeepTheirNamespaceAndLocator) {
  // The per-pool IoCtx is shared: each op's namespace/locator must be the
  // ones it was submitted with, whatever other threads set meanwhile.
  constexpr int kThreads = 8, kOps = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        std::string ns = "ns" + std::to_string(t), loc = (i % 2) ? "loc" + std::to_string(t) : "";
        std::string oid = "c" + std::to_string(i);
        std::string body = ns + "/" + oid + "@" + loc;
        if (!store_->Operate(Id(oid, ns, loc), WriteOp().WriteFull(body)).ok()) ++failures;
        std::string got;
        if (!store_->Operate(Id(oid, ns, loc), ReadOp().Read(0, 0, &got)).ok() || got != body) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  // Every object is exactly where it was addressed: list each namespace.
  for (int t = 0; t < kThreads; ++t) {
    std::string next;
    auto l = store_->List(pool_, "ns" + std::to_string(t), "", 0, &next);
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l->size(), static_cast<size_t>(kOps));
    for (const auto& e : *l) {
      int i = std::stoi(e.oid.substr(1));
      EXPECT_EQ(e.locator, (i % 2) ? "loc" + std::to_string(t) : "") << e.oid;
    }
  }
}

// Notifications wait on the store's dispatcher thread behind a busy
// callback. Once Unwatch has returned, the ones queued for that watch must
// not reach its callback: its owner may already be gone (at shutdown, the
// metadata cache is destroyed right after unwatching).
TEST_F(RadosStoreTest, NoCallbackOnceUnwatchHasReturned) {
  ObjectId busy = Id("busy"), gone = Id("gone");
  ASSERT_TRUE(Write(busy, WriteOp().Create(false)).ok());
  ASSERT_TRUE(Write(gone, WriteOp().Create(false)).ok());
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  auto hb = store_->Watch(busy, [&](uint64_t, uint64_t, const std::string&) {
    std::unique_lock<std::mutex> l(mu);
    entered = true;
    cv.notify_all();
    cv.wait(l, [&] { return release; });
    return std::string("busy");
  });
  ASSERT_TRUE(hb.ok()) << hb.status().ToString();
  auto late_calls = std::make_shared<std::atomic<int>>(0);
  auto hg = store_->Watch(gone, [late_calls](uint64_t, uint64_t, const std::string&) {
    ++*late_calls;
    return std::string("gone");
  });
  ASSERT_TRUE(hg.ok()) << hg.status().ToString();
  ASSERT_NE(*hb, *hg);

  auto other = testing::OpenTestStore();
  ASSERT_TRUE(other);
  std::thread n1([&] { (void)other->Notify(busy, "1", 3000); });
  {
    std::unique_lock<std::mutex> l(mu);
    ASSERT_TRUE(cv.wait_for(l, std::chrono::seconds(10), [&] { return entered; }));
  }
  // Delivered by librados, queued behind the busy callback.
  std::thread n2([&] { (void)other->Notify(gone, "2", 1500); });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ASSERT_TRUE(store_->Unwatch(*hg).ok());
  {
    std::lock_guard<std::mutex> l(mu);
    release = true;
  }
  cv.notify_all();
  n1.join();
  n2.join();
  // The queued notification has been dispatched (or dropped) by now: a
  // notify on `busy` is answered only after the queue ahead of it ran.
  auto r = other->Notify(busy, "3", 5000);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(late_calls->load(), 0);
  ASSERT_TRUE(store_->Unwatch(*hb).ok());
}

TEST_F(RadosStoreTest, ThrowingWatchCallbackAcksEmptyAndKeepsWorking) {
  ObjectId id = Id("throws");
  ASSERT_TRUE(Write(id, WriteOp().Create(false)).ok());
  std::atomic<int> n{0};
  auto h = store_->Watch(id, [&](uint64_t, uint64_t, const std::string&) -> std::string {
    if (n++ == 0) throw std::runtime_error("callback bug");
    return "second";
  });
  ASSERT_TRUE(h.ok());
  auto r1 = store_->Notify(id, "1", 5000);
  ASSERT_TRUE(r1.ok());
  ASSERT_EQ(r1->size(), 1u);
  EXPECT_EQ((*r1)[0].payload, "");
  auto r2 = store_->Notify(id, "2", 5000);
  ASSERT_TRUE(r2.ok());
  ASSERT_EQ(r2->size(), 1u);
  EXPECT_EQ((*r2)[0].payload, "second");
  EXPECT_TRUE(store_->Unwatch(*h).ok());
}

TEST_F(RadosStoreTest, OperateAsyncKeepsSeveralOpsInFlight) {
  constexpr int kOps = 8;
  std::vector<std::string> data;
  std::vector<std::unique_ptr<PendingOp>> writes;
  std::vector<uint64_t> versions(kOps, 0);
  for (int i = 0; i < kOps; ++i) {
    data.push_back(std::string(1 << 20, static_cast<char>('a' + i)));
    writes.push_back(
        store_->OperateAsync(Id("async-" + std::to_string(i)), WriteOp().WriteFull(data[i]),
                             &versions[i]));
  }
  for (int i = 0; i < kOps; ++i) {
    ASSERT_TRUE(writes[i]->Wait().ok());
    EXPECT_GT(versions[i], 0u);
    EXPECT_TRUE(writes[i]->Wait().ok());  // idempotent
  }
  std::vector<std::string> got(kOps);
  std::vector<std::unique_ptr<PendingOp>> reads;
  for (int i = 0; i < kOps; ++i) {
    reads.push_back(
        store_->OperateAsync(Id("async-" + std::to_string(i)), ReadOp().Read(0, 0, &got[i])));
  }
  for (int i = kOps - 1; i >= 0; --i) {  // any order
    ASSERT_TRUE(reads[i]->Wait().ok());
    EXPECT_TRUE(got[i] == data[i]) << i;
  }
  std::string none;
  auto missing = store_->OperateAsync(Id("async-missing"), ReadOp().Read(0, 0, &none));
  EXPECT_EQ(missing->Wait().code(), Code::kNotFound);
  // Dropping an op without waiting still completes it.
  store_->OperateAsync(Id("async-dropped"), WriteOp().WriteFull("x")).reset();
  auto r = ReadAll(Id("async-dropped"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "x");
}

// A Suspender like a fiber's, but parking a thread: counts how often the
// store waited through it instead of blocking on its own.
class ParkingSuspender : public Suspender {
 public:
  void Suspend(const std::function<void(Resume)>& start) override {
    ++parks;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    start([&] {
      std::lock_guard<std::mutex> l(mu);
      done = true;
      cv.notify_all();
    });
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return done; });
  }
  std::atomic<int> parks{0};
};

TEST_F(RadosStoreTest, UnderASuspenderEveryWaitParksInsteadOfBlocking) {
  ParkingSuspender fiber;
  ScopedSuspender scope(&fiber);
  ASSERT_TRUE(Write(Id("parked"), WriteOp().WriteFull("hello")).ok());
  EXPECT_GE(fiber.parks.load(), 1);
  int before = fiber.parks;
  auto r = ReadAll(Id("parked"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(fiber.parks.load(), before + 1);
  // Errors come through the parked path too.
  std::string none;
  EXPECT_EQ(store_->Operate(Id("parked-missing"), ReadOp().Read(0, 0, &none)).code(),
            Code::kNotFound);
  // Synchronous librados calls run on a thread of their own while parked.
  before = fiber.parks;
  std::string next;
  auto listed = store_->List(pool_, "", "", 0, &next);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(std::any_of(listed->begin(), listed->end(),
                          [](const ListEntry& e) { return e.oid == "parked"; }));
  auto h = store_->Watch(Id("parked"), [](uint64_t, uint64_t, const std::string& p) {
    return "ack:" + p;
  });
  ASSERT_TRUE(h.ok());
  auto replies = store_->Notify(Id("parked"), "ping", 5000);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "ack:ping");
  EXPECT_TRUE(store_->Unwatch(*h).ok());
  EXPECT_EQ(fiber.parks.load(), before + 4);  // list, watch, notify, unwatch
}

TEST(RadosStoreOpen, UnreachableClusterFailsInBoundedTime) {
  // No cluster needed: a conf pointing at a port nobody listens on.
  std::string conf = "/tmp/kelp-rados-unreachable-" + std::to_string(::getpid()) + ".conf";
  {
    std::ofstream f(conf);
    f << "[global]\nmon_host = 127.0.0.1:9\nauth_client_required = none\n";
  }
  RadosOptions o;
  o.conf_path = conf;
  o.op_timeout_s = 3;
  auto t0 = std::chrono::steady_clock::now();
  auto s = OpenRadosStore(o);
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::remove(conf.c_str());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kIOError) << s.status().ToString();
  EXPECT_NE(s.status().message().find(conf), std::string::npos) << s.status().ToString();
  EXPECT_LT(secs, 20.0);

  o.conf_path = "/nonexistent/ceph.conf";
  EXPECT_FALSE(OpenRadosStore(o).ok());
}

}  // namespace
}  // namespace kelp::store::rados
