// Multi-process tests of the embedded engine: kill -9 in the middle of
// acknowledged writes, the directory lock between processes, and peak memory
// under a large upload. Children are fresh processes (this test binary
// re-executed with KELP_EMBEDDED_CHILD set), never bare forks of a process
// that already runs RocksDB threads.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "store/cls/cls.h"
#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

extern char** environ;

namespace kelp::store::embedded {
namespace {

using testing::CountDataFiles;
using testing::MustOpen;
using testing::Pattern;
using testing::TempDir;
using Map = std::map<std::string, std::string>;

constexpr int kChildFd = 100;
constexpr int kObjects = 8;

// ---------------------------------------------------------------- children

void WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) _exit(3);
    done += static_cast<size_t>(n);
  }
}

std::string PayloadFor(uint64_t seq) {
  size_t size = seq % 3 == 0 ? 70000 + (seq % 7) * 40000 : 10 + (seq % 1000);
  return Pattern(size, seq);
}

ObjectId CrashObject(uint64_t seq) {
  return ObjectId{"p", seq % 2 ? "ns" : "", "obj" + std::to_string(seq % kObjects), ""};
}

// One compound op per seq touching data, xattrs, omap (sets and removals),
// header and an object class: all of it must be visible or none.
WriteOp CrashOp(uint64_t seq) {
  WriteOp op;
  std::string s = std::to_string(seq);
  if (seq % 5 == 0) op.Remove(/*failok=*/true);
  op.WriteFull(PayloadFor(seq));
  op.SetXattr("seq", s);
  op.OmapRmKeys({"gen" + std::to_string((seq + 1) % 3), "gen" + std::to_string((seq + 2) % 3)});
  op.OmapSet({{"seq", s}, {"gen" + std::to_string(seq % 3), s}});
  op.OmapSetHeader("h" + s);
  op.Exec("kcrash", "stamp", s);
  return op;
}

void RegisterCrashClass() {
  cls::ClsRegistry::Instance().Register(
      "kcrash", "stamp", [](cls::ClsContext& ctx, const std::string& in, std::string*) {
        return ctx.SetXattr("cls", in);
      });
}

void RunWriter(const std::string& dir, uint64_t start, int fd) {
  RegisterCrashClass();
  auto store = OpenEmbeddedStore(dir, EmbeddedOptions{true});
  if (!store.ok()) _exit(4);
  if (!(*store)->PoolExists("p").value()) {
    if (!(*store)->CreatePool("p").ok()) _exit(5);
  }
  for (uint64_t seq = start; seq < start + 100000; ++seq) {
    if (!(*store)->Operate(CrashObject(seq), CrashOp(seq)).ok()) _exit(6);
    std::string ack(reinterpret_cast<const char*>(&seq), sizeof(seq));
    WriteAll(fd, ack);
  }
  _exit(0);
}

void RunBusyProbe(const std::string& dir, int fd) {
  auto store = OpenEmbeddedStore(dir, EmbeddedOptions{false});
  Status st = store.ok() ? Status::OK() : store.status();
  WriteAll(fd, std::to_string(static_cast<int>(st.code())) + "|" + st.message());
  _exit(0);
}

uint64_t StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0)
      return std::strtoull(line.c_str() + std::strlen(field), nullptr, 10);
  }
  return 0;
}

void RunUpload(const std::string& dir, int count, int fd) {
  auto store = OpenEmbeddedStore(dir, EmbeddedOptions{false});
  if (!store.ok() || !(*store)->CreatePool("data").ok()) _exit(4);
  uint64_t base = StatusKb("VmHWM:");
  std::string chunk = Pattern(4 << 20, 7);
  for (int i = 0; i < count; ++i) {
    chunk[0] = static_cast<char>(i);
    ObjectId id{"data", "", "upload.part." + std::to_string(i), ""};
    if (!(*store)->Operate(id, WriteOp().WriteFull(chunk).SetXattr("user.rgw.etag", "x")).ok()) {
      _exit(6);
    }
  }
  WriteAll(fd, std::to_string(base) + " " + std::to_string(StatusKb("VmHWM:")));
  _exit(0);
}

// Writes v1, then crashes (_exit) at fault point `point` while writing v2.
void RunCrashAtPoint(const std::string& dir, const char* point) {
  auto armed = std::make_shared<bool>(false);
  EmbeddedOptions options;
  options.fault_hook = [armed, point](std::string_view at) {
    if (*armed && at == point) _exit(9);
    return Status::OK();
  };
  auto store = OpenEmbeddedStore(dir, options);
  if (!store.ok() || !(*store)->CreatePool("p").ok()) _exit(4);
  ObjectId id{"p", "", "o", ""};
  if (!(*store)->Operate(id, WriteOp().WriteFull(Pattern(200000, 1)).SetXattr("v", "1")).ok()) {
    _exit(5);
  }
  *armed = true;
  (void)(*store)->Operate(id, WriteOp().WriteFull(Pattern(300000, 2)).SetXattr("v", "2"));
  _exit(7);  // the hook should have ended the process
}

