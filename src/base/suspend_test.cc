#include "base/suspend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kelp {
namespace {

TEST(AwaitTest, BlocksAPlainThreadUntilResumedFromAnother) {
  std::atomic<bool> worked{false};
  std::thread t;
  Await([&](Resume resume) {
    t = std::thread([&worked, resume = std::move(resume)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      worked = true;
      resume();
    });
  });
  EXPECT_TRUE(worked.load());
  t.join();
}

TEST(AwaitTest, ResumeBeforeStartReturnsIsFine) {
  int n = 0;
  Await([&](Resume resume) {
    ++n;
    resume();
  });
  EXPECT_EQ(n, 1);
}

// A Suspender that records its use and runs the work inline.
class CountingSuspender : public Suspender {
 public:
  void Suspend(const std::function<void(Resume)>& start) override {
    ++calls;
    bool done = false;
    start([&done] { done = true; });
    EXPECT_TRUE(done);
  }
  int calls = 0;
};

TEST(AwaitTest, UsesTheInstalledSuspenderAndRestoresThePreviousOne) {
  EXPECT_FALSE(CanSuspend());
  CountingSuspender outer, inner;
  {
    ScopedSuspender a(&outer);
    EXPECT_EQ(CurrentSuspender(), &outer);
    {
      ScopedSuspender b(&inner);
      Await([](Resume r) { r(); });
    }
    EXPECT_EQ(CurrentSuspender(), &outer);
    Await([](Resume r) { r(); });
  }
  EXPECT_FALSE(CanSuspend());
  EXPECT_EQ(inner.calls, 1);
  EXPECT_EQ(outer.calls, 1);
  // Per thread: another thread sees none.
  ScopedSuspender a(&outer);
  bool other_has = true;
  std::thread([&] { other_has = CanSuspend(); }).join();
  EXPECT_FALSE(other_has);
}

}  // namespace
}  // namespace kelp
