// Waiting for another thread without necessarily blocking one.
//
// Library code that waits for work completed elsewhere (a RADOS completion on librados'
// finisher thread, a socket operation of kelpd's I/O coroutine) calls Await(start):
// `start(resume)` begins the work and arranges for `resume()` to be called once, from any
// thread, when it is done; Await returns after that.
//
//  - On a plain thread Await blocks the thread (mutex + condition variable).
//  - Inside a context that installed a Suspender (kelpd runs request handlers on stackful fibers
//    whose Suspender parks the fiber and resumes it on its Asio executor; see
//    kelpd/http/fiber.h) the thread goes on serving other work meanwhile. This is radosgw's
//    optional_yield, without threading a yield argument through every call: libkelp stays
//    synchronous code and free of Asio.
//
// Rules for code that may run under a Suspender: never hold a mutex across a call that may
// Await (another fiber on the same thread would deadlock on it), and do not keep references to
// thread_local state across one (the fiber may resume on another thread).
//
//   kelp::Await([&](kelp::Resume resume) {
//     SubmitSomething([resume = std::move(resume)] { resume(); });
//   });
#pragma once

#include <functional>

namespace kelp {

// Called exactly once, from any thread, when the awaited work is done.
using Resume = std::function<void()>;

class Suspender {
 public:
  virtual ~Suspender() = default;
  // Runs start(resume) and returns after resume() was called. `start` runs on the calling
  // context before it is parked, so resume() may be called before start returns.
  virtual void Suspend(const std::function<void(Resume)>& start) = 0;
};

// The calling thread's current Suspender, nullptr on a plain thread.
Suspender* CurrentSuspender();

// Installs `s` as the calling thread's Suspender for the scope (restores the previous one).
class ScopedSuspender {
 public:
  explicit ScopedSuspender(Suspender* s);
  ~ScopedSuspender();
  ScopedSuspender(const ScopedSuspender&) = delete;
  ScopedSuspender& operator=(const ScopedSuspender&) = delete;

 private:
  Suspender* prev_;
};

// Suspends the current fiber (if any) or blocks the thread until resume() is called.
void Await(const std::function<void(Resume)>& start);

// True when the caller runs under a Suspender (waiting would park a fiber, not a thread).
inline bool CanSuspend() { return CurrentSuspender() != nullptr; }

}  // namespace kelp
