#include "admin/admin_socket.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace kelp::admin {
namespace {

std::string TempSocketPath() {
  auto dir = std::filesystem::temp_directory_path() /
             ("kelp-adm-" + std::to_string(::getpid()) + "-" + std::to_string(::rand()));
  std::filesystem::create_directories(dir);
  return (dir / "kelpd.sock").string();
}

TEST(AdminSocketTest, ForwardsArgsAndReturnsOutputAndExitCode) {
  std::string path = TempSocketPath();
  std::vector<std::string> seen;
  auto srv = AdminSocketServer::Start(
      path, [&](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        seen = args;
        out << "{\"ok\": true}\n";
        err << "a warning\n";
        return 17;
      });
  ASSERT_TRUE(srv.ok()) << srv.status().ToString();
  std::vector<std::string> args = {"user", "create", "--uid=x", std::string("bin\0ary", 7), ""};
  auto r = ForwardToAdminSocket(path, args);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 17);
  EXPECT_EQ(r->out, "{\"ok\": true}\n");
  EXPECT_EQ(r->err, "a warning\n");
  EXPECT_EQ(seen, args);
  // A second request on a new connection works too.
  auto r2 = ForwardToAdminSocket(path, {});
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(seen.empty());
}

TEST(AdminSocketTest, LargeOutputArrivesWhole) {
  std::string path = TempSocketPath();
  std::string big(3 << 20, 'x');
  auto srv = AdminSocketServer::Start(
      path, [&](const std::vector<std::string>&, std::ostream& out, std::ostream&) {
        out << big;
        return 0;
      });
  ASSERT_TRUE(srv.ok());
  auto r = ForwardToAdminSocket(path, {"bi", "list"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out.size(), big.size());
}

TEST(AdminSocketTest, StopRemovesSocketAndClientGetsIOError) {
  std::string path = TempSocketPath();
  auto srv = AdminSocketServer::Start(
      path, [](const std::vector<std::string>&, std::ostream&, std::ostream&) { return 0; });
  ASSERT_TRUE(srv.ok());
  EXPECT_TRUE(std::filesystem::exists(path));
  (*srv)->Stop();
  EXPECT_FALSE(std::filesystem::exists(path));
  auto r = ForwardToAdminSocket(path, {"user", "list"});
  EXPECT_TRUE(r.status().Is(Code::kIOError));
}

TEST(AdminSocketTest, StaleSocketFileIsReplaced) {
  std::string path = TempSocketPath();
  // What a crashed kelpd leaves: a bound socket file nobody listens on.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(ForwardToAdminSocket(path, {}).ok());
  auto srv = AdminSocketServer::Start(
      path, [](const std::vector<std::string>&, std::ostream&, std::ostream&) { return 3; });
  ASSERT_TRUE(srv.ok()) << srv.status().ToString();
  auto r = ForwardToAdminSocket(path, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3);
}

TEST(AdminSocketTest, TooLongPathIsRejected) {
  auto srv = AdminSocketServer::Start(
      "/tmp/" + std::string(200, 'x'),
      [](const std::vector<std::string>&, std::ostream&, std::ostream&) { return 0; });
  EXPECT_TRUE(srv.status().Is(Code::kInvalid));
}

}  // namespace
}  // namespace kelp::admin
