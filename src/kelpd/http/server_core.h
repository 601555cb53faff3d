// Internal to kelpd/http: state shared by the acceptor (server.cc) and the connection
// coroutines (connection.cc). Includes Asio; never include it from a public header.
//
// Thread-safety: the registry and counters are guarded by `mu`; everything else is set before
// the I/O threads start and read-only afterwards (`stopping` is atomic).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "kelpd/http/access_log.h"
#include "kelpd/http/server.h"
#include "kelpd/http/worker_pool.h"

namespace kelp::http {

// What the server may ask of a live connection, from any thread (implementations post to the
// connection's strand).
class ConnectionControl {
 public:
  virtual ~ConnectionControl() = default;
  // Close now if waiting for a request; otherwise close after the current response.
  virtual void CloseIfIdle() = 0;
  // Close the socket now, failing any pending I/O.
  virtual void ForceClose() = 0;
};

struct ServerCore {
  ServerCore(ServerOptions o, Handler h);

  // "tx" + 21 hex digits + "-" + 10 hex digits of unix time + "-" + host_id, as radosgw.
  std::string NextRequestId();

  void Register(const std::shared_ptr<ConnectionControl>& c);
  void Unregister(const std::shared_ptr<ConnectionControl>& c);
  void RequestStarted();
  void RequestFinished();

  const ServerOptions opts;
  const Handler handler;
  const std::chrono::milliseconds idle_timeout;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> request_counter;
  WorkerPool workers;
  AccessLog access_log;

  std::mutex mu;
  std::condition_variable cv;  // signalled when active_requests or conns shrink
  std::unordered_set<std::shared_ptr<ConnectionControl>> conns;
  size_t active_requests = 0;

  // Last: destroyed first, so handlers it still holds may touch the members above.
  boost::asio::io_context ioc;
};

// Serves one accepted connection until it closes. Runs on the socket's (strand) executor.
boost::asio::awaitable<void> ServeConnection(ServerCore& core, boost::asio::ip::tcp::socket socket);

}  // namespace kelp::http
