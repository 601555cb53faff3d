#include "api/open_store.h"

#include "store/embedded/embedded_store.h"

namespace kelp::api {

std::string StoreSocketPath(const std::string& data_dir) { return data_dir + "/kelpd-store.sock"; }

Result<std::unique_ptr<store::ObjectStore>> OpenStore(const StoreSpec& spec) {
  if (!spec.ceph_conf.empty()) {
    return Status(Code::kNotImplemented, "this build of Kelp has no Ceph (librados) backend yet");
  }
  if (spec.data_dir.empty()) {
    return Status(Code::kInvalidArgument, "a store needs a data directory or a Ceph conf");
  }
  auto st = store::embedded::OpenEmbeddedStore(spec.data_dir);
  if (st.ok()) return std::unique_ptr<store::ObjectStore>(std::move(*st));
  return st.status();  // kBusy: the remote store socket is wired in once it exists
}

}  // namespace kelp::api
