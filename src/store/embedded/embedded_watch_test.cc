// Watch/notify of the embedded engine.
#include <atomic>
#include <chrono>
#include <thread>

#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::MustOpen;
using testing::TempDir;

class EmbeddedWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->CreatePool("control").ok());
    ASSERT_TRUE(store_->Operate(id_, WriteOp().Create(false)).ok());
  }
  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
  ObjectId id_{"control", "", "notify.0", ""};
};

TEST_F(EmbeddedWatchTest, NotifyReachesEveryWatcherAndCollectsReplies) {
  std::atomic<uint64_t> notifier{0};
  auto w1 = store_->Watch(id_, [&](uint64_t, uint64_t who, const std::string& p) {
    notifier = who;
    return "one:" + p;
  });
  auto w2 = store_->Watch(id_, [](uint64_t, uint64_t, const std::string& p) { return "two:" + p; });
  ASSERT_TRUE(w1.ok() && w2.ok());
  // A watcher of another object hears nothing.
  ASSERT_TRUE(
      store_->Operate(ObjectId{"control", "", "notify.1", ""}, WriteOp().Create(false)).ok());
  std::atomic<int> other_calls{0};
  auto w3 = store_->Watch(ObjectId{"control", "", "notify.1", ""},
                          [&](uint64_t, uint64_t, const std::string&) {
                            ++other_calls;
                            return std::string();
                          });
  ASSERT_TRUE(w3.ok());

  auto replies = store_->Notify(id_, "hi", 5000);
  ASSERT_TRUE(replies.ok()) << replies.status().ToString();
  std::map<uint64_t, std::string> by_watcher;
  for (const auto& r : *replies) by_watcher[r.watcher_id] = r.payload;
  EXPECT_EQ(by_watcher, (std::map<uint64_t, std::string>{{*w1, "one:hi"}, {*w2, "two:hi"}}));
  EXPECT_EQ(notifier.load(), store_->InstanceId());
  EXPECT_EQ(other_calls.load(), 0);

  ASSERT_TRUE(store_->Unwatch(*w1).ok());
  EXPECT_TRUE(store_->Unwatch(*w1).IsNotFound());
  replies = store_->Notify(id_, "again", 5000);
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "two:again");
  ASSERT_TRUE(store_->Unwatch(*w2).ok());
  ASSERT_TRUE(store_->Unwatch(*w3).ok());
}

TEST_F(EmbeddedWatchTest, SlowWatcherIsLeftOutAfterTimeout) {
  std::atomic<bool> release{false};
  auto slow = store_->Watch(id_, [&](uint64_t, uint64_t, const std::string&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return std::string("late");
  });
  auto fast = store_->Watch(
      id_, [](uint64_t, uint64_t, const std::string&) { return std::string("fast"); });
  ASSERT_TRUE(slow.ok() && fast.ok());
  auto start = std::chrono::steady_clock::now();
  auto replies = store_->Notify(id_, "x", 200);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(replies.ok());
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "fast");
  EXPECT_GE(took, std::chrono::milliseconds(190));
  EXPECT_LT(took, std::chrono::seconds(3));
  release = true;
  // Unwatch waits for the straggler, so `release` may go out of scope after.
  EXPECT_TRUE(store_->Unwatch(*slow).ok());
  EXPECT_TRUE(store_->Unwatch(*fast).ok());
}

TEST_F(EmbeddedWatchTest, WatchAndNotifyNeedTheObject) {
  ObjectId missing{"control", "", "nothing", ""};
  EXPECT_TRUE(
      store_->Watch(missing, [](uint64_t, uint64_t, const std::string&) { return std::string(); })
          .status()
          .IsNotFound());
  EXPECT_TRUE(store_->Notify(missing, "", 100).status().IsNotFound());
  // No watchers: an empty reply set right away.
  auto replies = store_->Notify(id_, "", 100);
  ASSERT_TRUE(replies.ok());
  EXPECT_TRUE(replies->empty());
}

}  // namespace
}  // namespace kelp::store::embedded
