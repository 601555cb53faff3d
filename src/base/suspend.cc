#include "base/suspend.h"

#include <condition_variable>
#include <memory>
#include <mutex>

namespace kelp {
namespace {

thread_local Suspender* current = nullptr;

// Shared with the resume function, which may outlive Await's frame by the time it unlocks.
struct Latch {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};

}  // namespace

Suspender* CurrentSuspender() { return current; }

ScopedSuspender::ScopedSuspender(Suspender* s) : prev_(current) { current = s; }
ScopedSuspender::~ScopedSuspender() { current = prev_; }

void Await(const std::function<void(Resume)>& start) {
  if (Suspender* s = current) {
    s->Suspend(start);
    return;
  }
  auto latch = std::make_shared<Latch>();
  start([latch] {
    {
      std::lock_guard<std::mutex> l(latch->mu);
      latch->done = true;
    }
    latch->cv.notify_all();
  });
  std::unique_lock<std::mutex> l(latch->mu);
  latch->cv.wait(l, [&] { return latch->done; });
}

}  // namespace kelp
