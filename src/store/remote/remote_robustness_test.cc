// The remote store under stress and failure: many threads at once, the
// server stopping mid-use (kIOError, then reconnect), and hostile or dying
// peers on the socket (bad magic, oversized frames, clients dying mid-frame).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "store/remote/protocol.h"
#include "store/remote/remote_test_util.h"

namespace kelp::store::remote {
namespace {

using embedded::testing::Pattern;

int RawConnect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

// True when the server closed `fd` (read returns EOF) within a few seconds.
bool ClosedByServer(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char buf[64];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

TEST(RemoteStore, ConcurrentThreads) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  ASSERT_TRUE(remote->CreatePool("p").ok());
  const ObjectId counter{"p", "", "counter", ""};
  ASSERT_TRUE(remote->Operate(counter, WriteOp().Create(false)).ok());
  constexpr int kThreads = 8, kOps = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        ObjectId id{"p", "", "t" + std::to_string(t) + "." + std::to_string(i), ""};
        std::string data = Pattern(1000 + 997 * i, t * 1000 + i);
        if (!remote->Operate(id, WriteOp().WriteFull(data).SetXattr("t", std::to_string(t))).ok())
          ++failures;
        std::string back, x;
        if (!remote->Operate(id, ReadOp().Read(0, 0, &back).GetXattr("t", &x)).ok() ||
            back != data || x != std::to_string(t))
          ++failures;
        // Contended: every thread adds omap keys to one object.
        if (!remote->Operate(counter, WriteOp().OmapSet(id.oid, "1")).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  std::map<std::string, std::string> keys;
  ASSERT_TRUE(served.store->Operate(counter, ReadOp().OmapGetKeys("", 0, &keys)).ok());
  EXPECT_EQ(keys.size(), static_cast<size_t>(kThreads * kOps));
}

TEST(RemoteStore, ServerStoppedMidUseThenBack) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  ASSERT_TRUE(remote->CreatePool("p").ok());
  const uint64_t instance = remote->InstanceId();
  served.server->Stop();
  const std::string expected = "the store server at " + served.socket + " closed the connection";
  Status st = remote->Operate(ObjectId{"p", "", "o", ""}, WriteOp().WriteFull("x"));
  EXPECT_TRUE(st.Is(Code::kIOError)) << st.ToString();
  EXPECT_EQ(st.message(), expected);
  EXPECT_FALSE(remote->PoolExists("p").ok());
  auto w = remote->Watch(ObjectId{"p", "", "o", ""}, nullptr);
  EXPECT_TRUE(w.status().Is(Code::kIOError));
  EXPECT_FALSE(std::filesystem::exists(served.socket));

  // A call in flight when the server goes away.
  auto restarted = StoreServer::Start(served.socket, *served.store);
  ASSERT_TRUE(restarted.ok());
  ASSERT_TRUE(served.store->Operate(ObjectId{"p", "", "n", ""}, WriteOp().Create(false)).ok());
  ASSERT_TRUE(remote->PoolExists("p").ok());  // reconnected on its own
  std::atomic<bool> notified{false};
  auto h =
      served.store->Watch(ObjectId{"p", "", "n", ""}, [&](uint64_t, uint64_t, const std::string&) {
        notified = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return std::string();
      });
  ASSERT_TRUE(h.ok());
  std::thread stopper([&] {
    while (!notified) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    (*restarted)->Stop();
  });
  auto r = remote->Notify(ObjectId{"p", "", "n", ""}, "x", 10000);
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().Is(Code::kIOError));
  EXPECT_EQ(r.status().message(), expected);
  EXPECT_EQ(remote->InstanceId(), instance);
  ASSERT_TRUE(served.store->Unwatch(*h).ok());
}

TEST(RemoteStore, OverTheFrameLimit) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  ASSERT_TRUE(remote->CreatePool("p").ok());
  const ObjectId huge{"p", "", "huge", ""};
  std::string data(kMaxFrame + 1000, 'x');
  Status st = remote->Operate(huge, WriteOp().WriteFull(data));
  EXPECT_TRUE(st.Is(Code::kInvalid)) << st.ToString();
  ASSERT_TRUE(served.store->Operate(huge, WriteOp().WriteFull(std::move(data))).ok());
  std::string back;
  st = remote->Operate(huge, ReadOp().Read(0, 0, &back));
  EXPECT_TRUE(st.Is(Code::kInvalid)) << st.ToString();
  EXPECT_TRUE(back.empty());
  // Stripe-sized reads work, on the same connections.
  ASSERT_TRUE(remote->Operate(huge, ReadOp().Read(kMaxFrame, 4 << 20, &back)).ok());
  EXPECT_EQ(back, std::string(1000, 'x'));
}

TEST(RemoteStore, NoServer) {
  embedded::testing::TempDir dir;
  auto r = ConnectRemoteStore(dir.path() + "/none.sock");
  EXPECT_TRUE(r.status().Is(Code::kIOError)) << r.status().ToString();
}

TEST(RemoteStore, HostilePeersAreDisconnected) {
  testing::ServedStore served;
  struct stat sb;
  ASSERT_EQ(::stat(served.socket.c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);

  int bad_magic = RawConnect(served.socket);
  ASSERT_TRUE(SendAll(bad_magic, "HTTP/1.1 GET /\r\n\r\n"));
  EXPECT_TRUE(ClosedByServer(bad_magic));
  ::close(bad_magic);

  int too_big = RawConnect(served.socket);
  char hello[14];
  ASSERT_TRUE(SendAll(too_big, HelloRequest(Channel::kRequests)));
  ASSERT_TRUE(RecvAll(too_big, hello, sizeof(hello)));
  std::string len;
  Encoder(&len).U32(kMaxFrame + 1);
  ASSERT_TRUE(SendAll(too_big, len));
  EXPECT_TRUE(ClosedByServer(too_big));
  ::close(too_big);

  // Dies after half a frame; another sends garbage as a request.
  int dying = RawConnect(served.socket);
  ASSERT_TRUE(SendAll(dying, HelloRequest(Channel::kRequests)));
  std::string half;
  Encoder(&half).U32(1000);
  half += "partial";
  ASSERT_TRUE(SendAll(dying, half));
  ::close(dying);
  int garbage = RawConnect(served.socket);
  ASSERT_TRUE(SendAll(garbage, HelloRequest(Channel::kRequests)));
  ASSERT_TRUE(RecvAll(garbage, hello, sizeof(hello)));
  ASSERT_TRUE(SendFrame(garbage, std::string("\x04\xff\xff\xff\xff", 5)));
  std::string resp;
  ASSERT_TRUE(RecvFrame(garbage, &resp));
  Decoder d(resp);
  Status st;
  Decode(d, st);
  EXPECT_TRUE(st.Is(Code::kCorruption)) << st.ToString();
  ::close(garbage);

  // The server still serves well-behaved clients.
  EXPECT_TRUE(remote->CreatePool("still-alive").ok());
  EXPECT_TRUE(served.Connect() != nullptr);
}

}  // namespace
}  // namespace kelp::store::remote
