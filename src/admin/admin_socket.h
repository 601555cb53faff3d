// Admin socket: how kelp-admin runs its commands inside a running kelpd.
//
// The embedded store is held by one process at a time (OpenEmbeddedStore
// fails with kBusy while kelpd runs). kelp-admin then forwards its argv to
// kelpd over the Unix stream socket DIR/kelpd.sock; kelpd runs the same
// command code in-process (RunAdmin) and sends back what it printed and its
// exit code, which kelp-admin reproduces as its own.
//
// Protocol (one request per connection; integers are little-endian):
//   request:  "KADM" u32 argc, then argc times { u32 len, len bytes }
//   response: "KADR" i32 exit_code, u32 out_len, out bytes, u32 err_len, err bytes
// The server closes the connection after the response. A request larger
// than 16 MiB or with a bad magic is answered by closing the connection.
//
// Thread-safety: the server runs requests one at a time on its own thread,
// so `run` must be safe to call concurrently with the owner's other threads.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"

namespace kelp::admin {

using AdminRunFn =
    std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)>;

// A listening admin socket; stops (and removes the socket file) when destroyed.
class AdminSocketServer {
 public:
  // Binds `path` (replacing a stale socket file) and serves on a thread.
  static Result<std::unique_ptr<AdminSocketServer>> Start(const std::string& path, AdminRunFn run);
  ~AdminSocketServer();
  AdminSocketServer(const AdminSocketServer&) = delete;
  AdminSocketServer& operator=(const AdminSocketServer&) = delete;

  void Stop();
  const std::string& path() const { return path_; }

 private:
  AdminSocketServer(std::string path, int fd, AdminRunFn run);
  void Loop();

  std::string path_;
  int listen_fd_;
  int wake_pipe_[2] = {-1, -1};
  AdminRunFn run_;
  struct Thread;
  std::unique_ptr<Thread> thread_;
};

// For kelpd: starts serving `path` for the rest of the process's life.
// A failure to bind is reported on stderr (kelpd keeps running without it).
void ServeAdminSocket(const std::string& path, AdminRunFn run);

struct ForwardResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Client side: sends `args` to the server at `path` and returns its answer.
// IOError when no server answers (e.g. no socket, or kelpd died).
Result<ForwardResult> ForwardToAdminSocket(const std::string& path,
                                           const std::vector<std::string>& args);

}  // namespace kelp::admin
