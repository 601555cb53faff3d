// WatchDispatcher: one thread that runs watch callbacks (and watch
// re-registration) in the order they were posted. librados delivers
// notifications on its finisher thread, which also delivers op completions;
// running user callbacks there would deadlock any callback that calls the
// store. Post() never blocks; Stop() runs what is queued, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kelp::store::rados {

class WatchDispatcher {
 public:
  WatchDispatcher() = default;
  ~WatchDispatcher() { Stop(); }
  WatchDispatcher(const WatchDispatcher&) = delete;
  WatchDispatcher& operator=(const WatchDispatcher&) = delete;

  void Start();
  void Post(std::function<void()> fn);  // dropped after Stop()
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kelp::store::rados