TEST(EmbeddedChild, Run) {
  const char* mode = std::getenv("KELP_EMBEDDED_CHILD");
  if (!mode) GTEST_SKIP() << "helper run as a child process by the tests below";
  std::string dir = std::getenv("KELP_EMBEDDED_DIR");
  uint64_t arg = std::strtoull(std::getenv("KELP_EMBEDDED_ARG"), nullptr, 10);
  if (std::string(mode) == "writer") RunWriter(dir, arg, kChildFd);
  if (std::string(mode) == "busy") RunBusyProbe(dir, kChildFd);
  if (std::string(mode) == "crash_before_commit") RunCrashAtPoint(dir, "data_file_written");
  if (std::string(mode) == "crash_after_commit") RunCrashAtPoint(dir, "after_commit");
  if (std::string(mode) == "upload") RunUpload(dir, static_cast<int>(arg), kChildFd);
  _exit(2);
}

// ----------------------------------------------------------------- parent

struct Child {
  pid_t pid = -1;
  int fd = -1;  // read end of the child's report pipe
};

Child Spawn(const std::string& mode, const std::string& dir, uint64_t arg) {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  EXPECT_GT(n, 0);
  exe[n > 0 ? n : 0] = '\0';
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back("KELP_EMBEDDED_CHILD=" + mode);
  env.push_back("KELP_EMBEDDED_DIR=" + dir);
  env.push_back("KELP_EMBEDDED_ARG=" + std::to_string(arg));
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string filter = "--gtest_filter=EmbeddedChild.Run";
  char* argv[] = {exe, filter.data(), nullptr};

  int p[2];
  EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    // Only async-signal-safe calls until exec. dup2 clears O_CLOEXEC.
    if (::dup2(p[1], kChildFd) < 0) _exit(127);
    int devnull = ::open("/dev/null", O_WRONLY);  // keep gtest's chatter out of ours
    if (devnull >= 0) ::dup2(devnull, 1);
    ::execve(exe, argv, envp.data());
    _exit(127);
  }
  ::close(p[1]);
  c.fd = p[0];
  return c;
}

