// kelp-admin metadata list / get (radosgw-admin's RGWMetadataManager views) and
// zone / zonegroup get.
#include "admin/commands.h"
#include "rgw/types/bucket_info.h"
#include "rgw/types/user_info.h"
#include "rgw/types/zone.h"

namespace kelp::admin {
namespace {

const std::vector<std::string> kSections = {"bucket", "bucket.instance", "otp", "user"};

int NoKey(Ctx& c) { return c.Fail("ERROR: can't get key: (2) No such file or directory", 2); }

// "[tenant/]name" -> tenant, name.
void SplitBucketKey(const std::string& key, std::string* tenant, std::string* name) {
  auto slash = key.find('/');
  if (slash == std::string::npos) {
    tenant->clear();
    *name = key;
  } else {
    *tenant = key.substr(0, slash);
    *name = key.substr(slash + 1);
  }
}

}  // namespace

int ZoneGet(Ctx& c) {
  c.Print(rgw::ToJson(c.svc.zone().params()));
  return 0;
}

int ZoneGroupGet(Ctx& c) {
  c.Print(rgw::ToJson(c.svc.zone().zonegroup()));
  return 0;
}

int MetadataList(Ctx& c) {
  if (c.opt.positional.empty()) {
    c.Print(nlohmann::json(kSections));
    return 0;
  }
  const std::string& section = c.opt.positional[0];
  Result<std::vector<std::string>> list = std::vector<std::string>{};
  if (section == "user") {
    list = c.svc.users().List("", 0, nullptr);
  } else if (section == "bucket") {
    list = c.svc.buckets().List("", 0, nullptr);
  } else if (section == "bucket.instance") {
    list = c.svc.buckets().ListInstances("", 0, nullptr);
  } else if (section != "otp") {
    return c.Fail("ERROR: can't list key: (2) No such file or directory", 2);
  }
  if (!list.ok()) return c.Fail("ERROR: can't list key: ", list.status());
  c.Print(nlohmann::json(*list));
  return 0;
}

int MetadataGet(Ctx& c) {
  if (c.opt.positional.empty()) return c.Fail("ERROR: missing metadata key", 22);
  const std::string& arg = c.opt.positional[0];
  auto colon = arg.find(':');
  if (colon == std::string::npos) return NoKey(c);
  std::string section = arg.substr(0, colon);
  std::string key = arg.substr(colon + 1);
  if (section == "user") {
    auto user = c.svc.users().Get(rgw::User::FromString(key));
    if (!user.ok()) return NoKey(c);
    c.Print(
        rgw::ToJsonMetadata(user->info, user->objv.tag, user->objv.ver, user->mtime, user->attrs));
    return 0;
  }
  if (section == "bucket") {
    std::string tenant, name;
    SplitBucketKey(key, &tenant, &name);
    auto b = c.svc.buckets().Get(tenant, name);
    if (!b.ok()) return NoKey(c);
    c.Print(rgw::ToJsonMetadata(b->entrypoint, b->ep_objv.tag, b->ep_objv.ver, b->ep_mtime));
    return 0;
  }
  if (section == "bucket.instance") {
    // "[tenant/]name:bucket_id" (radosgw also accepts "tenant:name:id").
    auto last = key.rfind(':');
    if (last == std::string::npos) return NoKey(c);
    std::string bucket_key = key.substr(0, last);
    std::string id = key.substr(last + 1);
    auto first = bucket_key.find(':');
    if (first != std::string::npos) bucket_key[first] = '/';
    std::string tenant, name;
    SplitBucketKey(bucket_key, &tenant, &name);
    auto b = c.svc.buckets().GetInstance(tenant, name, id);
    if (!b.ok()) return NoKey(c);
    c.Print(rgw::ToJsonMetadata(b->info, b->objv.tag, b->objv.ver, b->mtime, b->attrs));
    return 0;
  }
  return NoKey(c);
}

}  // namespace kelp::admin
