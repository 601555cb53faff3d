// kelpd: the Kelp gateway daemon. Opens the embedded store in --data DIR,
// serves S3 over HTTP on --listen, kelp-admin's commands on DIR/kelpd.sock
// and the store itself to other processes on DIR/kelpd-store.sock
// (store/remote), and stops gracefully on SIGTERM/SIGINT.
//
// Startup prints (flushed; tests parse these lines):
//   kelpd: listening on http://127.0.0.1:7480
//   AccessKey: <admin user's first access key>
//   SecretKey: <its secret>
// Any startup failure prints one sentence "kelpd: ..." on stderr, exit 1.
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "admin/admin.h"
#include "admin/admin_socket.h"
#include "api/gateway.h"
#include "api/open_store.h"
#include "base/crypto.h"
#include "kelpd/config.h"
#include "kelpd/http/server.h"
#include "kelpd/s3/handlers.h"
#include "rgw/object/gc.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"
#include "store/remote/remote_store.h"

namespace kelp::kelpd {
namespace {

int Fail(const std::string &message) {
  std::cerr << "kelpd: " << message << std::endl;
  return 1;
}

Status PrepareDataDir(const std::string &dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status(
        Code::kIOError,
        fmt::format("cannot create data directory {}: {}", dir, ec.message()));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(Code::kIOError,
                  fmt::format("data path {} is not a directory", dir));
  }
  if (access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Status(Code::kIOError,
                  fmt::format("data directory {} is not writable: {}", dir,
                              strerror(errno)));
  }
  return Status::OK();
}

// The initial admin user (uid "admin"), created with generated keys on the
// first start; returns its first S3 key.
Result<rgw::AccessKey> EnsureAdminUser(rgw::Services &services) {
  const rgw::User uid{"", "admin", ""};
  auto user = services.users().Get(uid);
  if (!user.ok() && user.status().Is(Code::kNoSuchUser)) {
    rgw::UserSpec spec;
    spec.uid = uid;
    spec.display_name = "Kelp admin";
    user = services.users().Create(spec);
  }
  if (!user.ok())
    return user.status().Annotate("setting up the admin user");
  if (user->info.access_keys.empty()) {
    user = services.users().AddKey(uid, RandomUpperAlnum(20), RandomSecret(40));
    if (!user.ok())
      return user.status().Annotate("adding a key to the admin user");
  }
  return user->info.access_keys.begin()->second;
}

int Run(int argc, char **argv) {
  // 4 MiB stripe buffers come and go per request. With glibc's sliding mmap threshold and
  // per-thread arenas they stayed resident (peak RSS 294 MiB under the Ceph bench); a 1 MiB
  // threshold returned them at once but spent half of kelpd's cycles on page faults (mmap +
  // munmap of every buffer). A fixed 16 MiB threshold keeps them in at most two arenas:
  // ~145 MiB peak and 64 MiB GET 1.4x faster than with 1 MiB (bench/results/ceph-*.md).
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  mallopt(M_ARENA_MAX, 2);
  auto cfg = ParseConfig(argc, argv);
  if (!cfg.ok())
    return Fail(cfg.status().message());
  if (cfg->help) {
    std::cout << cfg->help_text;
    return 0;
  }
  const bool on_ceph = !cfg->ceph_conf.empty();
  if (!on_ceph) {
    if (Status st = PrepareDataDir(cfg->data_dir); !st.ok())
      return Fail(st.message());
  }
  api::StoreSpec spec;
  if (on_ceph) {
    spec.ceph_conf = cfg->ceph_conf;
    spec.ceph_user = cfg->ceph_user;
  } else {
    spec.data_dir = cfg->data_dir;
    spec.exclusive =
        true; // kelpd holds the directory; it never runs as another's client
  }
  auto store = api::OpenStore(spec);
  if (!store.ok()) {
    if (store.status().Is(Code::kBusy))
      return Fail(store.status().message());
    return Fail(fmt::format("cannot open the store {}: {}",
                            on_ceph ? cfg->ceph_conf : cfg->data_dir,
                            store.status().ToString()));
  }
  rgw::GcOptions gc_options = rgw::GetGcOptions();
  gc_options.min_wait_secs = cfg->gc_min_wait_sec;
  gc_options.period_secs = cfg->gc_period_sec;
  rgw::SetGcOptions(gc_options);
  api::GatewayOptions gateway_options;
  gateway_options.metadata_cache = cfg->metadata_cache;
  auto gateway = api::Gateway::Open(std::move(*store), gateway_options);
  if (!gateway.ok()) {
    return Fail("cannot start the gateway: " + gateway.status().ToString());
  }
  api::Gateway &gw = **gateway;
  // On a fresh embedded store kelpd makes an admin user so there is a key to
  // start with; on a Ceph cluster the operator's users (radosgw-admin /
  // kelp-admin) are used as they are.
  Result<rgw::AccessKey> admin_key = Status(Code::kNotFound, "");
  if (!on_ceph) {
    admin_key = EnsureAdminUser(gw.services());
    if (!admin_key.ok())
      return Fail(admin_key.status().ToString());
  }

  s3::S3HandlerOptions s3_options;
  s3_options.dns_suffixes = cfg->dns_suffixes;
  s3_options.host_id =
      fmt::format("{}-default-default", HexEncode(RandomBytes(4)));
  s3::S3Handler handler(gw, s3_options);

  http::ServerOptions options;
  options.listen =
      cfg->listen_host.find(':') != std::string::npos
          ? fmt::format("[{}]:{}", cfg->listen_host, cfg->listen_port)
          : fmt::format("{}:{}", cfg->listen_host, cfg->listen_port);
  if (cfg->threads > 0)
    options.worker_threads = cfg->threads;
  // On Ceph every wait of a request is a RADOS completion or socket I/O, both of
  // which park a fiber (base/suspend.h): handlers run on fibers on the I/O threads
  // and no thread blocks on the cluster. The embedded store's disk I/O blocks, so
  // there they keep the worker pool.
  if (on_ceph) {
    options.fibers = true;
    options.io_threads = 2;
  }
  options.max_header_bytes = cfg->max_header_bytes;
  options.idle_timeout = std::chrono::seconds(cfg->idle_timeout_sec);
  options.access_log_path = cfg->access_log;
  options.host_id = s3_options.host_id;
  auto server = http::Server::Start(options, handler.AsHandler());
  if (!server.ok()) {
    return Fail(fmt::format("cannot listen on {}: {}", options.listen,
                            server.status().message()));
  }
  http::InstallSignalHandlers(**server);

  // The sockets let other programs reach an embedded store this process holds;
  // on Ceph every program opens the cluster itself.
  Result<std::unique_ptr<admin::AdminSocketServer>> admin_socket =
      Status(Code::kNotFound, "not on the embedded store");
  Result<std::unique_ptr<store::remote::StoreServer>> store_server =
      Status(Code::kNotFound, "not on the embedded store");
  if (!on_ceph) {
    const std::string socket_path =
        (std::filesystem::path(cfg->data_dir) / "kelpd.sock").string();
    admin_socket = admin::AdminSocketServer::Start(
        socket_path, [&gw](const std::vector<std::string> &args,
                           std::ostream &out, std::ostream &err) {
          return admin::RunAdmin(args, gw.services(), out, err);
        });
    if (!admin_socket.ok()) {
      std::cerr << "kelpd: admin socket " << socket_path
                << " unavailable (kelp-admin cannot reach this kelpd): "
                << admin_socket.status().message() << std::endl;
    }

    // Other programs (kelp-admin, the Python module, scripts) run the gateway
    // in their own process against this store through its socket
    // (store/remote), since the directory is held by us.
    const std::string store_socket = api::StoreSocketPath(cfg->data_dir);
    store_server = store::remote::StoreServer::Start(store_socket, gw.store());
    if (!store_server.ok()) {
      std::cerr << "kelpd: store socket " << store_socket
                << " unavailable (other programs cannot open this store while "
                   "kelpd runs): "
                << store_server.status().message() << std::endl;
    }
  }

  std::string host = cfg->listen_host.find(':') != std::string::npos
                         ? "[" + cfg->listen_host + "]"
                         : cfg->listen_host;
  std::cout << "kelpd: listening on http://" << host << ":" << (*server)->port()
            << "\n";
  if (admin_key.ok()) {
    std::cout << "AccessKey: " << admin_key->id << "\n"
              << "SecretKey: " << admin_key->key << "\n";
  }
  std::cout << std::flush;

  // radosgw's gc thread: releases tails whose gc entries expired.
  std::unique_ptr<rgw::GcWorker> gc_worker;
  if (cfg->gc_period_sec > 0) {
    gc_worker = std::make_unique<rgw::GcWorker>(gw.services(), cfg->gc_period_sec);
    gc_worker->Start();
  }

  (*server)->Wait();
  (*server)->Stop();
  if (gc_worker) gc_worker->Stop();
  if (admin_socket.ok())
    (*admin_socket)->Stop();
  if (store_server.ok())
    (*store_server)->Stop(); // before the gateway closes the store
  std::cerr << "kelpd: stopped" << std::endl;
  return 0;
}

} // namespace
} // namespace kelp::kelpd

int main(int argc, char **argv) { return kelp::kelpd::Run(argc, argv); }