std::string ReadToEnd(int fd) {
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// Checks that every object is in exactly the state one CrashOp left it in,
// no older than its last acknowledged op, and that no data file leaked.
void CheckCrashState(const std::string& dir, ObjectStore* store,
                     const std::map<int, uint64_t>& acked_max, uint64_t max_attempted) {
  size_t big = 0;
  for (int k = 0; k < kObjects; ++k) {
    SCOPED_TRACE("object " + std::to_string(k));
    ObjectId id = CrashObject(k);
    std::string seq_s, cls_s, data, header;
    Map omap;
    ObjectStat st;
    Status s = store->Operate(id, ReadOp()
                                      .Stat(&st)
                                      .GetXattr("seq", &seq_s)
                                      .GetXattr("cls", &cls_s)
                                      .Read(0, 0, &data)
                                      .OmapGetHeader(&header)
                                      .OmapGetVals("", "", 0, &omap));
    auto acked = acked_max.find(k);
    if (s.IsNotFound()) {
      EXPECT_TRUE(acked == acked_max.end()) << "acknowledged object lost";
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.ToString();
    uint64_t seq = std::stoull(seq_s);
    EXPECT_EQ(seq % kObjects, static_cast<uint64_t>(k));
    if (acked != acked_max.end()) {
      EXPECT_GE(seq, acked->second) << "acknowledged write lost";
    }
    EXPECT_LE(seq, max_attempted);
    EXPECT_EQ(cls_s, seq_s);
    EXPECT_EQ(data, PayloadFor(seq));
    EXPECT_EQ(st.size, data.size());
    EXPECT_EQ(header, "h" + seq_s);
    EXPECT_EQ(omap, (Map{{"seq", seq_s}, {"gen" + std::to_string(seq % 3), seq_s}}));
    if (data.size() > 64 * 1024) ++big;
  }
  // Data files of interrupted ops were collected at open; none is missing.
  EXPECT_EQ(CountDataFiles(dir), big);
}

TEST(EmbeddedProcessTest, KillNineNeverLosesAcknowledgedWritesNorShowsPartialOps) {
  TempDir dir;
  unsigned seed =
      static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::map<int, uint64_t> acked_max;
  uint64_t next_start = 1;
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Child c = Spawn("writer", dir.path(), next_start);
    int kill_after = std::uniform_int_distribution<int>(1, 40)(rng);
    uint64_t last = 0;
    int acks = 0;
    std::string buf;
    bool killed = false;
    while (true) {
      char b[64];
      ssize_t n = ::read(c.fd, b, sizeof(b));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      buf.append(b, static_cast<size_t>(n));
      while (buf.size() >= 8) {
        std::memcpy(&last, buf.data(), 8);
        buf.erase(0, 8);
        acked_max[static_cast<int>(last % kObjects)] = last;
        ++acks;
      }
      if (!killed && acks >= kill_after) {
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
        ::kill(c.pid, SIGKILL);
        killed = true;  // keep draining: acks already written count too
      }
    }
    ::close(c.fd);
    int status = Wait(c.pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "writer did not run until killed, status " << status;
    ASSERT_GT(acks, 0);
    // The child may have committed (not acknowledged) the op after `last`.
    uint64_t max_attempted = last + 1;
    {
      auto store = MustOpen(dir.path(), true);
      ASSERT_TRUE(store);
      CheckCrashState(dir.path(), store.get(), acked_max, max_attempted);
    }
    next_start = max_attempted + 1;
  }
}

TEST(EmbeddedProcessTest, SecondProcessGetsBusyNamingThePid) {
  TempDir dir;
  auto store = MustOpen(dir.path());
  ASSERT_TRUE(store);
  Child c = Spawn("busy", dir.path(), 0);
  std::string report = ReadToEnd(c.fd);
  ::close(c.fd);
  int status = Wait(c.pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(report.substr(0, report.find('|')), std::to_string(static_cast<int>(Code::kBusy)))
      << report;
  EXPECT_NE(report.find(dir.path()), std::string::npos) << report;
  EXPECT_NE(report.find("process " + std::to_string(::getpid())), std::string::npos) << report;

  // Once closed, another process can open it.
  store.reset();
  c = Spawn("busy", dir.path(), 0);
  report = ReadToEnd(c.fd);
  ::close(c.fd);
  Wait(c.pid);
  EXPECT_EQ(report, "0|");
}

TEST(EmbeddedProcessTest, OneGigabyteUploadKeepsPeakMemorySmall) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's quarantine inflates RSS; measured in normal builds";
#endif
  TempDir dir;
  Child c = Spawn("upload", dir.path(), 256);  // 256 x 4 MiB
  std::string report = ReadToEnd(c.fd);
  ::close(c.fd);
  int status = Wait(c.pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  uint64_t before_kb = 0, peak_kb = 0;
  ASSERT_EQ(std::sscanf(report.c_str(), "%lu %lu", &before_kb, &peak_kb), 2) << report;
  std::printf("peak RSS %lu KiB (at open %lu KiB)\n", peak_kb, before_kb);
  EXPECT_LT(peak_kb, 64u * 1024) << "peak RSS during a 1 GiB upload";
  auto store = MustOpen(dir.path());
  ASSERT_TRUE(store);
  std::string next;
  auto listed = store->List("data", "", "", 0, &next);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 256u);
  EXPECT_EQ(CountDataFiles(dir.path()), 256u);
}

// Deterministic crashes at the two windows where a data file exists without
// matching RocksDB state: the interrupted op is invisible (or whole), and
// the stray file is collected by the next open.
TEST(EmbeddedProcessTest, CrashAtFaultPointsLeavesOldOrNewStateAndNoStrayFile) {
  for (bool after_commit : {false, true}) {
    SCOPED_TRACE(after_commit ? "after commit" : "before commit");
    TempDir dir;
    Child c = Spawn(after_commit ? "crash_after_commit" : "crash_before_commit", dir.path(), 0);
    ReadToEnd(c.fd);
    ::close(c.fd);
    int status = Wait(c.pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 9) << status;
    EXPECT_EQ(CountDataFiles(dir.path()), 2u);  // old and new file both on disk
    auto store = MustOpen(dir.path());
    ASSERT_TRUE(store);
    EXPECT_EQ(CountDataFiles(dir.path()), 1u);
    std::string data, v;
    ASSERT_TRUE(
        store->Operate(ObjectId{"p", "", "o", ""}, ReadOp().Read(0, 0, &data).GetXattr("v", &v))
            .ok());
    EXPECT_EQ(v, after_commit ? "2" : "1");
    EXPECT_EQ(data, after_commit ? Pattern(300000, 2) : Pattern(200000, 1));
  }
}

}  // namespace
}  // namespace kelp::store::embedded
