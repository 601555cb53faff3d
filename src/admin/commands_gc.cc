#include "admin/commands_gc.h"

#include <fmt/format.h>

#include <ctime>

#include "rgw/object/gc.h"

namespace kelp::admin {
namespace {

// operator<<(ostream&, real_time) in common/ceph_time.cc.
std::string CephTimeText(const CephTime& t) {
  time_t tt = t.sec;
  struct tm bdt;
  localtime_r(&tt, &bdt);
  char tz[32] = {0};
  strftime(tz, sizeof(tz), "%z", &bdt);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}{}", bdt.tm_year + 1900,
                     bdt.tm_mon + 1, bdt.tm_mday, bdt.tm_hour, bdt.tm_min, bdt.tm_sec,
                     t.nsec / 1000, tz);
}

}  // namespace

nlohmann::ordered_json GcEntryJson(const rgw::GcEntry& e) {
  nlohmann::ordered_json objs = nlohmann::ordered_json::array();
  for (const auto& o : e.chain) {
    // cls_rgw_obj::dump: the locator is printed as "key".
    objs.push_back(
        {{"pool", o.pool}, {"oid", o.key.name}, {"key", o.loc}, {"instance", o.key.instance}});
  }
  return {{"tag", e.tag}, {"time", CephTimeText(e.time)}, {"objs", std::move(objs)}};
}

int GcList(Ctx& c, bool include_all) {
  auto entries = rgw::GcQueue(c.svc).List(/*expired_only=*/!include_all);
  if (!entries.ok()) return c.Fail("ERROR: failed to list objs: ", entries.status());
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : *entries) out.push_back(GcEntryJson(e));
  c.out << DumpRawJson(out) << "\n";
  return 0;
}

int GcProcess(Ctx& c, bool include_all) {
  auto r = rgw::GcQueue(c.svc).Process(/*expired_only=*/!include_all);
  if (!r.ok()) return c.Fail("ERROR: gc processing returned error: ", r.status());
  return 0;
}

}  // namespace kelp::admin
