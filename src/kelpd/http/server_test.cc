// End-to-end tests of the HTTP server over real sockets (port 0) with a raw TCP client, so the
// bytes on the wire are what is checked.
#include "kelpd/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace kelp::http {
namespace {

using namespace std::chrono_literals;

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool ok = false;  // a complete response was parsed

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A blocking HTTP/1.1 client over a raw socket.
class Client {
 public:
  explicit Client(uint16_t port, int recv_timeout_s = 20) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{recv_timeout_s, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads more bytes into the buffer; false on EOF/error/timeout.
  bool Fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buf_.append(buf, static_cast<size_t>(n));
    return true;
  }

  // True if the server closed the connection (EOF) with no further bytes.
  bool AtEof() {
    if (!buf_.empty()) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n > 0) buf_.push_back(c);
    return n == 0;
  }

  bool ReadLine(std::string* line) {
    for (;;) {
      size_t pos = buf_.find("\r\n");
      if (pos != std::string::npos) {
        *line = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return true;
      }
      if (!Fill()) return false;
    }
  }

  bool ReadExact(size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    out->append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }

  // Reads one response (skipping 100 Continue unless stop_at_100). For HEAD, no body is read.
  Response ReadResponse(bool head = false, bool stop_at_100 = false) {
    Response r;
    for (;;) {
      std::string line;
      if (!ReadLine(&line)) return r;
      if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) return r;
      r.status = std::stoi(line.substr(9, 3));
      r.headers.clear();
      for (;;) {
        if (!ReadLine(&line)) return r;
        if (line.empty()) break;
        size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(c));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[name] = value;
      }
      if (r.status == 100 && !stop_at_100) continue;
      break;
    }
    if (head || r.status == 100 || r.status == 204 || r.status == 304) {
      r.ok = true;
      return r;
    }
    if (r.headers.count("content-length")) {
      r.ok = ReadExact(std::stoull(r.headers["content-length"]), &r.body);
    } else if (r.Header("transfer-encoding") == "chunked") {
      for (;;) {
        std::string line;
        if (!ReadLine(&line)) return r;
        size_t size = std::stoul(line, nullptr, 16);
        if (size == 0) {
          r.ok = ReadLine(&line);
          break;
        }
        if (!ReadExact(size, &r.body) || !ReadLine(&line)) return r;
      }
    } else {  // until close
      while (Fill()) {
      }
      r.body = std::move(buf_);
      buf_.clear();
      r.ok = true;
    }
    return r;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

ServerOptions TestOptions() {
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.worker_threads = 4;
  o.access_log_path = "";
  o.idle_timeout = std::chrono::seconds(10);
  o.shutdown_timeout = std::chrono::seconds(10);
  return o;
}

std::string ReadAll(BodyReader& in, Status* error = nullptr) {
  std::string body;
  char buf[70000];
  for (;;) {
    auto n = in.Read(buf, sizeof buf);
    if (!n.ok()) {
      if (error) *error = n.status();
      break;
    }
    if (*n == 0) break;
    body.append(buf, *n);
  }
  return body;
}

// Echoes "<method> <target> <body>" back.
void EchoHandler(HttpRequest& req, BodyReader& in, ResponseWriter& out) {
  std::string body = ReadAll(in);
  out.AddHeader("X-Path", req.raw_path);
  out.AddHeader("X-Query", req.raw_query);
  out.SendSimple(200, "text/plain", req.method + " " + req.target + " " + body);
}

std::unique_ptr<Server> StartServer(Handler h, ServerOptions o = TestOptions()) {
  auto s = Server::Start(std::move(o), std::move(h));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = StartServer(EchoHandler);
  Client c(server->port());
  ASSERT_TRUE(c.connected());
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    std::string target = "/b/k" + std::to_string(i) + "?acl";
    ASSERT_TRUE(c.Send("PUT " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
    Response r = c.ReadResponse();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "PUT " + target + " abc");
    EXPECT_EQ(r.Header("x-path"), "/b/k" + std::to_string(i));
    EXPECT_EQ(r.Header("x-query"), "acl");
    EXPECT_EQ(r.Header("connection"), "");
    EXPECT_FALSE(r.Header("date").empty());
    ids.insert(r.Header("x-amz-request-id"));
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.count(""), 0u);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartServer(EchoHandler);
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().body, "GET /a ");
  EXPECT_EQ(c.ReadResponse().body, "GET /b ");
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartServer(EchoHandler);
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  Response r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.AtEof());
}

