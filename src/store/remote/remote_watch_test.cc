// Watch/notify across the remote store, both directions: the serving
// process's own watchers, remote clients' watchers, replies relayed to the
// notifier, timeouts, Unwatch (also from inside a callback) and the watches
// of a client that goes away.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/remote/remote_test_util.h"

namespace kelp::store::remote {
namespace {

using Clock = std::chrono::steady_clock;

const ObjectId kCtl{"p", "", "notify.0", ""};

class RemoteWatch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(served_.store->CreatePool("p").ok());
    ASSERT_TRUE(served_.store->Operate(kCtl, WriteOp().Create(false)).ok());
    a_ = served_.Connect();
    b_ = served_.Connect();
    ASSERT_NE(a_, nullptr);
    ASSERT_NE(b_, nullptr);
  }

  testing::ServedStore served_;
  std::unique_ptr<ObjectStore> a_, b_;
};

TEST_F(RemoteWatch, ServerNotifiesClientWatcher) {
  std::atomic<uint64_t> seen_notifier{0};
  auto h = a_->Watch(kCtl, [&](uint64_t, uint64_t notifier, const std::string& payload) {
    seen_notifier = notifier;
    return "a got " + payload;
  });
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto replies = served_.store->Notify(kCtl, "ping", 5000);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "a got ping");
  EXPECT_EQ((*replies)[0].watcher_id, *h);
  EXPECT_EQ(seen_notifier, served_.store->InstanceId());
  ASSERT_TRUE(a_->Unwatch(*h).ok());
  EXPECT_TRUE(a_->Unwatch(*h).IsNotFound());
  replies = served_.store->Notify(kCtl, "ping", 5000);
  ASSERT_TRUE(replies.ok());
  EXPECT_TRUE(replies->empty());
}

TEST_F(RemoteWatch, ClientNotifiesServerAndOtherClients) {
  auto hs = served_.store->Watch(
      kCtl, [](uint64_t, uint64_t, const std::string& p) { return "server:" + p; });
  auto hb = b_->Watch(kCtl, [](uint64_t, uint64_t, const std::string& p) { return "b:" + p; });
  ASSERT_TRUE(hs.ok());
  ASSERT_TRUE(hb.ok());
  auto replies = a_->Notify(kCtl, "cache-invalidate", 5000);
  ASSERT_TRUE(replies.ok()) << replies.status().ToString();
  std::set<std::string> got;
  for (const auto& r : *replies) got.insert(r.payload);
  EXPECT_EQ(got, (std::set<std::string>{"server:cache-invalidate", "b:cache-invalidate"}));
  EXPECT_TRUE(a_->Notify(ObjectId{"p", "", "missing", ""}, "x", 100).status().IsNotFound());
  EXPECT_TRUE(a_->Watch(ObjectId{"p", "", "missing", ""}, nullptr).status().IsNotFound());
  ASSERT_TRUE(served_.store->Unwatch(*hs).ok());
  ASSERT_TRUE(b_->Unwatch(*hb).ok());
}

TEST_F(RemoteWatch, SlowWatcherMissesTheTimeout) {
  std::atomic<bool> release{false};
  auto slow = a_->Watch(kCtl, [&](uint64_t, uint64_t, const std::string&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return std::string("late");
  });
  auto fast = b_->Watch(kCtl, [](uint64_t, uint64_t, const std::string&) { return "fast"; });
  ASSERT_TRUE(slow.ok());
  ASSERT_TRUE(fast.ok());
  auto start = Clock::now();
  auto replies = served_.store->Notify(kCtl, "x", 300);
  auto took = Clock::now() - start;
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "fast");
  EXPECT_LT(took, std::chrono::seconds(3));
  release = true;
  ASSERT_TRUE(a_->Unwatch(*slow).ok());  // waits for the slow callback, no deadlock
  ASSERT_TRUE(b_->Unwatch(*fast).ok());
}

TEST_F(RemoteWatch, UnwatchFromInsideItsCallback) {
  std::atomic<uint64_t> handle{0};
  std::atomic<int> calls{0};
  std::atomic<bool> unwatched{false};
  auto h = a_->Watch(kCtl, [&](uint64_t, uint64_t, const std::string&) {
    ++calls;
    unwatched = a_->Unwatch(handle).ok();
    return std::string("bye");
  });
  ASSERT_TRUE(h.ok());
  handle = *h;
  auto replies = b_->Notify(kCtl, "x", 5000);
  ASSERT_TRUE(replies.ok());
  // The notifier is released as soon as the watch is going (its reply is
  // then ""); the callback's Unwatch returns right after.
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!unwatched && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(unwatched);
  replies = b_->Notify(kCtl, "x", 5000);
  ASSERT_TRUE(replies.ok());
  EXPECT_TRUE(replies->empty());
  EXPECT_EQ(calls, 1);
}

TEST_F(RemoteWatch, WatchesOfAClientThatGoesAwayAreRemoved) {
  auto h = a_->Watch(kCtl, [](uint64_t, uint64_t, const std::string&) { return "a"; });
  ASSERT_TRUE(h.ok());
  a_.reset();  // its event connection closes
  // The server notices asynchronously; the watch disappears promptly.
  auto deadline = Clock::now() + std::chrono::seconds(5);
  size_t n = 1;
  while (n != 0 && Clock::now() < deadline) {
    auto replies = served_.store->Notify(kCtl, "x", 2000);
    ASSERT_TRUE(replies.ok());
    n = replies->size();
    if (n) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(served_.store->Unwatch(*h).IsNotFound());
}

TEST_F(RemoteWatch, WatchAgainAfterServerRestart) {
  auto old = a_->Watch(kCtl, [](uint64_t, uint64_t, const std::string&) { return "old"; });
  ASSERT_TRUE(old.ok());
  served_.server->Stop();
  auto restarted = StoreServer::Start(served_.socket, *served_.store);
  ASSERT_TRUE(restarted.ok());
  // The old watch went with the old server; a new one works at once.
  auto h = a_->Watch(kCtl, [](uint64_t, uint64_t, const std::string&) { return "new"; });
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto replies = served_.store->Notify(kCtl, "x", 5000);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "new");
  ASSERT_TRUE(a_->Unwatch(*h).ok());
  restarted->reset();
}

}  // namespace
}  // namespace kelp::store::remote
