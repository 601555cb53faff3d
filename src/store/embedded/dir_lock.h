// Exclusive ownership of a store directory by one process: flock(2) on
// DIR/LOCK, which also records the owner's pid so a second opener can say who
// holds it (kelp-admin then forwards its command to that running kelpd).
// The lock dies with the process (kill -9 included): no stale-lock cleanup.
#pragma once

#include <string>

#include "base/status.h"

namespace kelp::store::embedded {

class DirLock {
 public:
  // Fails with Code::kBusy ("store directory D is in use by process P") if
  // held, by another process or by another open in this process.
  static Result<DirLock> Acquire(const std::string& dir);

  DirLock(DirLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  DirLock& operator=(DirLock&& o) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace kelp::store::embedded
