// Two real processes: a child (this test binary re-executed with
// KELP_REMOTE_CHILD set) holds the embedded store and serves it; the parent
// works on it through ConnectRemoteStore, reaches the child's watcher, and
// after the child is killed gets kIOError and finds its writes on disk.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "store/remote/remote_test_util.h"

extern char** environ;

namespace kelp::store::remote {
namespace {

using embedded::testing::MustOpen;
using embedded::testing::Pattern;
using embedded::testing::TempDir;

constexpr int kChildFd = 100;
const ObjectId kCtl{"p", "", "ctl", ""};

TEST(RemoteChild, Serve) {
  const char* dir = std::getenv("KELP_REMOTE_CHILD");
  if (!dir) GTEST_SKIP() << "helper run as a child process by RemoteProcess tests";
  auto store = embedded::OpenEmbeddedStore(dir);
  if (!store.ok()) _exit(3);
  if (!(*store)->CreatePool("p").ok() || !(*store)->Operate(kCtl, WriteOp().Create(false)).ok())
    _exit(4);
  auto watch = (*store)->Watch(
      kCtl, [](uint64_t, uint64_t, const std::string& p) { return "child saw " + p; });
  auto server = StoreServer::Start(std::string(dir) + "/store.sock", **store);
  if (!watch.ok() || !server.ok()) _exit(5);
  std::string ready = "ready " + std::to_string((*store)->InstanceId()) + "\n";
  if (::write(kChildFd, ready.data(), ready.size()) != static_cast<ssize_t>(ready.size())) _exit(6);
  while (true) ::pause();  // until killed
}

TEST(RemoteProcess, ClientOfAnotherProcess) {
  TempDir dir;
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  ASSERT_GT(n, 0);
  exe[n] = '\0';
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back("KELP_REMOTE_CHILD=" + dir.path());
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string filter = "--gtest_filter=RemoteChild.Serve";
  char* argv[] = {exe, filter.data(), nullptr};
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::dup2(p[1], kChildFd) < 0) _exit(127);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 1);
    ::execve(exe, argv, envp.data());
    _exit(127);
  }
  ::close(p[1]);
  std::string line;
  char c;
  while (::read(p[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(p[0]);
  ASSERT_EQ(line.rfind("ready ", 0), 0u) << line;
  uint64_t child_instance = std::strtoull(line.c_str() + 6, nullptr, 10);

  // The directory is held by the child; its store is reachable remotely.
  EXPECT_TRUE(embedded::OpenEmbeddedStore(dir.path()).status().Is(Code::kBusy));
  auto remote = ConnectRemoteStore(dir.path() + "/store.sock");
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();
  EXPECT_NE((*remote)->InstanceId(), child_instance);
  const std::string data = Pattern(5 << 20, 9);
  ASSERT_TRUE((*remote)->Operate(ObjectId{"p", "", "big", ""}, WriteOp().WriteFull(data)).ok());
  auto replies = (*remote)->Notify(kCtl, "hi", 5000);
  ASSERT_TRUE(replies.ok()) << replies.status().ToString();
  ASSERT_EQ(replies->size(), 1u);
  EXPECT_EQ((*replies)[0].payload, "child saw hi");

  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Status st = (*remote)->Operate(kCtl, ReadOp().AssertExists());
  EXPECT_TRUE(st.Is(Code::kIOError)) << st.ToString();
  EXPECT_EQ(st.message(),
            "the store server at " + dir.path() + "/store.sock closed the connection");

  auto store = MustOpen(dir.path());  // the lock died with the child
  std::string back;
  ASSERT_TRUE(store->Operate(ObjectId{"p", "", "big", ""}, ReadOp().Read(0, 0, &back)).ok());
  EXPECT_TRUE(back == data);
  EXPECT_GT(store->InstanceId(), (*remote)->InstanceId());
}

}  // namespace
}  // namespace kelp::store::remote
