// One HTTP request/response exchange as seen by an application handler.
//
// The server (http/server.h) parses a request's header section on an I/O thread and then
// runs the Handler on a worker thread with three objects: the parsed HttpRequest, a
// BodyReader streaming the request body, and a ResponseWriter streaming the response. Reader
// and writer calls BLOCK the worker thread while the I/O thread moves the bytes; at most one
// bounded chunk (<= kMaxBodyChunk) of body is in flight per request, so memory per request
// does not grow with body size. Nothing here exposes Asio or Beast.
//
// Thread-safety: one exchange belongs to one handler invocation; call its reader and writer
// from that handler's thread only.
//
//   void Handle(HttpRequest& req, BodyReader& body, ResponseWriter& out) {
//     char buf[65536];
//     for (;;) {
//       auto n = body.Read(buf, sizeof buf);
//       if (!n.ok()) { ...; return; }
//       if (*n == 0) break;
//     }
//     out.SendSimple(200, "text/plain", "ok\n");
//   }
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace kelp::http {

// Largest body chunk a BodyReader::Read hands over at once.
inline constexpr size_t kMaxBodyChunk = 1 << 20;

struct HttpRequest {
  std::string method;      // "GET" (as sent; Beast accepts any token)
  std::string target;      // raw request-target as sent
  std::string raw_path;    // target before '?', still percent-encoded
  std::string raw_query;   // after '?', as sent ("" if none)
  int version = 11;        // 10 = HTTP/1.0, 11 = HTTP/1.1
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order

  // Value of the first header named `name` (case-insensitive), nullptr if absent.
  const std::string* Header(std::string_view name) const;

  std::optional<uint64_t> content_length;  // Content-Length, if sent
  bool chunked = false;                    // Transfer-Encoding: chunked
  std::string remote_addr;                 // peer IP address ("127.0.0.1", "::1")
  std::string request_id;                  // unique id, also sent as x-amz-request-id
};

// The request body, streamed. Blocking; called on the worker thread.
class BodyReader {
 public:
  virtual ~BodyReader();

  // Reads up to min(n, kMaxBodyChunk) bytes into buf; returns how many, 0 = end of body.
  // Sends "100 Continue" on the first call if the client asked for it (Expect: 100-continue).
  // Errors: Code::kIncompleteBody (client closed early, shorter than Content-Length, or a
  // malformed chunked encoding), Code::kRequestTimeout (client idle longer than the idle
  // timeout). After an error the connection is closed once the handler returns.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

// The response, streamed. Blocking; called on the worker thread.
//
// Framing is the server's: a Content-Length or Transfer-Encoding header added by the handler is
// dropped (SendHead decides). "Connection: close" from the handler is honoured. The server adds
// x-amz-request-id and Date unless the handler set them. For HEAD requests and 1xx/204/304
// statuses body bytes are counted and swallowed (Content-Length is still sent as given).
// If a handler returns without sending a response the server answers 500 InternalError; if it
// returns (or throws) before Finish() with body bytes still due (any chunked body, a short
// fixed-length one) the connection is closed without completing the body, so the client sees
// the truncation.
class ResponseWriter {
 public:
  virtual ~ResponseWriter();

  virtual void SetStatus(int code) = 0;
  // Appends a header (CR/LF and other control characters in name/value become spaces).
  virtual void AddHeader(std::string name, std::string value) = 0;
  // Sends status + headers. content_length set => fixed-length body; nullopt => chunked
  // transfer-encoding (HTTP/1.0 client: body delimited by closing the connection).
  // Fails if already sent or the connection is gone.
  virtual Status SendHead(std::optional<uint64_t> content_length) = 0;
  // Sends body bytes; blocks while the socket is slow (back-pressure). Fails before SendHead,
  // past the declared Content-Length, or when the connection is gone / timed out.
  virtual Status Write(std::string_view data) = 0;
  // Completes the body (the final chunk for chunked bodies). Fails if a fixed-length body is
  // short; the connection is then closed.
  virtual Status Finish() = 0;
  virtual bool head_sent() const = 0;

  // Status + headers + a whole small body in one go (Content-Type omitted if empty).
  Status SendSimple(int code, std::string content_type, std::string body);
};

using Handler = std::function<void(HttpRequest&, BodyReader&, ResponseWriter&)>;

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace kelp::http
