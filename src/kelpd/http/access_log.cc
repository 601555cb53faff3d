#include "kelpd/http/access_log.h"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace kelp::http {
namespace {

// Quotes a field; '"', '\\' and control characters are escaped so a line stays one line.
void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

std::string FormatAccessLogLine(const AccessLogEntry& e) {
  auto t = std::chrono::system_clock::to_time_t(e.start);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.start.time_since_epoch())
                .count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[64];
  std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line = e.remote.empty() ? "-" : e.remote;
  line += " [";
  line += when;
  line += "] ";
  AppendQuoted(line, e.method + " " + e.target);
  char nums[96];
  std::snprintf(nums, sizeof nums, " %d %llu %.3fms ", e.status,
                static_cast<unsigned long long>(e.bytes_sent), e.duration_ms);
  line += nums;
  line += e.request_id.empty() ? "-" : e.request_id;
  line += ' ';
  AppendQuoted(line, e.user_agent);
  line += '\n';
  return line;
}

AccessLog::~AccessLog() { Close(); }

Status AccessLog::Open(const std::string& path) {
  if (path.empty()) return Status::OK();
  if (path == "-") {
    file_ = stdout;
  } else {
    file_ = std::fopen(path.c_str(), "ae");
    if (file_ == nullptr) {
      return Status::IOError("opening access log " + path + ": " + std::strerror(errno));
    }
    owns_file_ = true;
  }
  writer_ = std::thread([this] { Run(); });
  return Status::OK();
}

void AccessLog::Log(const AccessLogEntry& entry) {
  if (file_ == nullptr) return;
  std::string line = FormatAccessLogLine(entry);
  {
    std::lock_guard lock(mu_);
    if (closing_) return;
    if (queue_.size() >= kMaxQueued) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(line));
  }
  cv_.notify_one();
}

uint64_t AccessLog::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void AccessLog::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  owns_file_ = false;
}

void AccessLog::Run() {
  std::deque<std::string> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty() && closing_) return;
      batch.swap(queue_);
    }
    for (const auto& line : batch) std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
    batch.clear();
  }
}

}  // namespace kelp::http
