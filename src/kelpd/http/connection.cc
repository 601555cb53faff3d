// One connection's coroutine and the bridge between it and the request handler's worker thread
// (or, with ServerOptions::fibers, the handler's fiber on the same strand).
//
// The coroutine owns the socket. After parsing a request's header section it hands an Exchange
// to the worker pool and waits. The handler's blocking BodyReader/ResponseWriter calls each
// co_spawn one operation onto the connection's strand and wait for its result on a promise; the
// operation reads straight into (or writes straight from) the handler's buffer, so no body
// bytes are copied or queued. When the handler returns, the coroutine completes the response
// (500 if none was sent), drains or abandons the unread body, logs and loops or closes.
#include <array>
#include <cstdio>
#include <ctime>
#include <future>
#include <limits>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include "base/suspend.h"
#include "kelpd/http/fiber.h"
#include "kelpd/http/server_core.h"
#include "kelpd/s3/errors.h"

namespace kelp::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Parser = bhttp::request_parser<bhttp::buffer_body>;

auto Nothrow(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

std::string HttpDate(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Header names/values from handlers must not split the header section.
std::string Sanitize(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

std::string ReasonPhrase(int code) {
  auto r = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(code)));
  if (r.empty() || r.front() == '<') return "Unknown";
  return std::string(r);
}

bool IsTransportClosed(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message || ec == asio::error::bad_descriptor ||
         ec == asio::error::not_connected;
}

class Exchange;

// Sent before the final response to every "Expect: 100-continue" request whose body the handler
// reads, like radosgw (which sends it in the op's pre_exec, whatever the body length), and
// before the final response of one whose body is empty. An empty body never strictly needs a
// 100, but botocore (1.29) answered with a final status first remembers that status on the
// kept-alive connection and reuses it for the next Expect request's response, which it then
// misparses and waits on until its read timeout: every PutObject after an empty one stalled.
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Connection buffer capacity while a request body is read; idle connections keep less.
constexpr size_t kBodyReadBuffer = 256 * 1024;
constexpr size_t kIdleBuffer = 16 * 1024;

class Connection final : public ConnectionControl,
                         public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerCore& core, tcp::socket socket)
      : core(core), stream(std::move(socket)), executor(stream.get_executor()) {
    error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) {
      auto addr = ep.address();
      if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
        addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
      }
      remote_addr = addr.to_string();
    }
  }

  void CloseIfIdle() override {
    asio::post(executor, [self = shared_from_this()] {
      self->closing = true;
      if (self->idle) self->CloseSocket();
    });
  }
  void ForceClose() override {
    asio::post(executor, [self = shared_from_this()] {
      self->closing = true;
      self->CloseSocket();
    });
  }

  asio::awaitable<void> Run();

  void CloseSocket() {
    error_code ec;
    stream.socket().close(ec);
  }
  void ExpireAfterIdle() { stream.expires_after(core.idle_timeout); }

  ServerCore& core;
  beast::tcp_stream stream;
  asio::any_io_executor executor;  // the connection's strand
  beast::flat_buffer buffer;
  std::string remote_addr;
  bool idle = true;     // waiting for a request's header section
  bool closing = false;

 private:
  asio::awaitable<void> SendEarlyError(int status, Code code, const std::string& message);
  asio::awaitable<void> GracefulClose();
};

