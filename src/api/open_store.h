// OpenStore: the one way every program (kelpd, kelp-admin, the Python module,
// examples) opens a Kelp store from a user-facing spec.
//
//   StoreSpec{.data_dir = "/var/lib/kelp"}      embedded single-node store
//   StoreSpec{.ceph_conf = "/etc/ceph/ceph.conf", .ceph_user = "admin"}
//                                               a Ceph cluster through librados
//
// The embedded store is held by one process at a time. When another process
// (normally kelpd) holds `data_dir`, OpenStore connects to the store socket
// that process serves (DIR/kelpd-store.sock, see store/remote) so the caller
// still runs all gateway logic in-process against the same data, seeing
// kelpd's writes at once and kelpd seeing its writes. Fails with kBusy when
// the directory is held and nothing answers on the socket, and with
// kNotImplemented for a Ceph spec in a build without librados.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::api {

struct StoreSpec {
  std::string data_dir;   // embedded store directory (created if absent)
  std::string ceph_conf;  // ceph.conf path: use the Ceph backend
  std::string ceph_user = "admin";  // cephx name without "client."
  // Embedded only: fail with kBusy instead of connecting to the holder.
  bool exclusive = false;
};

// Opens the store `spec` names (see above).
Result<std::unique_ptr<store::ObjectStore>> OpenStore(const StoreSpec& spec);

// Path of the store socket a process holding an embedded store serves.
std::string StoreSocketPath(const std::string& data_dir);

}  // namespace kelp::api
