// The listening side of the server: binding, the accept loop, I/O threads, graceful stop and
// signals. The per-connection protocol is in connection.cc.
#include "kelpd/http/server.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kelpd/http/server_core.h"

namespace kelp::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// --- ServerCore ---

ServerCore::ServerCore(ServerOptions o, Handler h)
    : opts(std::move(o)),
      handler(std::move(h)),
      idle_timeout(opts.idle_timeout_ms.count() > 0
                       ? opts.idle_timeout_ms
                       : std::chrono::duration_cast<std::chrono::milliseconds>(opts.idle_timeout)),
      request_counter(std::random_device{}()),
      workers(opts.fibers ? 0 : opts.worker_threads),  // fibers need no worker threads
      ioc(static_cast<int>(std::clamp<size_t>(opts.io_threads, 1, 2))) {}

std::string ServerCore::NextRequestId() {
  uint64_t n = request_counter.fetch_add(1, std::memory_order_relaxed);
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[64];
  std::snprintf(buf, sizeof buf, "tx%021llx-%010llx-", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(now));
  return buf + opts.host_id;
}

void ServerCore::Register(const std::shared_ptr<ConnectionControl>& c) {
  std::lock_guard lock(mu);
  conns.insert(c);
}

void ServerCore::Unregister(const std::shared_ptr<ConnectionControl>& c) {
  {
    std::lock_guard lock(mu);
    conns.erase(c);
  }
  cv.notify_all();
}

void ServerCore::RequestStarted() {
  std::lock_guard lock(mu);
  ++active_requests;
}

void ServerCore::RequestFinished() {
  {
    std::lock_guard lock(mu);
    --active_requests;
  }
  cv.notify_all();
}

// --- Server::Impl ---

class Server::Impl {
 public:
  Impl(ServerOptions opts, Handler handler)
      : core(std::move(opts), std::move(handler)),
        acceptor(asio::make_strand(core.ioc)),
        work(asio::make_work_guard(core.ioc)) {}

  Status Listen();
  void StartThreads();
  void Stop();
  void Wait();
  void WaitForParkedFibers();
  void InstallSignals();

  ServerCore core;
  tcp::acceptor acceptor;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::unique_ptr<asio::signal_set> signals;
  std::vector<std::thread> io_threads;
  uint16_t port = 0;

  std::mutex state_mu;
  std::condition_variable state_cv;
  enum class State { kRunning, kStopping, kStopped } state = State::kRunning;
  std::thread signal_stopper;

 private:
  asio::awaitable<void> AcceptLoop();
};

namespace {

// "host:port", "[v6]:port", ":port".
Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status(Code::kInvalidArgument, "listen: no port in " + listen);
  std::string host = listen.substr(0, colon);
  std::string port_str = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  char* end = nullptr;
  unsigned long port = std::strtoul(port_str.c_str(), &end, 10);
  if (port_str.empty() || *end != '\0' || port > 65535) {
    return Status(Code::kInvalidArgument, "listen: bad port in " + listen);
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

}  // namespace

Status Server::Impl::Listen() {
  ASSIGN_OR_RETURN(auto host_port, SplitListen(core.opts.listen));
  error_code ec;
  tcp::endpoint endpoint;
  auto addr = asio::ip::make_address(host_port.first, ec);
  if (!ec) {
    endpoint = tcp::endpoint(addr, host_port.second);
  } else {
    tcp::resolver resolver(core.ioc);
    auto results = resolver.resolve(host_port.first, std::to_string(host_port.second), ec);
    if (ec || results.empty()) {
      return Status(Code::kInvalidArgument, "listen: cannot resolve " + host_port.first);
    }
    endpoint = results.begin()->endpoint();
  }
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::IOError("listen on " + core.opts.listen + ": " + ec.message());
  port = acceptor.local_endpoint(ec).port();
  return core.access_log.Open(core.opts.access_log_path);
}

void Server::Impl::StartThreads() {
  asio::co_spawn(acceptor.get_executor(), AcceptLoop(), asio::detached);
  size_t n = std::clamp<size_t>(core.opts.io_threads, 1, 2);
  for (size_t i = 0; i < n; ++i) io_threads.emplace_back([this] { core.ioc.run(); });
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    tcp::socket socket(asio::make_strand(core.ioc));
    error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
      // EMFILE and friends: wait a little rather than spin.
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (core.stopping) continue;  // dropped: closes on destruction
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, ServeConnection(core, std::move(socket)),
                   [](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       std::fprintf(stderr, "kelpd: connection failed: %s\n", ex.what());
                     } catch (...) {
                     }
                   });
  }
}