TEST(HttpServerTest, Http10GetsAnUnframedBodyThenClose) {
  auto server = StartServer([](HttpRequest& req, BodyReader&, ResponseWriter& out) {
    EXPECT_EQ(req.version, 10);
    out.SetStatus(200);
    ASSERT_TRUE(out.SendHead(std::nullopt).ok());
    out.Write("hello ");
    out.Write("world");
    out.Finish();
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.0\r\n\r\n"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("transfer-encoding"), "");
  EXPECT_EQ(r.body, "hello world");
}

TEST(HttpServerTest, ChunkedResponseForHttp11) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SetStatus(200);
    out.SendHead(std::nullopt);
    out.Write("hello ");
    out.Write("");
    out.Write("world");
    out.Finish();
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.body, "hello world");
  // The connection is still usable.
  ASSERT_TRUE(c.Send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse().ok);
}

TEST(HttpServerTest, ChunkedRequestBody) {
  std::atomic<bool> saw_chunked{false};
  auto server = StartServer([&](HttpRequest& req, BodyReader& in, ResponseWriter& out) {
    saw_chunked = req.chunked && !req.content_length;
    EchoHandler(req, in, out);
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"));
  Response r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.body, "PUT /b/k hello world");
  EXPECT_TRUE(saw_chunked);
  ASSERT_TRUE(c.Send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().body, "GET /next ");
}

TEST(HttpServerTest, ExpectContinueIsSentOnFirstRead) {
  auto server = StartServer(EchoHandler);
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  Response cont = c.ReadResponse(false, /*stop_at_100=*/true);
  ASSERT_TRUE(cont.ok);
  EXPECT_EQ(cont.status, 100);
  ASSERT_TRUE(c.Send("data"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "PUT /b/k data");
}

// botocore sends "Expect: 100-continue" on every PutObject, empty ones included, and waits up to
// 1 s for the first status line. If that is a final status instead of a 100, botocore (1.29)
// reuses it as the status of the next Expect request on the kept-alive connection, misparses that
// response and waits for its read timeout. So an empty body still gets its 100 before the final
// response, and the connection serves the next request at once.
TEST(HttpServerTest, EmptyBodiesWithExpectContinueGet100AndKeepTheConnection) {
  auto server = StartServer(EchoHandler);
  Client c(server->port(), /*recv_timeout_s=*/3);
  auto t0 = std::chrono::steady_clock::now();
  for (const char* key : {"/b/e0", "/b/e1"}) {
    ASSERT_TRUE(c.Send(std::string("PUT ") + key +
                       " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                       "Expect: 100-continue\r\n\r\n"));
    Response cont = c.ReadResponse(false, /*stop_at_100=*/true);
    ASSERT_TRUE(cont.ok) << key;
    EXPECT_EQ(cont.status, 100) << key;
    Response r = c.ReadResponse(false, /*stop_at_100=*/true);
    ASSERT_TRUE(r.ok) << key;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, std::string("PUT ") + key + " ");
    EXPECT_EQ(r.Header("connection"), "");
  }
  ASSERT_TRUE(c.Send("GET /b/e0 HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse(false, /*stop_at_100=*/true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /b/e0 ");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST(HttpServerTest, EmptyBodiesWithoutExpectGetNo100AndKeepTheConnection) {
  auto server = StartServer(EchoHandler);
  Client c(server->port(), /*recv_timeout_s=*/3);
  auto t0 = std::chrono::steady_clock::now();
  for (const char* key : {"/b/e0", "/b/e1"}) {
    ASSERT_TRUE(c.Send(std::string("PUT ") + key +
                       " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    Response r = c.ReadResponse(false, /*stop_at_100=*/true);
    ASSERT_TRUE(r.ok) << key;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, std::string("PUT ") + key + " ");
  }
  ASSERT_TRUE(c.Send("GET /b/e0 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().body, "GET /b/e0 ");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

// A handler that never reads an empty body (e.g. one rejecting the request from its headers)
// still has the 100 sent ahead of its response; nothing is left to drain, and the next requests,
// sent back to back, are answered promptly.
TEST(HttpServerTest, UnreadEmptyBodyWithExpectGets100BeforeTheResponse) {
  auto server = StartServer([](HttpRequest& req, BodyReader&, ResponseWriter& out) {
    out.SendSimple(req.raw_path == "/deny" ? 403 : 200, "text/plain",
                   req.method + " " + req.target);
  });
  Client c(server->port(), /*recv_timeout_s=*/3);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.Send("PUT /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse(false, /*stop_at_100=*/true).status, 100);
  Response r = c.ReadResponse(false, /*stop_at_100=*/true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, "PUT /deny");
  EXPECT_EQ(r.Header("connection"), "");
  ASSERT_TRUE(c.Send("PUT /b/e1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                     "GET /b/e1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  r = c.ReadResponse(false, true);
  EXPECT_EQ(r.status, 200);  // no 100 without Expect
  EXPECT_EQ(r.body, "PUT /b/e1");
  EXPECT_EQ(c.ReadResponse(false, true).body, "GET /b/e1");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST(HttpServerTest, ExpectContinueRejectedWithoutReadingClosesTheConnection) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SendSimple(403, "application/xml", "<Error/>");
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  Response r = c.ReadResponse(false, true);
  EXPECT_EQ(r.status, 403);  // no 100 first
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.AtEof());
}

TEST(HttpServerTest, HeadResponsesCarryLengthButNoBody) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SendSimple(200, "text/plain", "twelve bytes");
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("HEAD /b/k HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse(/*head=*/true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.Header("content-length"), "12");
  // If body bytes had been sent they would show up as garbage before the next response.
  ASSERT_TRUE(c.Send("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response g = c.ReadResponse();
  ASSERT_TRUE(g.ok);
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body, "twelve bytes");
}

TEST(HttpServerTest, NotModifiedHasNoBody) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SetStatus(304);
    out.AddHeader("ETag", "\"x\"");
    out.SendHead(std::nullopt);
    out.Write("ignored");
    out.Finish();
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\nGET /b/k HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.Header("transfer-encoding"), "");
  EXPECT_EQ(c.ReadResponse().status, 304);
}

TEST(HttpServerTest, OversizedHeaderSectionGets431) {
  auto server = StartServer(EchoHandler);
  Client c(server->port());
  std::string big(20 * 1024, 'a');
  ASSERT_TRUE(c.Send("GET /b/k HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n"));
  Response r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.Header("content-type"), "application/xml");
  EXPECT_NE(r.body.find("<Code>RequestHeaderSectionTooLarge</Code>"), std::string::npos) << r.body;
  EXPECT_TRUE(c.AtEof());
}

TEST(HttpServerTest, MalformedRequestGets400AndClose) {
  std::atomic<int> calls{0};
  auto server = StartServer([&](HttpRequest& req, BodyReader& in, ResponseWriter& out) {
    ++calls;
    EchoHandler(req, in, out);
  });
  for (std::string bad : {"GET /x HTTP/9.9\r\n\r\n", "G\x01T /x HTTP/1.1\r\n\r\n",
                          "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
                          "PUT /x HTTP/1.1\r\nContent-Length: zz\r\n\r\n"}) {
    Client c(server->port());
    ASSERT_TRUE(c.Send(bad));
    Response r = c.ReadResponse();
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("<Code>InvalidRequest</Code>"), std::string::npos);
    EXPECT_TRUE(c.AtEof());
  }
  EXPECT_EQ(calls, 0);
  // The server survived.
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 200);
}

TEST(HttpServerTest, IdleConnectionIsClosedAfterTimeout) {
  ServerOptions o = TestOptions();
  o.idle_timeout_ms = 300ms;
  auto server = StartServer(EchoHandler, o);
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.AtEof());  // idle keep-alive connection closed by the server
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 5s);
}

TEST(HttpServerTest, SlowBodyTimesOutInTheReader) {
  ServerOptions o = TestOptions();
  o.idle_timeout_ms = 300ms;
  std::mutex mu;
  Status read_error;
  auto server = StartServer(
      [&](HttpRequest&, BodyReader& in, ResponseWriter& out) {
        Status st;
        ReadAll(in, &st);
        {
          std::lock_guard lock(mu);
          read_error = st;
        }
        out.SendSimple(400, "application/xml", "<Error/>");
      },
      o);
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"));
  c.ReadResponse();  // whatever the server could still send
  EXPECT_TRUE(c.AtEof());
  server->Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(read_error.code(), Code::kRequestTimeout) << read_error.ToString();
}

TEST(HttpServerTest, ClientClosingEarlyIsAnIncompleteBody) {
  std::mutex mu;
  Status read_error;
  std::atomic<bool> done{false};
  auto server = StartServer([&](HttpRequest&, BodyReader& in, ResponseWriter& out) {
    Status st;
    ReadAll(in, &st);
    {
      std::lock_guard lock(mu);
      read_error = st;
    }
    out.SendSimple(400, "", "");
    done = true;
  });
  {
    Client c(server->port());
    ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123"));
  }
  for (int i = 0; i < 200 && !done; ++i) std::this_thread::sleep_for(10ms);
  std::lock_guard lock(mu);
  EXPECT_EQ(read_error.code(), Code::kIncompleteBody) << read_error.ToString();
}

TEST(HttpServerTest, UnreadSmallBodyIsDrainedAndConnectionReused) {
  auto server = StartServer([](HttpRequest& req, BodyReader&, ResponseWriter& out) {
    out.SendSimple(200, "text/plain", req.target);
  });
  Client c(server->port());
  std::string body(100000, 'z');
  ASSERT_TRUE(c.Send("PUT /one HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + body));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.body, "/one");
  EXPECT_EQ(r.Header("connection"), "");
  ASSERT_TRUE(c.Send("GET /two HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().body, "/two");
}

TEST(HttpServerTest, UnreadLargeBodyClosesTheConnection) {
  ServerOptions o = TestOptions();
  o.max_drain_bytes = 1000;
  auto server = StartServer(
      [](HttpRequest& req, BodyReader&, ResponseWriter& out) {
        out.SendSimple(403, "text/plain", "denied");
      },
      o);
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /one HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\nabc"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.AtEof());
}

TEST(HttpServerTest, HandlerExceptionBecomes500) {
  auto server = StartServer([](HttpRequest& req, BodyReader&, ResponseWriter&) {
    if (req.raw_path == "/throw") throw std::runtime_error("boom");
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("<Code>InternalError</Code>"), std::string::npos);
  EXPECT_NE(r.body.find("<RequestId>" + r.Header("x-amz-request-id") + "</RequestId>"),
            std::string::npos);
  // A handler that sends nothing also gets a 500, on the same connection.
  ASSERT_TRUE(c.Send("GET /silent HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 500);
}

TEST(HttpServerTest, FailureMidBodyClosesTheConnection) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SetStatus(200);
    out.SendHead(1000);
    out.Write("only part");
    throw std::runtime_error("storage failed");
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.ok);  // truncated: the client can tell
}

TEST(HttpServerTest, ChunkedBodyWithoutFinishIsLeftTruncated) {
  auto server = StartServer([](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SetStatus(200);
    out.SendHead(std::nullopt);
    out.Write("partial");
    // returns early, as on a storage error, without Finish()
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.ok);  // no terminating chunk
  EXPECT_EQ(r.body, "partial");
}

TEST(HttpServerTest, WritePastContentLengthFails) {
  std::atomic<bool> failed{false};
  auto server = StartServer([&](HttpRequest&, BodyReader&, ResponseWriter& out) {
    out.SetStatus(200);
    out.SendHead(3);
    failed = !out.Write("toolong").ok();
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(c.ReadResponse().ok);  // 3 bytes promised, none sent
  EXPECT_TRUE(c.AtEof());
  server->Stop();
  EXPECT_TRUE(failed);
}

TEST(HttpServerTest, StreamsLargeBodiesInBoundedChunks) {
  constexpr size_t kSize = 64u << 20;
  std::atomic<size_t> max_chunk{0}, total{0};
  auto server = StartServer([&](HttpRequest& req, BodyReader& in, ResponseWriter& out) {
    if (req.method == "PUT") {
      std::vector<char> buf(8u << 20);  // asks for more than the server will hand over
      uint64_t sum = 0;
      for (;;) {
        auto n = in.Read(buf.data(), buf.size());
        ASSERT_TRUE(n.ok()) << n.status().ToString();
        if (*n == 0) break;
        if (*n > max_chunk) max_chunk = *n;
        for (size_t i = 0; i < *n; i += 4096) sum += static_cast<unsigned char>(buf[i]);
        total += *n;
      }
      out.SendSimple(200, "text/plain", std::to_string(sum));
    } else {
      std::string chunk(1u << 20, 'd');
      out.SetStatus(200);
      ASSERT_TRUE(out.SendHead(kSize).ok());
      for (size_t sent = 0; sent < kSize; sent += chunk.size()) {
        ASSERT_TRUE(out.Write(chunk).ok());
      }
      ASSERT_TRUE(out.Finish().ok());
    }
  });
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/big HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(kSize) + "\r\n\r\n"));
  std::string block(256 * 1024, 'u');
  for (size_t sent = 0; sent < kSize; sent += block.size()) ASSERT_TRUE(c.Send(block));
  Response r = c.ReadResponse();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(total.load(), kSize);
  EXPECT_LE(max_chunk.load(), kMaxBodyChunk);
  EXPECT_GT(max_chunk.load(), 0u);
  EXPECT_EQ(r.body, std::to_string(static_cast<uint64_t>('u') * (kSize / 4096)));

  // Download: read it in pieces without buffering the whole body in the client.
  ASSERT_TRUE(c.Send("GET /b/big HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string line;
  uint64_t length = 0;
  while (c.ReadLine(&line) && !line.empty()) {
    if (line.rfind("Content-Length: ", 0) == 0) length = std::stoull(line.substr(16));
  }
  EXPECT_EQ(length, kSize);
  uint64_t got = 0;
  std::string piece;
  while (got < length) {
    piece.clear();
    size_t want = std::min<uint64_t>(length - got, 1u << 20);
    ASSERT_TRUE(c.ReadExact(want, &piece));
    got += want;
  }
  EXPECT_EQ(got, kSize);
}

TEST(HttpServerTest, GracefulStopCompletesAnInFlightRequest) {
  std::atomic<bool> started{false};
  auto server = StartServer([&](HttpRequest&, BodyReader&, ResponseWriter& out) {
    started = true;
    std::this_thread::sleep_for(500ms);
    out.SendSimple(200, "text/plain", "finished");
  });
  Client idle(server->port());  // an idle keep-alive connection is closed at once
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (!started) std::this_thread::sleep_for(5ms);
  std::thread stopper([&] { server->Stop(); });
  Response r = c.ReadResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(c.AtEof());
  EXPECT_TRUE(idle.AtEof());
  stopper.join();
  server->Wait();  // returns: stopped
  Client late(server->port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerTest, StopCutsRequestsPastTheDeadline) {
  ServerOptions o = TestOptions();
  o.shutdown_timeout = std::chrono::seconds(0);
  std::atomic<bool> started{false};
  Status read_status;
  auto server = StartServer(
      [&](HttpRequest&, BodyReader& in, ResponseWriter& out) {
        started = true;
        ReadAll(in, &read_status);  // the client never sends the body
        out.SendSimple(400, "", "");
      },
      o);
  Client c(server->port());
  ASSERT_TRUE(c.Send("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"));
  while (!started) std::this_thread::sleep_for(5ms);
  auto t0 = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_FALSE(read_status.ok());
}

TEST(HttpServerTest, WritesAccessLogLines) {
  std::string path = ::testing::TempDir() + "/kelpd_access_" + std::to_string(::getpid()) + ".log";
  std::remove(path.c_str());
  ServerOptions o = TestOptions();
  o.access_log_path = path;
  auto server = StartServer(EchoHandler, o);
  std::string id;
  {
    Client c(server->port());
    ASSERT_TRUE(c.Send("GET /b/k?acl HTTP/1.1\r\nHost: x\r\nUser-Agent: test-agent/1.0\r\n\r\n"));
    Response r = c.ReadResponse();
    id = r.Header("x-amz-request-id");
  }
  server->Stop();
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string log = ss.str();
  EXPECT_NE(log.find("127.0.0.1 ["), std::string::npos) << log;
  EXPECT_NE(log.find("\"GET /b/k?acl\" 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(id + " \"test-agent/1.0\""), std::string::npos) << log;
  std::remove(path.c_str());
}

TEST(HttpServerTest, ConcurrentClientsWithTwoIoThreads) {
  ServerOptions o = TestOptions();
  o.io_threads = 2;
  o.worker_threads = 3;  // fewer workers than clients: requests queue
  auto server = StartServer(EchoHandler, o);
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      Client c(server->port());
      for (int i = 0; i < 40; ++i) {
        std::string body(static_cast<size_t>(i * 997 % 5000), static_cast<char>('a' + t));
        std::string target = "/c" + std::to_string(t) + "/" + std::to_string(i);
        if (!c.Send("PUT " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body)) {
          return;
        }
        Response r = c.ReadResponse();
        if (r.ok && r.body == "PUT " + target + " " + body) ++good;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), 8 * 40);
}

TEST(HttpServerTest, SignalStopsTheServer) {
  auto server = StartServer(EchoHandler);
  InstallSignalHandlers(*server);
  Client c(server->port());
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 200);
  std::raise(SIGTERM);
  server->Wait();  // returns once the signal-triggered Stop() is done
  EXPECT_TRUE(c.AtEof());
}

TEST(HttpServerTest, BindFailureIsReported) {
  auto first = StartServer(EchoHandler);
  ServerOptions o = TestOptions();
  o.listen = "127.0.0.1:" + std::to_string(first->port());
  auto second = Server::Start(o, EchoHandler);
  EXPECT_FALSE(second.ok());
  o.listen = "nonsense";
  EXPECT_FALSE(Server::Start(o, EchoHandler).ok());
}

}  // namespace
}  // namespace kelp::http
