// kelpd's HTTP/1.1 server: Boost.Beast + Asio with C++20 coroutines, hidden behind this header.
//
// I/O threads (1 or 2) run one coroutine per connection doing all socket work: reading request
// headers, streaming bodies, writing responses, timeouts. Each request's Handler is plain
// blocking C++ run on a bounded pool of worker threads; its BodyReader/ResponseWriter calls
// block the worker while the connection's coroutine moves at most kMaxBodyChunk bytes at a time
// (http/exchange.h), so a slow client only ever holds one worker and bounded memory.
//
// With `fibers` set, handlers run instead on stackful fibers on the I/O threads (http/fiber.h):
// a handler's waits (kelp::Await: RADOS completions, body reads, response writes) park its fiber
// and the I/O thread serves other connections meanwhile; no thread blocks on the store. Use it
// when every blocking call of the handlers goes through kelp::Await (the RADOS backend); the
// embedded store's disk I/O blocks and belongs on worker threads.
//
// Protocol behaviour: HTTP/1.1 keep-alive and pipelining, "Connection: close", HTTP/1.0;
// chunked request bodies; "Expect: 100-continue" (100 sent on the handler's first Read, or for
// an empty body at the latest right before the response head); HEAD and 204/304 responses never
// carry body bytes. A request body the handler did not read is
// drained (small) or the connection closed. Header section over max_header_bytes -> 431 with an
// S3 <Error> RequestHeaderSectionTooLarge; malformed HTTP -> 400 InvalidRequest and close; a
// handler that throws -> 500 InternalError (or a closed connection once the head was sent).
// A connection idle (no byte read or written) longer than idle_timeout is closed.
//
// Thread-safety: Start/Stop/Wait/port may be called from any thread, except Stop and the
// destructor, which must not be called from a Handler (they wait for handlers to finish).
//
//   auto server = Server::Start(opts, [](HttpRequest& req, BodyReader& in, ResponseWriter& out) {
//     out.SendSimple(200, "text/plain", "hello\n");
//   });
//   if (!server.ok()) return Fail(server.status());
//   InstallSignalHandlers(**server);   // SIGTERM/SIGINT -> graceful Stop()
//   (*server)->Wait();
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "kelpd/http/exchange.h"

namespace kelp::http {

struct ServerOptions {
  // "host:port", "[v6]:port" or ":port" (all interfaces); port 0 picks a free port.
  std::string listen = "127.0.0.1:7480";
  size_t worker_threads = 64;
  size_t io_threads = 1;  // clamped to [1, 2]
  // Run handlers on fibers on the I/O threads instead of on worker threads (see above).
  bool fibers = false;
  size_t fiber_stack_bytes = 1 << 20;  // guarded; only the pages touched are committed
  size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds idle_timeout{60};
  // If nonzero, overrides idle_timeout (tests use sub-second timeouts).
  std::chrono::milliseconds idle_timeout_ms{0};
  // "-" = stdout, "" = off, else a file opened for append.
  std::string access_log_path = "-";
  // Graceful Stop(): how long in-flight requests may run before connections are cut.
  std::chrono::seconds shutdown_timeout{30};
  // With fibers: how long Stop() then waits for handlers still parked on the store (their
  // completions need this server's io_context); past it the process exits with status 1 and
  // a line on stderr, as radosgw after rgw_exit_timeout_secs (120 s).
  std::chrono::seconds exit_timeout{120};
  // Appended to request ids ("tx...-<suffix>") and sent as HostId in error documents; radosgw
  // uses "<zone id>-<zonegroup name>".
  std::string host_id = "kelp";
  // A request body the handler left unread is drained when at most this many bytes remain
  // (known Content-Length); otherwise the connection is closed after the response.
  uint64_t max_drain_bytes = 1 << 20;
};

class Server {
 public:
  // Binds, listens and starts the I/O and worker threads. Errors: kIOError (bind/listen failed,
  // e.g. address in use), kInvalidArgument (unparsable listen address).
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Handler handler);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();  // Stop() if still running

  // The bound port (useful with port 0).
  uint16_t port() const;

  // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish (their responses carry "Connection: close") until shutdown_timeout, then
  // cuts the remaining connections, waits for handlers to return and joins all threads.
  // Idempotent; concurrent callers all return once the server is down.
  void Stop();

  // Blocks until the server has stopped (by Stop() or a signal).
  void Wait();

  class Impl;

 private:
  friend void InstallSignalHandlers(Server& server);
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// SIGTERM and SIGINT trigger server.Stop() (on a separate thread); Wait() then returns.
void InstallSignalHandlers(Server& server);

}  // namespace kelp::http
