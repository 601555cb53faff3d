// The access log: one line per request, written by a background thread so the I/O threads
// never wait on the disk. Internal to the server.
//
// Line format (space separated, quoted fields may contain spaces):
//   <remote> [<time UTC, ISO 8601 ms>] "<method> <target>" <status> <bytes sent> <duration ms>ms
//   <request id> "<user agent>"
// Lines beyond a bounded queue (writer stalled) are dropped and counted.
//
// Thread-safety: Log may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"

namespace kelp::http {

struct AccessLogEntry {
  std::string remote;
  std::chrono::system_clock::time_point start;
  std::string method;
  std::string target;
  int status = 0;
  uint64_t bytes_sent = 0;
  double duration_ms = 0;
  std::string request_id;
  std::string user_agent;
};

std::string FormatAccessLogLine(const AccessLogEntry& e);

class AccessLog {
 public:
  AccessLog() = default;
  ~AccessLog();  // Close()

  // path: "-" = stdout, "" = disabled, else appended to. Errors: kIOError.
  Status Open(const std::string& path);
  bool enabled() const { return file_ != nullptr; }
  void Log(const AccessLogEntry& entry);
  // Writes what is queued and stops the writer thread.
  void Close();
  uint64_t dropped() const;

 private:
  void Run();

  static constexpr size_t kMaxQueued = 16384;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool closing_ = false;
  uint64_t dropped_ = 0;
  FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::thread writer_;
};

}  // namespace kelp::http
