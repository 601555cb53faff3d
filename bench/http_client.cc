#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kelp::bench {
namespace {
constexpr size_t kReadChunk = 256 * 1024;
constexpr size_t kErrorKeep = 512;  // bytes of a non-2xx body kept for the report

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

bool HttpConnection::Connect(std::string* error) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    *error = "bad IPv4 address " + host_;
    Close();
    return false;
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    Close();
    return false;
  }
  rbuf_.clear();
  rpos_ = 0;
  return true;
}

void HttpConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool HttpConnection::SendAll(const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd_, data, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool HttpConnection::Fill() {
  if (rpos_ > 0 && rpos_ == rbuf_.size()) {
    rbuf_.clear();
    rpos_ = 0;
  }
  size_t old = rbuf_.size();
  rbuf_.resize(old + kReadChunk);
  ssize_t r;
  do {
    r = ::recv(fd_, rbuf_.data() + old, kReadChunk, 0);
  } while (r < 0 && errno == EINTR);
  rbuf_.resize(old + (r > 0 ? static_cast<size_t>(r) : 0));
  return r > 0;
}

bool HttpConnection::ReadLine(std::string* line) {
  for (;;) {
    size_t eol = rbuf_.find("\r\n", rpos_);
    if (eol != std::string::npos) {
      line->assign(rbuf_, rpos_, eol - rpos_);
      rpos_ = eol + 2;
      return true;
    }
    if (rbuf_.size() - rpos_ > 64 * 1024) return false;  // absurd header line
    if (!Fill()) return false;
  }
}

bool HttpConnection::ReadBody(uint64_t n, const BodySink& sink, Response* r) {
  while (n > 0) {
    if (rpos_ == rbuf_.size() && !Fill()) return false;
    size_t take = static_cast<size_t>(std::min<uint64_t>(n, rbuf_.size() - rpos_));
    const char* p = rbuf_.data() + rpos_;
    if (r->status >= 200 && r->status < 300) {
      if (sink) sink(p, take);
    } else if (r->error.size() < kErrorKeep) {
      r->error.append(p, std::min(take, kErrorKeep - r->error.size()));
    }
    r->body_bytes += take;
    rpos_ += take;
    n -= take;
    // Drop consumed bytes so big bodies do not accumulate in rbuf_.
    if (rpos_ == rbuf_.size()) {
      rbuf_.clear();
      rpos_ = 0;
    }
  }
  return true;
}

HttpConnection::Response HttpConnection::Do(const std::string& method, const std::string& target,
                                            const std::map<std::string, std::string>& headers,
                                            uint64_t content_length, const BodySource& source,
                                            const BodySink& sink) {
  Response r;
  if (fd_ < 0 && !Connect(&r.error)) return r;
  std::string head = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
  if (content_length > 0 || method == "PUT" || method == "POST") {
    head += "content-length: " + std::to_string(content_length) + "\r\n";
  }
  head += "\r\n";
  if (!SendAll(head.data(), head.size())) {
    // A kept-alive connection the server closed meanwhile: retry once fresh.
    Close();
    if (!Connect(&r.error) || !SendAll(head.data(), head.size())) {
      r.error = "send failed";
      Close();
      return r;
    }
  }
  for (uint64_t off = 0; off < content_length;) {
    std::string_view piece = source(off, static_cast<size_t>(std::min<uint64_t>(
                                              content_length - off, 1 << 20)));
    if (piece.empty() || !SendAll(piece.data(), piece.size())) {
      r.error = "body send failed";
      Close();
      return r;
    }
    off += piece.size();
  }

  std::string line;
  if (!ReadLine(&line) || line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) {
    r.error = "bad status line: " + line.substr(0, 100);
    Close();
    return r;
  }
  r.status = std::atoi(line.c_str() + 9);
  for (;;) {
    if (!ReadLine(&line)) {
      r.status = 0;
      r.error = "headers cut off";
      Close();
      return r;
    }
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  bool ok = true;
  if (method == "HEAD" || r.status == 204 || r.status == 304) {
    // no body
  } else if (Lower(r.headers["transfer-encoding"]).find("chunked") != std::string::npos) {
    for (;;) {
      if (!ReadLine(&line)) { ok = false; break; }
      uint64_t n = std::strtoull(line.c_str(), nullptr, 16);
      if (n == 0) {
        while (ReadLine(&line) && !line.empty()) {}  // trailers
        break;
      }
      if (!ReadBody(n, sink, &r) || !ReadLine(&line)) { ok = false; break; }
    }
  } else if (r.headers.count("content-length")) {
    ok = ReadBody(std::strtoull(r.headers["content-length"].c_str(), nullptr, 10), sink, &r);
  }
  if (!ok) {
    r.error = "body cut off after " + std::to_string(r.body_bytes) + " bytes";
    r.status = 0;
    Close();
  } else if (Lower(r.headers["connection"]) == "close") {
    Close();
  }
  return r;
}

}  // namespace kelp::bench
