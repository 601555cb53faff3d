// kelp-admin quota set|enable|disable, as radosgw-admin 16.2: --bucket
// (scope "bucket" or none) writes the bucket instance's quota; --uid with
// --quota-scope=bucket the user's bucket_quota, with =user its user_quota.
// `set` changes only the limits given; `enable` also sets enabled; `disable`
// clears it. --max-size takes B/K/M/G/T (IEC) suffixes and is rounded up to
// a whole KiB; a negative limit is stored as -1 (no limit). Prints nothing.
#include <cctype>
#include <cstdlib>

#include "admin/commands.h"
#include "rgw/types/bucket_info.h"

namespace kelp::admin {
namespace {

// radosgw's strict_iec_cast: "<integer>[B|K|M|G|T|P|E]", 1K = 1024.
Result<int64_t> ParseIecSize(const std::string& s) {
  size_t end = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &end);
  } catch (...) {
    return Status(Code::kInvalidArgument, "bad --max-size '" + s + "'");
  }
  std::string unit = s.substr(end);
  if (unit.size() > 1 && (unit == "KiB" || unit == "MiB" || unit == "GiB" || unit == "TiB")) {
    unit = unit.substr(0, 1);
  }
  int shift = 0;
  if (unit.empty() || unit == "B") {
    shift = 0;
  } else if (unit.size() == 1 && std::string("KMGTPE").find(unit[0]) != std::string::npos) {
    shift = 10 * (1 + static_cast<int>(std::string("KMGTPE").find(unit[0])));
  } else {
    return Status(Code::kInvalidArgument, "bad --max-size '" + s + "': unknown unit");
  }
  if (v < 0) return int64_t{-1};
  if (shift > 0 && v > (INT64_MAX >> shift)) {
    return Status(Code::kInvalidArgument, "bad --max-size '" + s + "': too large");
  }
  return static_cast<int64_t>(v) << shift;
}

// Applies the command to one QuotaInfo (radosgw-admin's set_quota_info).
Status Apply(const std::string& verb, const AdminOptions& opt, rgw::QuotaInfo* q) {
  if (verb == "disable") {
    q->enabled = false;
    return Status::OK();
  }
  if (verb == "enable") q->enabled = true;
  if (opt.max_objects) q->max_objects = *opt.max_objects < 0 ? -1 : *opt.max_objects;
  if (opt.max_size) {
    ASSIGN_OR_RETURN(int64_t size, ParseIecSize(*opt.max_size));
    q->max_size = size < 0 ? -1 : rgw::RoundedKb(size) * 1024;
  }
  return Status::OK();
}

}  // namespace

int Quota(Ctx& c, const std::string& verb) {
  const AdminOptions& o = c.opt;
  if (o.bucket.empty() && o.uid.empty()) {
    return c.Fail("ERROR: bucket name or uid is required for quota operation", 22);
  }
  if (!o.bucket.empty()) {
    if (!o.quota_scope.empty() && o.quota_scope != "bucket") {
      return c.Fail("ERROR: invalid quota scope specification.", 22);
    }
    std::string tenant, name;
    ParseBucket(o, &tenant, &name);
    auto b = c.svc.buckets().Get(tenant, name);
    if (!b.ok()) {
      if (b.status().Is(Code::kNoSuchBucket)) return c.Fail("failure: (2) No such file or directory", 2);
      return c.Fail("failure: ", b.status());
    }
    Status st = Apply(verb, o, &b->info.quota);
    if (!st.ok()) return c.Fail("ERROR: ", st);
    st = c.svc.buckets().PutInfo(*b);
    if (!st.ok()) return c.Fail("ERROR: failed writing bucket instance info: ", st);
    return 0;
  }
  if (o.quota_scope != "bucket" && o.quota_scope != "user") {
    return c.Fail("ERROR: invalid quota scope specification. Please specify either "
                  "--quota-scope=bucket, or --quota-scope=user", 22);
  }
  auto uid = ParseUid(o);
  if (!uid.ok()) return c.Fail("ERROR: ", uid.status());
  auto user = c.svc.users().Get(*uid);
  if (!user.ok()) {
    if (user.status().Is(Code::kNoSuchUser)) return c.Fail("ERROR: could not find user", 2);
    return c.Fail("ERROR: ", user.status());
  }
  rgw::UserInfo old = user->info;
  Status st = Apply(verb, o,
                    o.quota_scope == "bucket" ? &user->info.bucket_quota : &user->info.user_quota);
  if (!st.ok()) return c.Fail("ERROR: ", st);
  st = c.svc.users().Put(*user, &old);
  if (!st.ok()) return c.Fail("ERROR: failed writing user info: ", st);
  return 0;
}

}  // namespace kelp::admin
