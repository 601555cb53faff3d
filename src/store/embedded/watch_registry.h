// In-process watch/notify (librados watch2/notify2 within one process; the
// embedded engine has a single client process). Notify calls every watcher
// of the object on its own thread and collects the replies that arrive
// within the timeout; watchers that miss it are absent from the replies
// (librados reports them as timed out).
//
// Unwatch waits for callbacks of that watch still running (unless called
// from inside one), so the caller may free what the callback uses.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/object_store.h"

namespace kelp::store::embedded {

class WatchRegistry {
 public:
  // `key` identifies the object (its storage key).
  uint64_t Add(const std::string& key, WatchCallback cb);
  Status Remove(uint64_t handle);
  // timeout_ms 0 = 30 s (librados' default notify timeout).
  std::vector<NotifyReply> Notify(const std::string& key, const std::string& payload,
                                  uint64_t timeout_ms, uint64_t notifier_id);

 private:
  struct Watch {
    uint64_t handle = 0;
    std::string key;
    WatchCallback cb;
    std::mutex mu;
    std::condition_variable idle;
    int running = 0;
  };

  std::mutex mu_;
  uint64_t next_handle_ = 1;
  uint64_t next_notify_ = 1;
  std::map<uint64_t, std::shared_ptr<Watch>> watches_;
};

}  // namespace kelp::store::embedded
