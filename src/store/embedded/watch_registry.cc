#include "store/embedded/watch_registry.h"

#include <chrono>
#include <thread>

namespace kelp::store::embedded {

namespace {
// The watch whose callback the current thread is running (Unwatch from
// inside a callback must not wait for itself).
thread_local uint64_t current_watch = 0;
}  // namespace

uint64_t WatchRegistry::Add(const std::string& key, WatchCallback cb) {
  auto w = std::make_shared<Watch>();
  w->key = key;
  w->cb = std::move(cb);
  std::lock_guard<std::mutex> l(mu_);
  w->handle = next_handle_++;
  watches_[w->handle] = w;
  return w->handle;
}

Status WatchRegistry::Remove(uint64_t handle) {
  std::shared_ptr<Watch> w;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = watches_.find(handle);
    if (it == watches_.end()) return Status::NotFound("no watch " + std::to_string(handle));
    w = it->second;
    watches_.erase(it);
  }
  if (current_watch != handle) {
    std::unique_lock<std::mutex> l(w->mu);
    w->idle.wait(l, [&] { return w->running == 0; });
  }
  return Status::OK();
}

std::vector<NotifyReply> WatchRegistry::Notify(const std::string& key, const std::string& payload,
                                               uint64_t timeout_ms, uint64_t notifier_id) {
  struct Pending {
    std::mutex mu;
    std::condition_variable cv;
    size_t outstanding = 0;
    std::vector<NotifyReply> replies;
  };
  auto pending = std::make_shared<Pending>();
  std::vector<std::shared_ptr<Watch>> targets;
  uint64_t notify_id;
  {
    std::lock_guard<std::mutex> l(mu_);
    notify_id = next_notify_++;
    for (const auto& [h, w] : watches_) {
      if (w->key == key) targets.push_back(w);
    }
  }
  pending->outstanding = targets.size();
  for (auto& w : targets) {
    {
      std::lock_guard<std::mutex> l(w->mu);
      ++w->running;
    }
    std::thread([w, pending, payload, notify_id, notifier_id] {
      current_watch = w->handle;
      std::string reply = w->cb(notify_id, notifier_id, payload);
      current_watch = 0;
      {
        std::lock_guard<std::mutex> l(pending->mu);
        pending->replies.push_back(NotifyReply{w->handle, std::move(reply)});
        --pending->outstanding;
      }
      pending->cv.notify_all();
      std::lock_guard<std::mutex> l(w->mu);
      if (--w->running == 0) w->idle.notify_all();
    }).detach();
  }
  auto timeout = std::chrono::milliseconds(timeout_ms ? timeout_ms : 30000);
  std::unique_lock<std::mutex> l(pending->mu);
  pending->cv.wait_for(l, timeout, [&] { return pending->outstanding == 0; });
  return pending->replies;
}

}  // namespace kelp::store::embedded
