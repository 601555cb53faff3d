// What the cluster can do to RadosStore: a paused cluster (ops time out
// with a clear IOError, never hang) and a full pool (quota: NoSpace at once,
// deletes still pass), a watch whose re-watch fails (blocklisted client).
// Needs KELP_CEPH_CONF and the admin caps to run
// `osd pause` / `osd pool set-quota` on that (throwaway) cluster.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <rados/librados.hpp>

#include "store/rados/rados_store.h"
#include "store/rados/rados_test_util.h"

namespace kelp::store::rados {
namespace {

using testing::CephConf;
using testing::MonCommand;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(RadosFaults, PausedClusterTimesOutWithIOError) {
  KELP_REQUIRE_CEPH();
  auto store = testing::OpenTestStore(/*timeout_s=*/3);
  ASSERT_TRUE(store);
  const std::string pool = testing::UniqueName("kelp-rados-pause");
  ASSERT_TRUE(store->CreatePool(pool).ok());
  ObjectId id{pool, "", "obj", ""};
  ASSERT_TRUE(store->Operate(id, WriteOp().WriteFull("before")).ok());

  std::string outs;
  ASSERT_EQ(MonCommand(R"({"prefix":"osd pause"})", &outs), 0) << outs;
  struct Unpause {
    ~Unpause() { (void)MonCommand(R"({"prefix":"osd unpause"})"); }
  } unpause;
  // Clients follow osdmaps lazily: an op sent with the old map may still
  // pass; the OSD then shares the new map and the next op is held back.
  Status w;
  double took = 0;
  for (int i = 0; i < 3 && w.ok(); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    w = store->Operate(id, WriteOp().WriteFull("during"));
    took = Seconds(t0);
  }
  EXPECT_EQ(w.code(), Code::kIOError) << w.ToString();
  EXPECT_NE(w.message().find("timed out"), std::string::npos) << w.ToString();
  EXPECT_NE(w.message().find(pool), std::string::npos) << w.ToString();
  EXPECT_LT(took, 10.0);

  std::string data;
  auto t0 = std::chrono::steady_clock::now();
  Status r = store->Operate(id, ReadOp().Read(0, 0, &data));
  EXPECT_EQ(r.code(), Code::kIOError) << r.ToString();
  EXPECT_LT(Seconds(t0), 10.0);

  ASSERT_EQ(MonCommand(R"({"prefix":"osd unpause"})", &outs), 0) << outs;
  // Back to normal: the timed-out write either never happened or did; the
  // store answers again.
  bool ok = false;
  for (int i = 0; i < 20 && !ok; ++i) {
    ok = store->Operate(id, ReadOp().Read(0, 0, &data)).ok();
    if (!ok) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  EXPECT_TRUE(ok);
  EXPECT_TRUE(data == "before" || data == "during") << data;
  store.reset();
  testing::DeletePool(pool);
}

TEST(RadosFaults, WriteToADeletedPoolRecreatesItWhenAsked) {
  KELP_REQUIRE_CEPH();
  RadosOptions o;
  o.conf_path = testing::CephConf();
  o.create_missing_pools = true;
  auto opened = OpenRadosStore(o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& store = *opened;
  auto plain = testing::OpenTestStore();
  ASSERT_TRUE(plain);
  const std::string pool = testing::UniqueName("kelp-rados-recreate");
  ObjectId id{pool, "", "obj", ""};
  // Never created: the write creates it (radosgw's rgw_init_ioctx(create=true)).
  ASSERT_TRUE(store->Operate(id, WriteOp().WriteFull("first")).ok());
  ASSERT_TRUE(*store->PoolExists(pool));
  std::string data;
  ASSERT_TRUE(plain->Operate(id, ReadOp().Read(0, 0, &data)).ok());
  EXPECT_EQ(data, "first");
  // Deleted under both stores (their IoCtxs are stale now).
  testing::DeletePool(pool);
  for (int i = 0; i < 50 && *plain->PoolExists(pool); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(plain->Operate(id, WriteOp().WriteFull("x")).code(), Code::kNotFound)
      << "without create_missing_pools a write to a deleted pool fails";
  EXPECT_EQ(store->Operate(id, ReadOp().Read(0, 0, &data)).code(), Code::kNotFound)
      << "reads never create pools";
  Status w = store->Operate(id, WriteOp().WriteFull("second"));
  ASSERT_TRUE(w.ok()) << w.ToString();
  ASSERT_TRUE(store->Operate(id, ReadOp().Read(0, 0, &data)).ok());
  EXPECT_EQ(data, "second");
  store.reset();
  plain.reset();
  testing::DeletePool(pool);
}

TEST(RadosFaults, FullPoolFailsWithNoSpaceAndStillDeletes) {
  KELP_REQUIRE_CEPH();
  auto store = testing::OpenTestStore(/*timeout_s=*/10);
  ASSERT_TRUE(store);
  const std::string pool = testing::UniqueName("kelp-rados-quota");
  ASSERT_TRUE(store->CreatePool(pool).ok());
  std::string outs;
  ASSERT_EQ(MonCommand(R"({"prefix":"osd pool set-quota","pool":")" + pool +
                           R"(","field":"max_objects","val":"2"})",
                       &outs),
            0)
      << outs;
  ASSERT_TRUE(store->Operate(ObjectId{pool, "", "a", ""}, WriteOp().WriteFull("1")).ok());
  ASSERT_TRUE(store->Operate(ObjectId{pool, "", "b", ""}, WriteOp().WriteFull("2")).ok());
  // The monitors flag the pool full once the OSD's stats reach them.
  Status s;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 90; ++i) {
    auto op0 = std::chrono::steady_clock::now();
    s = store->Operate(ObjectId{pool, "", "c" + std::to_string(i), ""}, WriteOp().WriteFull("3"));
    EXPECT_LT(Seconds(op0), 5.0) << "a write to a full pool must not stall";
    if (!s.ok()) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  ASSERT_EQ(s.code(), Code::kNoSpace) << s.ToString() << " after " << Seconds(t0) << " s";
  EXPECT_NE(s.message().find("quota"), std::string::npos) << s.ToString();
  // Deletes free space even when full.
  EXPECT_TRUE(store->Operate(ObjectId{pool, "", "a", ""}, WriteOp().Remove()).ok());
  store.reset();
  testing::DeletePool(pool);
}

// Opt-in: KELP_CEPH_RESTART_OSD is a shell command that kills and restarts
// the OSD(s), e.g. "tests/ceph/cluster.sh restart-osd DIR". A watch broken by
// that is re-registered by the store, and notifies reach it again.
TEST(RadosFaults, WatchSurvivesOsdRestart) {
  KELP_REQUIRE_CEPH();
  const char* restart = std::getenv("KELP_CEPH_RESTART_OSD");
  if (!restart || !*restart) {
    GTEST_SKIP() << "set KELP_CEPH_RESTART_OSD=<command restarting the OSD> to run";
  }
  auto store = testing::OpenTestStore(/*timeout_s=*/30);
  ASSERT_TRUE(store);
  const std::string pool = testing::UniqueName("kelp-rados-rewatch");
  ASSERT_TRUE(store->CreatePool(pool).ok());
  ObjectId id{pool, "", "watched", ""};
  ASSERT_TRUE(store->Operate(id, WriteOp().Create(false)).ok());
  auto h = store->Watch(id, [](uint64_t, uint64_t, const std::string& p) { return "re:" + p; });
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(std::system(restart), 0) << restart;

  // The first notify after the restart may race the re-registration.
  std::vector<NotifyReply> replies;
  for (int i = 0; i < 30 && replies.empty(); ++i) {
    auto r = store->Notify(id, "after-restart", 3000);
    if (r.ok()) replies = *r;
    if (replies.empty()) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].payload, "re:after-restart");
  EXPECT_TRUE(store->Unwatch(*h).ok());
  store.reset();
  testing::DeletePool(pool);
}

// A watch that breaks while its client cannot reach the OSDs (here: the
// client is blocklisted, so the re-watch fails too) leaves no watch behind;
// Unwatch and closing the store must then not hand librados a stale cookie
// (a cookie is the address of a freed LingerOp: that was a SIGSEGV).
TEST(RadosFaults, FailedRewatchThenUnwatchIsSafe) {
  KELP_REQUIRE_CEPH();
  auto store = testing::OpenTestStore(/*timeout_s=*/10);
  ASSERT_TRUE(store);
  const std::string pool = testing::UniqueName("kelp-rados-blocklist");
  ASSERT_TRUE(store->CreatePool(pool).ok());
  ObjectId id{pool, "", "watched", ""};
  ASSERT_TRUE(store->Operate(id, WriteOp().Create(false)).ok());
  auto h = store->Watch(id, [](uint64_t, uint64_t, const std::string&) { return std::string(); });
  ASSERT_TRUE(h.ok()) << h.status().ToString();

  // The watching client's address, as the OSD sees it.
  librados::Rados admin;
  ASSERT_EQ(admin.init("admin"), 0);
  ASSERT_EQ(admin.conf_read_file(CephConf()), 0);
  ASSERT_EQ(admin.connect(), 0);
  librados::IoCtx io;
  ASSERT_EQ(admin.ioctx_create(pool.c_str(), io), 0);
  std::list<obj_watch_t> watchers;
  ASSERT_EQ(io.list_watchers("watched", &watchers), 0);
  ASSERT_EQ(watchers.size(), 1u);
  const std::string addr = watchers.front().addr;
  auto blocklist = [&](const char* op) {
    std::string out;
    return MonCommand(std::string(R"({"prefix":"osd blocklist","blocklistop":")") + op +
                          R"(","addr":")" + addr + R"("})",
                      &out);
  };
  ASSERT_EQ(blocklist("add"), 0) << addr;

  // The OSD drops the blocklisted watch; the client's pings fail, its
  // re-watch is refused. Wait until the watch is gone from the OSD's view.
  const auto t0 = std::chrono::steady_clock::now();
  do {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    watchers.clear();
    ASSERT_EQ(io.list_watchers("watched", &watchers), 0);
  } while (!watchers.empty() && Seconds(t0) < 60);
  EXPECT_TRUE(watchers.empty()) << "the blocklisted watch is still registered";
  std::this_thread::sleep_for(std::chrono::seconds(12));  // pings fail, re-watch refused

  Status st = store->Unwatch(*h);  // must not crash; no watch is left to remove
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store->Unwatch(*h).code(), Code::kNotFound);
  store.reset();
  EXPECT_EQ(blocklist("rm"), 0);
  io.close();
  admin.shutdown();
  testing::DeletePool(pool);
}

}  // namespace
}  // namespace kelp::store::rados
