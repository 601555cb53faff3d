// The server with ServerOptions::fibers: handlers run on fibers on the I/O threads and every
// kelp::Await parks the fiber instead of blocking a thread. Real sockets, raw client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/suspend.h"
#include "kelpd/http/server.h"

namespace kelp::http {
namespace {

using namespace std::chrono_literals;

// Sends one request on a fresh connection and returns the whole response (server closes).
std::string Roundtrip(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string_view data = request;
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      data.remove_prefix(static_cast<size_t>(n));
    }
    char buf[65536];
    for (;;) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

std::string Body(const std::string& response) {
  size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

ServerOptions FiberOptions() {
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.fibers = true;
  o.io_threads = 1;
  o.worker_threads = 1;
  o.access_log_path = "";
  o.shutdown_timeout = std::chrono::seconds(10);
  return o;
}

// Waits like a RADOS op: completed `delay` later by another thread.
void AwaitCompletionFromAnotherThread(std::chrono::milliseconds delay) {
  Await([delay](Resume resume) {
    std::thread([delay, resume = std::move(resume)] {
      std::this_thread::sleep_for(delay);
      resume();
    }).detach();
  });
}

TEST(FiberServerTest, ParkedHandlersDoNotHoldTheIoThread) {
  // One I/O thread; every handler waits 300 ms for a completion. If a waiting handler held the
  // thread, at most one would ever be waiting at a time.
  constexpr int kClients = 48;
  std::atomic<int> waiting{0}, max_waiting{0}, suspendable{0};
  auto server = Server::Start(FiberOptions(), [&](HttpRequest& req, BodyReader&,
                                                  ResponseWriter& out) {
    if (CanSuspend()) ++suspendable;
    int now = ++waiting;
    for (int m = max_waiting; now > m && !max_waiting.compare_exchange_weak(m, now);) {
    }
    AwaitCompletionFromAnotherThread(300ms);
    --waiting;
    out.SendSimple(200, "text/plain", "done " + req.raw_path);
  });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::vector<std::thread> clients;
  std::atomic<int> good{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      std::string path = "/r" + std::to_string(i);
      std::string r = Roundtrip((*server)->port(),
                                "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      if (r.rfind("HTTP/1.1 200", 0) == 0 && Body(r) == "done " + path) ++good;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), kClients);
  EXPECT_EQ(suspendable.load(), kClients);
  // All (or nearly all: clients connect over time) were parked at once on one thread.
  EXPECT_GT(max_waiting.load(), kClients / 2);
}

TEST(FiberServerTest, BodiesStreamBothWaysFromAFiber) {
  constexpr size_t kSize = 8u << 20;
  auto server = Server::Start(FiberOptions(), [&](HttpRequest&, BodyReader& in,
                                                  ResponseWriter& out) {
    uint64_t total = 0, sum = 0;
    std::vector<char> buf(3u << 20);
    for (;;) {
      auto n = in.Read(buf.data(), buf.size());
      if (!n.ok() || *n == 0) break;
      for (size_t i = 0; i < *n; ++i) sum += static_cast<unsigned char>(buf[i]);
      total += *n;
      AwaitCompletionFromAnotherThread(1ms);  // a store write per chunk
    }
    std::string reply = std::to_string(total) + " " + std::to_string(sum) + "\n";
    out.SetStatus(200);
    if (!out.SendHead(reply.size() * 1000).ok()) return;
    for (int i = 0; i < 1000; ++i) {
      if (!out.Write(reply).ok()) return;
    }
    (void)out.Finish();
  });
  ASSERT_TRUE(server.ok());
  std::string body(kSize, '\0');
  for (size_t i = 0; i < kSize; ++i) body[i] = static_cast<char>(i * 7);
  uint64_t sum = 0;
  for (unsigned char c : body) sum += c;
  std::string r = Roundtrip((*server)->port(), "PUT /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                               "Content-Length: " +
                                                   std::to_string(kSize) + "\r\n\r\n" + body);
  std::string line = std::to_string(kSize) + " " + std::to_string(sum) + "\n";
  std::string want;
  for (int i = 0; i < 1000; ++i) want += line;
  EXPECT_EQ(Body(r), want);
}

TEST(FiberServerTest, ThrowingHandlerIs500AndTheServerGoesOn) {
  auto server = Server::Start(FiberOptions(), [&](HttpRequest& req, BodyReader&,
                                                  ResponseWriter& out) {
    AwaitCompletionFromAnotherThread(5ms);
    if (req.raw_path == "/throw") throw std::runtime_error("boom");
    out.SendSimple(200, "text/plain", "fine");
  });
  ASSERT_TRUE(server.ok());
  uint16_t port = (*server)->port();
  EXPECT_EQ(Roundtrip(port, "GET /throw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .substr(0, 12),
            "HTTP/1.1 500");
  EXPECT_EQ(Body(Roundtrip(port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            "fine");
}

TEST(FiberServerTest, GracefulStopWaitsForParkedHandlers) {
  std::atomic<bool> started{false};
  auto server = Server::Start(FiberOptions(), [&](HttpRequest&, BodyReader&,
                                                  ResponseWriter& out) {
    started = true;
    AwaitCompletionFromAnotherThread(500ms);
    out.SendSimple(200, "text/plain", "finished");
  });
  ASSERT_TRUE(server.ok());
  std::string r;
  std::thread client([&] {
    r = Roundtrip((*server)->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  while (!started) std::this_thread::sleep_for(5ms);
  (*server)->Stop();
  client.join();
  EXPECT_EQ(Body(r), "finished");
}

// Past shutdown_timeout the connection is cut, but a fiber parked on a
// store op is resumed by that op's completion onto the server's io_context:
// Stop() must not return (and free the io_context) before it has finished.
TEST(FiberServerTest, StopOutwaitsAHandlerParkedPastTheCut) {
  ServerOptions o = FiberOptions();
  o.shutdown_timeout = 1s;
  std::atomic<bool> started{false}, finished{false};
  auto server = Server::Start(o, [&](HttpRequest&, BodyReader&, ResponseWriter& out) {
    started = true;
    AwaitCompletionFromAnotherThread(12s);  // longer than every fixed grace period
    out.SendSimple(200, "text/plain", "late");  // the socket is gone: fails, no crash
    finished = true;
  });
  ASSERT_TRUE(server.ok());
  std::thread client([&] { (void)Roundtrip((*server)->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); });
  while (!started) std::this_thread::sleep_for(5ms);
  const auto t0 = std::chrono::steady_clock::now();
  (*server)->Stop();
  EXPECT_TRUE(finished.load());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 11s);
  client.join();
}

// A handler still parked exit_timeout after the cut: the process exits with
// a sentence (radosgw's rgw_exit_timeout_secs) instead of freeing what the
// late completion will use.
TEST(FiberServerDeathTest, ExitsWhenAHandlerStaysParkedPastTheExitTimeout) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ServerOptions o = FiberOptions();
        o.shutdown_timeout = 1s;
        o.exit_timeout = 1s;
        std::atomic<bool> started{false};
        auto server = Server::Start(o, [&](HttpRequest&, BodyReader&, ResponseWriter& out) {
          started = true;
          AwaitCompletionFromAnotherThread(60s);
          out.SendSimple(200, "text/plain", "never");
        });
        if (!server.ok()) std::exit(3);
        std::thread([port = (*server)->port()] {
          (void)Roundtrip(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        }).detach();
        while (!started) std::this_thread::sleep_for(5ms);
        (*server)->Stop();
        std::exit(0);
      },
      ::testing::ExitedWithCode(1), "1 request\\(s\\) still waiting on the store");
}

TEST(FiberServerTest, TwoIoThreadsManyKeepAliveClients) {
  ServerOptions o = FiberOptions();
  o.io_threads = 2;
  auto server = Server::Start(o, [&](HttpRequest& req, BodyReader& in, ResponseWriter& out) {
    std::string body;
    char buf[4096];
    for (;;) {
      auto n = in.Read(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      body.append(buf, *n);
      AwaitCompletionFromAnotherThread(0ms);
    }
    out.SendSimple(200, "text/plain", req.raw_path + " " + body);
  });
  ASSERT_TRUE(server.ok());
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string body(static_cast<size_t>(i * 997 % 9000), static_cast<char>('a' + t));
        std::string path = "/c" + std::to_string(t) + "/" + std::to_string(i);
        std::string r = Roundtrip((*server)->port(),
                                  "PUT " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  "Content-Length: " + std::to_string(body.size()) +
                                      "\r\n\r\n" + body);
        if (Body(r) == path + " " + body) ++good;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), 8 * 25);
}

}  // namespace
}  // namespace kelp::http
