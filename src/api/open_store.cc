#include "api/open_store.h"

#include <fmt/format.h>

#include "store/embedded/embedded_store.h"
#include "store/remote/remote_store.h"
#ifdef KELP_HAVE_RADOS
#include "store/rados/rados_store.h"
#endif

namespace kelp::api {

std::string StoreSocketPath(const std::string& data_dir) { return data_dir + "/kelpd-store.sock"; }

Result<std::unique_ptr<store::ObjectStore>> OpenStore(const StoreSpec& spec) {
  if (!spec.ceph_conf.empty()) {
#ifdef KELP_HAVE_RADOS
    store::rados::RadosOptions opts;
    opts.conf_path = spec.ceph_conf;
    if (!spec.ceph_user.empty()) opts.user = spec.ceph_user;
    opts.create_missing_pools = true;  // as radosgw and radosgw-admin do
    return store::rados::OpenRadosStore(opts);
#else
    return Status(Code::kNotImplemented,
                  "this build of Kelp has no Ceph backend (rebuild with librados-dev installed)");
#endif
  }
  if (spec.data_dir.empty()) {
    return Status(Code::kInvalidArgument, "a store needs a data directory or a Ceph conf");
  }
  auto st = store::embedded::OpenEmbeddedStore(spec.data_dir);
  if (st.ok()) return std::unique_ptr<store::ObjectStore>(std::move(*st));
  if (!st.status().Is(Code::kBusy) || spec.exclusive) return st.status();
  // Another process (normally kelpd) holds the directory: use the store it serves.
  auto remote = store::remote::ConnectRemoteStore(StoreSocketPath(spec.data_dir));
  if (remote.ok()) return remote;
  return Status(Code::kBusy,
                fmt::format("{} is held by another process and its store socket does not answer ({})",
                            spec.data_dir, remote.status().message()));
}

}  // namespace kelp::api