// One request/response, shared by the connection coroutine and the handler's worker thread.
// Fields below are touched only on the connection's strand, or by the worker while no strand
// operation is pending (the worker is blocked in Bridge() whenever one is).
class Exchange final : public BodyReader,
                       public ResponseWriter,
                       public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<Connection> conn, std::unique_ptr<Parser> parser)
      : conn_(std::move(conn)),
        parser_(std::move(parser)),
        done_timer_(conn_->executor, std::chrono::steady_clock::time_point::max()),
        start_(std::chrono::system_clock::now()),
        start_steady_(std::chrono::steady_clock::now()) {
    auto& msg = parser_->get();
    req_.method = std::string(msg.method_string());
    req_.target = std::string(msg.target());
    size_t q = req_.target.find('?');
    req_.raw_path = req_.target.substr(0, q);
    if (q != std::string::npos) req_.raw_query = req_.target.substr(q + 1);
    req_.version = static_cast<int>(msg.version());
    for (const auto& field : msg) {
      req_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (auto cl = parser_->content_length()) req_.content_length = *cl;
    req_.chunked = parser_->chunked();
    req_.remote_addr = conn_->remote_addr;
    req_.request_id = conn_->core.NextRequestId();
    const std::string* expect = req_.Header("Expect");
    // Also for an empty body (Content-Length: 0, complete with the header section): see
    // kContinue below for why such requests still get their 100.
    expect_continue_ = expect != nullptr && req_.version >= 11 &&
                       EqualsIgnoreCase(*expect, "100-continue");
    is_head_ = req_.method == "HEAD";
    request_keep_alive_ = msg.keep_alive();
  }

  // --- worker side ---
  void RunHandler() {
    try {
      conn_->core.handler(req_, *this, *this);
    } catch (const std::exception& e) {
      handler_threw_ = true;
      std::fprintf(stderr, "kelpd: handler for %s %s threw: %s\n", req_.method.c_str(),
                   req_.target.c_str(), e.what());
    } catch (...) {
      handler_threw_ = true;
      std::fprintf(stderr, "kelpd: handler for %s %s threw\n", req_.method.c_str(),
                   req_.target.c_str());
    }
    asio::post(conn_->executor, [self = shared_from_this()] {
      self->done_ = true;
      self->done_timer_.cancel();
    });
  }

  Result<size_t> Read(char* buf, size_t n) override {
    if (n == 0) return size_t{0};
    n = std::min(n, kMaxBodyChunk);
    size_t got = 0;
    Status st = Bridge([&] { return DoRead(buf, n, &got); });
    if (!st.ok()) return st;
    return got;
  }

  void SetStatus(int code) override { status_ = code; }
  void AddHeader(std::string name, std::string value) override {
    headers_.emplace_back(Sanitize(std::move(name)), Sanitize(std::move(value)));
  }
  Status SendHead(std::optional<uint64_t> content_length) override {
    if (head_sent_) return Status(Code::kInternal, "response head already sent");
    return Bridge([&] { return DoSendHead(content_length); });
  }
  Status Write(std::string_view data) override {
    return Bridge([&] { return DoWrite(data); });
  }
  Status Finish() override {
    return Bridge([&] { return DoFinish(); });
  }
  bool head_sent() const override { return head_sent_; }

  // --- strand side ---
  asio::awaitable<void> WaitDone() {
    while (!done_) {
      error_code ec;
      co_await done_timer_.async_wait(Nothrow(ec));
    }
  }

  // After the handler returned: completes the response and decides whether the connection
  // can carry another request.
  asio::awaitable<bool> Complete() {
    if (!head_sent_) {
      status_ = 500;
      headers_.clear();
      Status st(Code::kInternal, handler_threw_ ? "" : "the handler sent no response");
      std::string body = s3::RenderS3Error(st, req_.raw_path, req_.request_id,
                                           conn_->core.opts.host_id);
      headers_.emplace_back("Content-Type", "application/xml");
      if ((co_await DoSendHead(body.size())).ok() && (co_await DoWrite(body)).ok()) {
        co_await DoFinish();
      }
    } else if (!finished_ && !write_failed_) {
      // Without Finish() the body is complete only if nothing more was due. A chunked body is
      // left unterminated (and the connection closed) so the client sees the truncation: a
      // handler that returns early on a storage error must not look like a complete object.
      if (mode_ == Mode::kNone ||
          (mode_ == Mode::kFixed && body_written_ == head_content_length_)) {
        finished_ = true;
      }
    }
    bool keep = keep_alive_ && finished_ && !write_failed_ && !read_failed_ &&
                !conn_->closing && !conn_->core.stopping;
    if (keep && !parser_->is_done()) keep = co_await DrainBody();
    co_return keep;
  }

  AccessLogEntry LogEntry() const {
    AccessLogEntry e;
    e.remote = req_.remote_addr;
    e.start = start_;
    e.method = req_.method;
    e.target = req_.target;
    e.status = head_sent_ ? status_ : 0;
    e.bytes_sent = body_written_;
    e.duration_ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start_steady_).count();
    e.request_id = req_.request_id;
    if (const std::string* ua = req_.Header("User-Agent")) e.user_agent = *ua;
    return e;
  }

 private:
  enum class Mode { kNone, kFixed, kChunked, kUntilClose };

  // Runs the awaitable made by `make` on the connection's strand and waits for its result:
  // parks the handler's fiber (fibers mode) or blocks its worker thread.
  template <typename MakeAwaitable>
  Status Bridge(MakeAwaitable make) {
    if (CanSuspend()) {
      Status result;
      Await([&](Resume resume) {
        asio::co_spawn(conn_->executor, make(),
                       [&result, resume = std::move(resume)](std::exception_ptr e, Status st) {
                         result = e ? Status(Code::kInternal, "I/O operation failed") : st;
                         resume();
                       });
      });
      return result;
    }
    auto promise = std::make_shared<std::promise<Status>>();
    std::future<Status> result = promise->get_future();
    asio::co_spawn(conn_->executor, make(), [promise](std::exception_ptr e, Status st) {
      if (e) st = Status(Code::kInternal, "I/O operation failed");
      promise->set_value(std::move(st));
    });
    try {
      return result.get();
    } catch (const std::future_error&) {  // the I/O context went away
      return Status(Code::kIOError, "server shut down");
    }
  }

  asio::awaitable<Status> DoRead(char* buf, size_t n, size_t* got) {
    *got = 0;
    if (!read_error_.ok()) co_return read_error_;
    error_code ec;
    if (expect_continue_ && !continue_sent_ && !head_sent_) {
      continue_sent_ = true;
      conn_->ExpireAfterIdle();
      co_await asio::async_write(conn_->stream, asio::buffer(kContinue.data(), kContinue.size()),
                                 Nothrow(ec));
      if (ec) co_return FailRead(ec);
    }
    if (parser_->is_done()) co_return Status::OK();
    // Beast reads as much as the connection buffer's spare capacity (at least 512 bytes):
    // grown once per body, a 64 MiB PUT takes ~256 reads instead of ~130,000 (and as many
    // timer resets); shrunk again after the request (Connection::Run).
    if (conn_->buffer.capacity() < kBodyReadBuffer) conn_->buffer.reserve(kBodyReadBuffer);
    auto& body = parser_->get().body();
    body.data = buf;
    body.size = n;
    body.more = true;
    conn_->ExpireAfterIdle();
    co_await bhttp::async_read(conn_->stream, conn_->buffer, *parser_, Nothrow(ec));
    *got = n - body.size;
    body.data = nullptr;
    body.size = 0;
    body_read_ += *got;
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      Status st = FailRead(ec);
      if (*got == 0) co_return st;  // else hand over the bytes; the error comes next call
    }
    co_return Status::OK();
  }

  Status FailRead(const error_code& ec) {
    read_failed_ = true;
    if (ec == beast::error::timeout) {
      read_error_ = Status(Code::kRequestTimeout, "client idle while sending the body");
    } else {
      read_error_ = Status(Code::kIncompleteBody, "request body: " + ec.message());
    }
    return read_error_;
  }

  asio::awaitable<Status> DoSendHead(std::optional<uint64_t> content_length) {
    if (head_sent_) co_return Status(Code::kInternal, "response head already sent");
    head_sent_ = true;
    bool handler_close = false, has_date = false, has_id = false;
    std::string head;
    if (expect_continue_ && !continue_sent_ && parser_->is_done()) {
      // The (empty) body is already complete, so the 100 costs nothing and keeps the
      // connection reusable for botocore (see kContinue).
      continue_sent_ = true;
      head = kContinue;
    }
    head += "HTTP/1.1 " + std::to_string(status_) + " " + ReasonPhrase(status_) + "\r\n";
    for (const auto& [name, value] : headers_) {
      if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding")) {
        continue;  // framing is ours
      }
      if (EqualsIgnoreCase(name, "Connection")) {
        if (EqualsIgnoreCase(value, "close")) handler_close = true;
        continue;
      }
      has_date |= EqualsIgnoreCase(name, "Date");
      has_id |= EqualsIgnoreCase(name, "x-amz-request-id");
      head += name + ": " + value + "\r\n";
    }
    if (!has_id) head += "x-amz-request-id: " + req_.request_id + "\r\n";
    if (!has_date) head += "Date: " + HttpDate(std::chrono::system_clock::now()) + "\r\n";

    no_body_ = is_head_ || status_ / 100 == 1 || status_ == 204 || status_ == 304;
    keep_alive_ = request_keep_alive_ && !handler_close && !conn_->closing &&
                  !conn_->core.stopping && !read_failed_;
    if (!parser_->is_done()) {
      // The client is still sending a body the handler has not read (yet). Promise a close when
      // we already know it will not be drained: the client awaits a 100 that never came, or
      // more remains than we are willing to drain.
      if (expect_continue_ && !continue_sent_) keep_alive_ = false;
      if (req_.content_length &&
          *req_.content_length - body_read_ > conn_->core.opts.max_drain_bytes) {
        keep_alive_ = false;
      }
    }
    if (content_length) {
      head_content_length_ = *content_length;
      if (status_ != 204 && status_ / 100 != 1) {
        head += "Content-Length: " + std::to_string(*content_length) + "\r\n";
      }
      mode_ = no_body_ ? Mode::kNone : Mode::kFixed;
    } else if (no_body_) {
      mode_ = Mode::kNone;
    } else if (req_.version >= 11) {
      head += "Transfer-Encoding: chunked\r\n";
      mode_ = Mode::kChunked;
    } else {
      mode_ = Mode::kUntilClose;  // HTTP/1.0: the body ends when the connection does
      keep_alive_ = false;
    }
    if (!keep_alive_) {
      head += "Connection: close\r\n";
    } else if (req_.version < 11) {
      head += "Connection: keep-alive\r\n";
    }
    head += "\r\n";
    error_code ec;
    conn_->ExpireAfterIdle();
    co_await asio::async_write(conn_->stream, asio::buffer(head), Nothrow(ec));
    if (ec) {
      write_failed_ = true;
      co_return Status(Code::kIOError, "sending response head: " + ec.message());
    }
    co_return Status::OK();
  }

  asio::awaitable<Status> DoWrite(std::string_view data) {
    if (!head_sent_) co_return Status(Code::kInternal, "Write before SendHead");
    if (finished_) co_return Status(Code::kInternal, "Write after Finish");
    if (write_failed_) co_return Status(Code::kIOError, "connection lost");
    if (mode_ == Mode::kNone) {  // HEAD, 204, 304: counted, swallowed
      co_return Status::OK();
    }
    if (mode_ == Mode::kFixed && body_written_ + data.size() > head_content_length_) {
      write_failed_ = true;  // the framing is broken now: close after this response
      co_return Status(Code::kInternal, "response body longer than its Content-Length");
    }
    if (data.empty()) co_return Status::OK();  // an empty chunk would end a chunked body
    error_code ec;
    conn_->ExpireAfterIdle();
    if (mode_ == Mode::kChunked) {
      char size_line[32];
      int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
      std::array<asio::const_buffer, 3> bufs{asio::buffer(size_line, static_cast<size_t>(len)),
                                             asio::buffer(data.data(), data.size()),
                                             asio::buffer("\r\n", 2)};
      co_await asio::async_write(conn_->stream, bufs, Nothrow(ec));
    } else {
      co_await asio::async_write(conn_->stream, asio::buffer(data.data(), data.size()),
                                 Nothrow(ec));
    }
    if (ec) {
      write_failed_ = true;
      co_return Status(Code::kIOError, "sending response body: " + ec.message());
    }
    body_written_ += data.size();
    co_return Status::OK();
  }

  asio::awaitable<Status> DoFinish() {
    if (!head_sent_) co_return Status(Code::kInternal, "Finish before SendHead");
    if (finished_) co_return Status::OK();
    if (write_failed_) co_return Status(Code::kIOError, "connection lost");
    if (mode_ == Mode::kFixed && body_written_ != head_content_length_) {
      write_failed_ = true;
      co_return Status(Code::kInternal, "response body shorter than its Content-Length");
    }
    if (mode_ == Mode::kChunked) {
      error_code ec;
      conn_->ExpireAfterIdle();
      co_await asio::async_write(conn_->stream, asio::buffer("0\r\n\r\n", 5), Nothrow(ec));
      if (ec) {
        write_failed_ = true;
        co_return Status(Code::kIOError, "sending last chunk: " + ec.message());
      }
    }
    finished_ = true;
    co_return Status::OK();
  }

  // Reads and discards the rest of an unread request body, within max_drain_bytes.
  asio::awaitable<bool> DrainBody() {
    if (expect_continue_ && !continue_sent_) co_return false;  // the client may never send it
    uint64_t limit = conn_->core.opts.max_drain_bytes;
    if (req_.content_length && *req_.content_length - body_read_ > limit) co_return false;
    std::vector<char> scratch(64 * 1024);
    uint64_t drained = 0;
    while (!parser_->is_done()) {
      if (drained > limit) co_return false;
      auto& body = parser_->get().body();
      body.data = scratch.data();
      body.size = scratch.size();
      body.more = true;
      error_code ec;
      conn_->ExpireAfterIdle();
      co_await bhttp::async_read(conn_->stream, conn_->buffer, *parser_, Nothrow(ec));
      drained += scratch.size() - body.size;
      body.data = nullptr;
      body.size = 0;
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
    }
    co_return true;
  }

  std::shared_ptr<Connection> conn_;
  std::unique_ptr<Parser> parser_;
  HttpRequest req_;
  asio::steady_timer done_timer_;
  bool done_ = false;
  std::chrono::system_clock::time_point start_;
  std::chrono::steady_clock::time_point start_steady_;

  bool is_head_ = false;
  bool request_keep_alive_ = true;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  uint64_t body_read_ = 0;
  bool read_failed_ = false;
  Status read_error_;

  int status_ = 200;
  std::vector<std::pair<std::string, std::string>> headers_;
  bool head_sent_ = false;
  bool no_body_ = false;
  bool keep_alive_ = false;
  Mode mode_ = Mode::kNone;
  uint64_t head_content_length_ = 0;
  uint64_t body_written_ = 0;
  bool finished_ = false;
  bool write_failed_ = false;
  bool handler_threw_ = false;
};