void Server::Impl::Stop() {
  {
    std::unique_lock lock(state_mu);
    if (state != State::kRunning) {
      state_cv.wait(lock, [this] { return state == State::kStopped; });
      return;
    }
    state = State::kStopping;
  }
  core.stopping = true;
  asio::post(acceptor.get_executor(), [this] {
    error_code ec;
    acceptor.close(ec);
    if (signals) signals->cancel(ec);
  });

  // Idle keep-alive connections close now; busy ones after their current response.
  std::vector<std::shared_ptr<ConnectionControl>> conns;
  {
    std::lock_guard lock(core.mu);
    conns.assign(core.conns.begin(), core.conns.end());
  }
  for (auto& c : conns) c->CloseIfIdle();
  {
    std::unique_lock lock(core.mu);
    core.cv.wait_until(lock, std::chrono::steady_clock::now() + core.opts.shutdown_timeout,
                       [this] { return core.active_requests == 0; });
    conns.assign(core.conns.begin(), core.conns.end());
  }
  // Past the deadline: cut what is left; blocked handlers then see I/O errors and return.
  for (auto& c : conns) c->ForceClose();
  conns.clear();
  core.workers.Shutdown();
  if (core.opts.fibers) {
    WaitForParkedFibers();
  } else {
    std::unique_lock lock(core.mu);
    if (!core.cv.wait_for(lock, std::chrono::seconds(5), [this] { return core.conns.empty(); })) {
      for (auto& c : core.conns) c->ForceClose();
    }
    core.cv.wait_for(lock, std::chrono::seconds(5), [this] { return core.conns.empty(); });
  }
  work.reset();
  core.ioc.stop();
  for (auto& t : io_threads) {
    if (t.joinable()) t.join();
  }
  {
    std::lock_guard lock(core.mu);
    core.conns.clear();  // sockets must go before the io_context does
  }
  core.access_log.Close();
  {
    std::lock_guard lock(state_mu);
    state = State::kStopped;
  }
  state_cv.notify_all();
}

// A fiber parked on a store op is resumed by the op's completion (a RADOS op
// gives up after its op timeout), which posts onto this io_context: the
// io_context must outlive every parked fiber. With the sockets cut, a fiber
// finishes once its store ops return; the connection's coroutine then
// unregisters. Past exit_timeout the process exits, as radosgw does after
// rgw_exit_timeout_secs, rather than free what a late completion would use.
void Server::Impl::WaitForParkedFibers() {
  const auto deadline = std::chrono::steady_clock::now() + core.opts.exit_timeout;
  std::unique_lock lock(core.mu);
  auto drained = [this] { return core.conns.empty(); };
  while (!core.cv.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(10)),
                             drained)) {
    for (auto& c : core.conns) c->ForceClose();
    if (std::chrono::steady_clock::now() >= deadline) {
      std::fprintf(stderr,
                   "kelpd: %zu request(s) still waiting on the store %llds after their "
                   "connections were cut; exiting without them\n",
                   core.active_requests, static_cast<long long>(core.opts.exit_timeout.count()));
      std::fflush(nullptr);
      std::_Exit(1);
    }
    std::fprintf(stderr, "kelpd: stopping: %zu request(s) still waiting on the store\n",
                 core.active_requests);
  }
}

void Server::Impl::Wait() {
  std::unique_lock lock(state_mu);
  state_cv.wait(lock, [this] { return state == State::kStopped; });
}

void Server::Impl::InstallSignals() {
  std::lock_guard lock(state_mu);
  if (signals || state != State::kRunning) return;
  signals = std::make_unique<asio::signal_set>(acceptor.get_executor(), SIGINT, SIGTERM);
  signals->async_wait([this](const error_code& ec, int) {
    if (ec) return;
    std::lock_guard lock(state_mu);
    if (!signal_stopper.joinable()) signal_stopper = std::thread([this] { Stop(); });
  });
}

// --- Server ---

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Handler handler) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  Status st = impl->Listen();
  if (!st.ok()) {
    impl->core.workers.Shutdown();
    return st;
  }
  impl->StartThreads();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::~Server() {
  impl_->Stop();
  std::thread stopper;
  {
    std::lock_guard lock(impl_->state_mu);
    stopper = std::move(impl_->signal_stopper);
  }
  if (stopper.joinable()) stopper.join();
}

uint16_t Server::port() const { return impl_->port; }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }

void InstallSignalHandlers(Server& server) { server.impl_->InstallSignals(); }

}  // namespace kelp::http
