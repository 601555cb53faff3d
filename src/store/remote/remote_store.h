// Remote ObjectStore: one store, many processes.
//
// The embedded store is held by one process at a time (OpenEmbeddedStore
// fails with kBusy while kelpd runs). kelpd therefore serves its ObjectStore
// on a Unix socket (DIR/kelpd-store.sock) with a StoreServer, and other
// programs (the Python module, kelp-admin, maintenance scripts) open a client
// with ConnectRemoteStore and run ALL gateway logic in their own process
// against it, seeing kelpd's writes at once and kelpd seeing theirs. As with
// librados talking to OSDs, only the primitives cross the socket: pools,
// compound ops (every OpStep type, outputs included), listing, watch/notify.
// Object classes (Exec) still run next to the data, in the server.
//
// Client contract (ConnectRemoteStore):
//  - Safe for concurrent use by many threads: a small pool of connections,
//    one in-flight request per connection.
//  - Statuses of the served store travel with code and message, so a guard
//    fails with the same Canceled/Exists/NotFound as in-process. Outputs are
//    written through the op's pointers exactly for the steps that ran and
//    succeeded (as the embedded engine does).
//  - When the server goes away every call fails with kIOError "the store
//    server at PATH closed the connection" (never a crash or a hang); the
//    next call connects again. An op whose answer was lost may or may not
//    have been applied (as with a librados client whose OSD died).
//  - InstanceId() is allocated by the server once per client (persisted by
//    the embedded engine), unique across every process and restart using the
//    store, so radosgw's "<zone>.<instance id>.<counter>" bucket ids and tags
//    made in different processes never collide.
//  - Watch: the server pushes notify events over a dedicated connection and
//    relays the client's reply to the notifier; a client's Notify reaches the
//    server's own watchers and other clients' watchers (watchers see the
//    server store's InstanceId() as notifier id). Watches do not survive the
//    loss of the server (their callbacks simply stop firing; a new Watch
//    works once it is back). Unwatch waits for callbacks of that watch still
//    running (unless called from inside one; the notifier then gets "" from
//    that watcher).
//  - A request or response over 64 MiB (e.g. one Read of a larger object)
//    fails with kInvalid; the gateway reads and writes in 4 MiB stripes.
//
// Server contract (StoreServer): serves `store` (not owned, must outlive the
// server) on `socket_path`, mode 0600, replacing a stale socket file; one
// thread per connection, at most 256 connections; a client dying mid-frame
// only closes its connection (its watches are removed). Stop() (or the
// destructor) closes every connection, waits for their threads and removes
// the socket file. Clients' instance ids come from
// embedded::AllocateInstanceId, so only an embedded store can be served.
//
// Wire protocol (little-endian, base/encoding.h): see protocol.h.
//
//   ASSIGN_OR_RETURN(auto server, StoreServer::Start(dir + "/kelpd-store.sock", *store));
//   // in another process:
//   ASSIGN_OR_RETURN(auto remote, ConnectRemoteStore(dir + "/kelpd-store.sock"));
//   ASSIGN_OR_RETURN(auto services, rgw::Services::Init(*remote));
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::remote {

// Connects to the StoreServer listening on `socket_path`. Fails with
// kIOError when nothing answers there (no socket file, nobody listening, or
// not a store server).
Result<std::unique_ptr<ObjectStore>> ConnectRemoteStore(const std::string& socket_path);

class StoreServer {
 public:
  // Binds `socket_path` and serves `store` on background threads.
  static Result<std::unique_ptr<StoreServer>> Start(const std::string& socket_path,
                                                    ObjectStore& store);
  ~StoreServer();
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  // Closes the socket and every connection; idempotent.
  void Stop();
  const std::string& path() const;

  struct Impl;

 private:
  explicit StoreServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kelp::store::remote
