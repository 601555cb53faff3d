// A fixed pool of worker threads running queued tasks in FIFO order. Internal to the server.
//
// Thread-safety: Submit and Shutdown may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kelp::http {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();  // Shutdown()

  // Queues `task`; false (and the task dropped) once Shutdown began.
  bool Submit(std::function<void()> task);

  // Runs every queued task, then joins the threads. Idempotent.
  void Shutdown();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kelp::http
