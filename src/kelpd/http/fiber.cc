#include "kelpd/http/fiber.h"

#include <cstdio>
#include <memory>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "base/suspend.h"

namespace kelp::http {
namespace {

namespace asio = boost::asio;
namespace ctx = boost::context;

class Fiber final : public Suspender, public std::enable_shared_from_this<Fiber> {
 public:
  Fiber(asio::any_io_executor strand, std::function<void()> body, size_t stack_bytes)
      : strand_(std::move(strand)), body_(std::move(body)) {
    fiber_ = ctx::fiber(std::allocator_arg, ctx::protected_fixedsize_stack(stack_bytes),
                        [this](ctx::fiber&& caller) {
                          caller_ = std::move(caller);
                          body_();
                          body_ = nullptr;
                          return std::move(caller_);
                        });
  }

  ~Fiber() override {
    if (fiber_) {
      // Parked forever (its io_context went away): unwinding would run destructors of
      // objects the server already tore down.
      (void)new ctx::fiber(std::move(fiber_));
    }
  }

  // On the strand: runs the fiber until it parks or ends.
  void Run() {
    ScopedSuspender current(this);
    fiber_ = std::move(fiber_).resume();
  }

  void Post() {
    asio::post(strand_, [self = shared_from_this()] { self->Run(); });
  }

  // On the fiber.
  void Suspend(const std::function<void(Resume)>& start) override {
    start([self = shared_from_this()] { self->Post(); });
    caller_ = std::move(caller_).resume();
  }

 private:
  asio::any_io_executor strand_;
  std::function<void()> body_;
  ctx::fiber fiber_;   // the fiber while it is not running
  ctx::fiber caller_;  // who runs it (Run's frame) while it runs
};

}  // namespace

void SpawnFiber(const asio::any_io_executor& strand, std::function<void()> body,
                size_t stack_bytes) {
  auto f = std::make_shared<Fiber>(strand, std::move(body), stack_bytes);
  f->Post();
}

}  // namespace kelp::http
