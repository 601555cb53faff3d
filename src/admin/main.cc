// kelp-admin: radosgw-admin for Kelp. Opens the store with api::OpenStore
// (--data DIR: the embedded store, or kelpd's store socket when kelpd holds
// DIR; --ceph-conf FILE [--ceph-user NAME]: a Ceph cluster) and runs one
// command (admin.h). When the store is held and OpenStore answers kBusy, the
// command is forwarded to kelpd over DIR/kelpd.sock and its output and exit
// code reproduced, except object put/get, whose data must stream.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "admin/admin.h"
#include "admin/admin_socket.h"
#include "api/open_store.h"
#include "rgw/services.h"

namespace {

// Takes "--flag VALUE" / "--flag=VALUE" out of argv position i.
bool TakeFlag(const std::string& flag, int argc, char** argv, int* i, std::string* value) {
  std::string a = argv[*i];
  if (a == flag && *i + 1 < argc) {
    *value = argv[++*i];
    return true;
  }
  if (a.rfind(flag + "=", 0) == 0) {
    *value = a.substr(flag.size() + 1);
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // object put/get move data through cin/cout
  std::vector<std::string> args;
  kelp::api::StoreSpec spec;
  bool ceph_user_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string user;
    if (TakeFlag("--data", argc, argv, &i, &spec.data_dir) ||
        TakeFlag("--ceph-conf", argc, argv, &i, &spec.ceph_conf)) {
      continue;
    }
    if (TakeFlag("--ceph-user", argc, argv, &i, &user)) {
      spec.ceph_user = user;
      ceph_user_given = true;
      continue;
    }
    args.push_back(argv[i]);
  }
  if (spec.data_dir.empty() && spec.ceph_conf.empty()) {
    if (const char* env = std::getenv("KELP_DATA")) spec.data_dir = env;
  }
  if (spec.data_dir.empty() && spec.ceph_conf.empty()) {
    std::cerr << "kelp-admin: --data DIR (or $KELP_DATA) or --ceph-conf FILE is required\n";
    return 22;  // EINVAL
  }
  if (ceph_user_given && spec.ceph_conf.empty()) {
    std::cerr << "kelp-admin: --ceph-user needs --ceph-conf\n";
    return 22;
  }
  const bool import = kelp::admin::IsImportDump(args);
  spec.exclusive = import;  // import-dump must own the store outright
  auto store = kelp::api::OpenStore(spec);
  if (!store.ok() && store.status().Is(kelp::Code::kBusy) && !spec.data_dir.empty()) {
    if (kelp::admin::IsStreamingCommand(args)) {
      std::cerr << "kelp-admin: the store in " << spec.data_dir
                << " is held by another process and its store socket does not answer; object "
                   "put/get cannot go through the admin socket (it buffers data), so stop the "
                   "holder or retry when kelpd serves its store socket\n";
      return 16;  // EBUSY
    }
    auto fwd = kelp::admin::ForwardToAdminSocket(spec.data_dir + "/kelpd.sock", args);
    if (!fwd.ok()) {
      std::cerr << "kelp-admin: the store is busy (" << store.status().message()
                << ") and kelpd does not answer: " << fwd.status().message() << "\n";
      return 16;  // EBUSY
    }
    std::cout << fwd->out << std::flush;
    std::cerr << fwd->err << std::flush;
    return fwd->exit_code;
  }
  if (!store.ok()) {
    std::string where = spec.ceph_conf.empty() ? spec.data_dir : spec.ceph_conf;
    std::cerr << "kelp-admin: cannot open store " << where << ": "
              << (store.status().message().empty() ? store.status().ToString()
                                                   : store.status().message())
              << "\n";
    return kelp::admin::ExitCodeFor(store.status());
  }
  if (import) return kelp::admin::RunImportDump(args, **store, std::cout, std::cerr);
  auto services = kelp::rgw::Services::Init(**store);
  if (!services.ok()) {
    std::cerr << "kelp-admin: cannot initialize the zone: " << services.status().ToString() << "\n";
    return kelp::admin::ExitCodeFor(services.status());
  }
  int rc = kelp::admin::RunAdmin(args, **services, std::cin, std::cout, std::cerr);
  std::cout.flush();
  return rc;
}
