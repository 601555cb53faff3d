// kelp-admin's commands as a library: radosgw-admin's command set, flags and
// JSON output over the rgw services, runnable from the kelp-admin binary and
// in-process by kelpd (through the admin socket, see admin_socket.h).
//
//   std::ostringstream out, err;
//   int rc = RunAdmin({"user", "info", "--uid", "tester"}, services, out, err);
//
// Exit codes are radosgw-admin's: 0 on success, else the errno of the failure
// (2 ENOENT, 17 EEXIST, 22 EINVAL, 39 ENOTEMPTY, ...); the message goes to `err`.
//
// Thread-safety: RunAdmin may run concurrently on distinct streams.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/services.h"

namespace kelp::admin {

// Runs one command; `args` is argv without the program name and without
// `--data DIR` (the caller opened the store). `store import-dump` is refused
// here: it must run on a store nothing else uses (see RunImportDump).
int RunAdmin(const std::vector<std::string>& args, rgw::Services& services, std::ostream& out,
             std::ostream& err);
// The same for the kelp-admin binary: `in` is its stdin (`object put
// --infile -`) and `out` may receive object data (`object get`). The
// four-argument form (kelpd's admin socket) refuses object put/get, whose
// data must stream rather than be buffered.
int RunAdmin(const std::vector<std::string>& args, rgw::Services& services, std::istream& in,
             std::ostream& out, std::ostream& err);

// True when `args` is `object put` or `object get` (commands that stream
// object data through stdin/stdout and so cannot be forwarded to kelpd).
bool IsStreamingCommand(const std::vector<std::string>& args);

// `store import-dump DUMP_DIR` on a freshly opened store, before any
// Services::Init (which would create a zone of its own). Refuses a store
// whose .rgw.root already holds objects.
int RunImportDump(const std::vector<std::string>& args, store::ObjectStore& store,
                  std::ostream& out, std::ostream& err);

// True when `args` is a `store import-dump` command.
bool IsImportDump(const std::vector<std::string>& args);

// radosgw-admin's exit code for a failed Status (an errno value).
int ExitCodeFor(const Status& s);

}  // namespace kelp::admin
