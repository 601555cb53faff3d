// A blocking HTTP/1.1 client connection for the load generator: one request at
// a time, keep-alive, request bodies streamed from a callback and response
// bodies streamed to a callback, so neither side is held in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace kelp::bench {

class HttpConnection {
 public:
  // Next request-body slice starting at `offset`, at most `max` bytes.
  using BodySource = std::function<std::string_view(uint64_t offset, size_t max)>;
  // Receives response body bytes in order.
  using BodySink = std::function<void(const char* data, size_t n)>;

  HttpConnection(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
  ~HttpConnection() { Close(); }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  struct Response {
    int status = 0;                              // 0 when the exchange failed
    std::map<std::string, std::string> headers;  // lower-case names
    uint64_t body_bytes = 0;
    std::string error;  // transport error, or the start of a non-2xx body
  };

  // Sends `method target` with `headers` (lower-case names, "host" included by
  // the caller) and `content_length` bytes from `source`; reconnects as needed.
  Response Do(const std::string& method, const std::string& target,
              const std::map<std::string, std::string>& headers, uint64_t content_length,
              const BodySource& source, const BodySink& sink);

 private:
  bool Connect(std::string* error);
  void Close();
  bool SendAll(const char* data, size_t n);
  // Fills rbuf_ with at least one more byte; false on EOF/error.
  bool Fill();
  bool ReadLine(std::string* line);
  bool ReadBody(uint64_t n, const BodySink& sink, Response* r);

  std::string host_;
  uint16_t port_;
  int fd_ = -1;
  std::string rbuf_;
  size_t rpos_ = 0;
};

}  // namespace kelp::bench
