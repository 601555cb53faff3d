// kelp-admin gc commands (radosgw-admin's `gc list` / `gc process`):
//
//   gc list [--include-all]     the chains waiting for garbage collection,
//                               radosgw-admin's JSON (expired ones only
//                               unless --include-all)
//   gc process [--include-all]  release due chains now (all with
//                               --include-all); prints nothing, as radosgw-admin
//
// Registration (commands.cc, owned by the admin CLI): an AdminOptions flag
// `include_all` (--include-all) and the entries
//   {"gc", "list", "dump expired garbage collection objects (--include-all for all)",
//    [](Ctx& c) { return GcList(c, c.opt.include_all); }},
//   {"gc", "process", "manually process garbage (--include-all for unexpired too)",
//    [](Ctx& c) { return GcProcess(c, c.opt.include_all); }},
#pragma once

#include "admin/commands.h"
#include "rgw/object/gc.h"

namespace kelp::admin {

int GcList(Ctx& c, bool include_all);
int GcProcess(Ctx& c, bool include_all);

// radosgw-admin's JSON of one entry: {tag, time, objs: [{pool, oid, key,
// instance}]}; time as Ceph prints a real_time (local time, µs, %z).
nlohmann::ordered_json GcEntryJson(const rgw::GcEntry& e);

}  // namespace kelp::admin