asio::awaitable<void> Connection::Run() {
  auto self = shared_from_this();
  core.Register(self);
  for (;;) {
    if (closing || core.stopping) break;
    auto parser = std::make_unique<Parser>();
    parser->header_limit(static_cast<std::uint32_t>(core.opts.max_header_bytes));
    // Not boost::none: Beast 1.74 compares Content-Length against the optional itself, and any
    // value is greater than none.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    idle = true;
    error_code ec;
    ExpireAfterIdle();
    co_await bhttp::async_read_header(stream, buffer, *parser, Nothrow(ec));
    idle = false;
    if (ec) {
      std::string message;
      if (ec == bhttp::error::header_limit) {
        co_await SendEarlyError(431, Code::kRequestHeaderSectionTooLarge, message);
      } else if (!IsTransportClosed(ec) && ec.category() == bhttp::make_error_code(
                                                                 bhttp::error::bad_target)
                                                                 .category()) {
        message = "malformed HTTP request: " + ec.message();
        co_await SendEarlyError(400, Code::kInvalidRequest, message);
      }
      break;
    }

    auto exchange = std::make_shared<Exchange>(self, std::move(parser));
    core.RequestStarted();
    if (core.opts.fibers) {
      SpawnFiber(executor, [exchange] { exchange->RunHandler(); }, core.opts.fiber_stack_bytes);
    } else if (!core.workers.Submit([exchange] { exchange->RunHandler(); })) {
      core.RequestFinished();
      break;  // shutting down
    }
    co_await exchange->WaitDone();
    bool keep = co_await exchange->Complete();
    core.access_log.Log(exchange->LogEntry());
    core.RequestFinished();
    if (!keep) break;
    if (buffer.capacity() > kIdleBuffer) buffer.shrink_to_fit();
  }
  co_await GracefulClose();
  core.Unregister(self);
}

