// kelp-admin: radosgw-admin for Kelp. Opens the embedded store in --data DIR
// and runs one command (admin.h); when kelpd holds the store, forwards the
// command to it over DIR/kelpd.sock and reproduces its output and exit code.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "admin/admin.h"
#include "admin/admin_socket.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

int main(int argc, char** argv) {
  std::vector<std::string> args;
  std::string data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (a.rfind("--data=", 0) == 0) {
      data_dir = a.substr(7);
    } else {
      args.push_back(std::move(a));
    }
  }
  if (data_dir.empty()) {
    if (const char* env = std::getenv("KELP_DATA")) data_dir = env;
  }
  if (data_dir.empty()) {
    std::cerr << "kelp-admin: --data DIR (or $KELP_DATA) is required\n";
    return 22;  // EINVAL
  }
  auto store = kelp::store::embedded::OpenEmbeddedStore(data_dir);
  if (!store.ok() && store.status().Is(kelp::Code::kBusy)) {
    auto fwd = kelp::admin::ForwardToAdminSocket(data_dir + "/kelpd.sock", args);
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
    std::cerr << "kelp-admin: cannot open store " << data_dir << ": " << store.status().ToString()
              << "\n";
    return kelp::admin::ExitCodeFor(store.status());
  }
  if (kelp::admin::IsImportDump(args)) {
    return kelp::admin::RunImportDump(args, **store, std::cout, std::cerr);
  }
  auto services = kelp::rgw::Services::Init(**store);
  if (!services.ok()) {
    std::cerr << "kelp-admin: cannot initialize the zone: " << services.status().ToString() << "\n";
    return kelp::admin::ExitCodeFor(services.status());
  }
  return kelp::admin::RunAdmin(args, **services, std::cout, std::cerr);
}
