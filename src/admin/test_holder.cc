// Test stand-in for kelpd in admin_cli_test.sh: opens the store in DIR (so
// kelp-admin gets kBusy), serves DIR/kelpd.sock with RunAdmin and prints
// "ready" once serving; exits on SIGTERM/SIGINT.
#include <csignal>
#include <iostream>

#include "admin/admin.h"
#include "admin/admin_socket.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kelp-admin-test-holder DIR\n";
    return 2;
  }
  std::string dir = argv[1];
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // the server thread inherits the mask
  auto store = kelp::store::embedded::OpenEmbeddedStore(dir);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  auto services = kelp::rgw::Services::Init(**store);
  if (!services.ok()) {
    std::cerr << services.status().ToString() << "\n";
    return 1;
  }
  kelp::rgw::Services* svc = services->get();
  auto server = kelp::admin::AdminSocketServer::Start(
      dir + "/kelpd.sock",
      [svc](const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
        return kelp::admin::RunAdmin(args, *svc, out, err);
      });
  if (!server.ok()) {
    std::cerr << server.status().ToString() << "\n";
    return 1;
  }
  std::cout << "ready" << std::endl;
  int sig;
  sigwait(&set, &sig);
  (*server)->Stop();
  return 0;
}