asio::awaitable<void> Connection::SendEarlyError(int status, Code code,
                                                 const std::string& message) {
  std::string id = core.NextRequestId();
  std::string body = s3::RenderS3Error(Status(code, message), "", id,
                                       core.opts.host_id);
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
                     "\r\nContent-Type: application/xml\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\nx-amz-request-id: " + id +
                     "\r\nDate: " + HttpDate(std::chrono::system_clock::now()) +
                     "\r\nConnection: close\r\n\r\n";
  std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(body)};
  error_code ec;
  ExpireAfterIdle();
  co_await asio::async_write(stream, bufs, Nothrow(ec));
  AccessLogEntry e;
  e.remote = remote_addr;
  e.start = std::chrono::system_clock::now();
  e.method = "-";
  e.target = "-";
  e.status = status;
  e.bytes_sent = ec ? 0 : body.size();
  e.request_id = id;
  core.access_log.Log(e);
}

// Half-closes and reads until the peer closes (bounded), so request bytes we never read do not
// turn our close into a TCP reset that could destroy the response before the client reads it.
asio::awaitable<void> Connection::GracefulClose() {
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!ec && stream.socket().is_open()) {
    stream.expires_after(std::min<std::chrono::steady_clock::duration>(
        core.idle_timeout, std::chrono::seconds(2)));
    std::vector<char> scratch(16 * 1024);
    size_t total = 0;
    while (total < (1u << 20)) {
      size_t n = co_await stream.async_read_some(asio::buffer(scratch), Nothrow(ec));
      if (ec) break;
      total += n;
    }
  }
  CloseSocket();
}

}  // namespace

asio::awaitable<void> ServeConnection(ServerCore& core, tcp::socket socket) {
  auto conn = std::make_shared<Connection>(core, std::move(socket));
  co_await conn->Run();
}

}  // namespace kelp::http
