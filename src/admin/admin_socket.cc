#include "admin/admin_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

namespace kelp::admin {
namespace {

constexpr uint32_t kMaxRequest = 16u << 20;

bool WriteAll(int fd, const std::string& buf) {
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t n = ::send(fd, buf.data() + off, buf.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void* p, size_t len) {
  char* c = static_cast<char*>(p);
  size_t off = 0;
  while (off < len) {
    ssize_t n = ::recv(fd, c + off, len - off, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool ReadU32(int fd, uint32_t* v) { return ReadAll(fd, v, 4); }  // little-endian hosts

void PutU32(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }

bool ReadString(int fd, uint32_t* budget, std::string* s) {
  uint32_t len;
  if (!ReadU32(fd, &len) || len > *budget) return false;
  *budget -= len;
  s->resize(len);
  return ReadAll(fd, s->data(), len);
}

Status SetUpAddress(const std::string& path, sockaddr_un* addr) {
  std::memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr->sun_path)) {
    return Status::Invalid("admin socket path too long: " + path);
  }
  std::memcpy(addr->sun_path, path.data(), path.size());
  return Status::OK();
}

void ServeOne(int fd, const AdminRunFn& run) {
  char magic[4];
  uint32_t argc;
  uint32_t budget = kMaxRequest;
  if (!ReadAll(fd, magic, 4) || std::memcmp(magic, "KADM", 4) != 0) return;
  if (!ReadU32(fd, &argc) || argc > 4096) return;
  std::vector<std::string> args(argc);
  for (auto& a : args) {
    if (!ReadString(fd, &budget, &a)) return;
  }
  std::ostringstream out, err;
  int code;
  try {
    code = run(args, out, err);
  } catch (const std::exception& e) {  // never let a command take kelpd down
    err << "internal error: " << e.what() << "\n";
    code = 1;
  }
  std::string resp = "KADR";
  PutU32(&resp, static_cast<uint32_t>(code));
  std::string o = out.str(), e = err.str();
  PutU32(&resp, static_cast<uint32_t>(o.size()));
  resp += o;
  PutU32(&resp, static_cast<uint32_t>(e.size()));
  resp += e;
  WriteAll(fd, resp);
}

}  // namespace

struct AdminSocketServer::Thread {
  std::thread t;
};

AdminSocketServer::AdminSocketServer(std::string path, int fd, AdminRunFn run)
    : path_(std::move(path)), listen_fd_(fd), run_(std::move(run)) {}

Result<std::unique_ptr<AdminSocketServer>> AdminSocketServer::Start(const std::string& path,
                                                                    AdminRunFn run) {
  sockaddr_un addr;
  RETURN_IF_ERROR(SetUpAddress(path, &addr));
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  // A socket file left by a crashed kelpd would make bind fail; we hold the
  // store, so nobody else can be serving it.
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 16) != 0) {
    Status s = Status::IOError("admin socket " + path + ": " + std::strerror(errno));
    ::close(fd);
    return s;
  }
  ::chmod(path.c_str(), 0600);  // admin commands are as powerful as the store owner
  std::unique_ptr<AdminSocketServer> srv(new AdminSocketServer(path, fd, std::move(run)));
  if (::pipe2(srv->wake_pipe_, O_CLOEXEC) != 0) {
    return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  }
  srv->thread_ = std::make_unique<Thread>();
  srv->thread_->t = std::thread([s = srv.get()] { s->Loop(); });
  return srv;
}

void AdminSocketServer::Loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    ServeOne(c, run_);
    ::close(c);
  }
}

void AdminSocketServer::Stop() {
  if (!thread_) return;
  char b = 1;
  [[maybe_unused]] ssize_t w = ::write(wake_pipe_[1], &b, 1);
  thread_->t.join();
  thread_.reset();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  ::unlink(path_.c_str());
}

AdminSocketServer::~AdminSocketServer() { Stop(); }

void ServeAdminSocket(const std::string& path, AdminRunFn run) {
  static std::mutex mu;
  static std::vector<std::unique_ptr<AdminSocketServer>>* servers =
      new std::vector<std::unique_ptr<AdminSocketServer>>();  // lives until exit
  auto srv = AdminSocketServer::Start(path, std::move(run));
  if (!srv.ok()) {
    std::cerr << "kelpd: admin socket disabled: " << srv.status().ToString() << "\n";
    return;
  }
  std::lock_guard<std::mutex> lock(mu);
  servers->push_back(std::move(*srv));
}

Result<ForwardResult> ForwardToAdminSocket(const std::string& path,
                                           const std::vector<std::string>& args) {
  sockaddr_un addr;
  RETURN_IF_ERROR(SetUpAddress(path, &addr));
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Status::IOError("cannot reach kelpd at " + path + ": " + std::strerror(errno));
  }
  std::string req = "KADM";
  PutU32(&req, static_cast<uint32_t>(args.size()));
  for (const auto& a : args) {
    PutU32(&req, static_cast<uint32_t>(a.size()));
    req += a;
  }
  if (!WriteAll(fd, req)) return Status::IOError("sending to kelpd at " + path + " failed");
  char magic[4];
  uint32_t code;
  uint32_t budget = UINT32_MAX;
  ForwardResult r;
  if (!ReadAll(fd, magic, 4) || std::memcmp(magic, "KADR", 4) != 0 || !ReadU32(fd, &code) ||
      !ReadString(fd, &budget, &r.out) || !ReadString(fd, &budget, &r.err)) {
    return Status::IOError("kelpd at " + path + " closed the admin connection without an answer");
  }
  r.exit_code = static_cast<int>(code);
  return r;
}

}  // namespace kelp::admin
