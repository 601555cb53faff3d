// kelp-admin user / key commands (radosgw-admin's RGWUserAdminOp_*).
#include <cctype>

#include "admin/commands.h"
#include "admin/purge.h"
#include "base/crypto.h"
#include "rgw/meta/quota.h"
#include "rgw/types/user_info.h"
#include "store/cls/rgw/json.h"
#include "store/cls/user/types.h"

namespace kelp::admin {
namespace {

// RGWUserAdminOpState::set_user_email: e-mail addresses are kept lower-case.
std::string LowerEmail(std::string email) {
  for (char& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return email;
}

int PrintUser(Ctx& c, const rgw::UserInfo& info) {
  c.Print(rgw::ToJson(info));
  return 0;
}

// Looks the user up by --uid, else --access-key, else --email (user info).
Result<rgw::LoadedUser> FindUser(Ctx& c) {
  if (!c.opt.uid.empty()) {
    ASSIGN_OR_RETURN(rgw::User uid, ParseUid(c.opt));
    return c.svc.users().Get(uid);
  }
  if (!c.opt.access_key.empty()) return c.svc.users().GetByAccessKey(c.opt.access_key);
  if (!c.opt.email.empty()) return c.svc.users().GetByEmail(LowerEmail(c.opt.email));
  return Status(Code::kInvalidArgument, "no user id specified");
}

}  // namespace

int UserCreate(Ctx& c) {
  const std::string prefix = "could not create user: unable to create user, ";
  if (c.opt.uid.empty()) return c.Fail("could not create user: no user id specified", 22);
  auto uid = ParseUid(c.opt);
  if (!uid.ok()) return c.Fail(prefix, uid.status());
  rgw::UserSpec spec;
  spec.uid = *uid;
  spec.display_name = c.opt.display_name;
  spec.email = LowerEmail(c.opt.email);
  spec.access_key = c.opt.access_key;
  spec.secret_key = c.opt.secret_key;
  // radosgw-admin generates an S3 key pair unless one is given.
  spec.gen_access_key = c.opt.access_key.empty();
  spec.gen_secret = c.opt.secret_key.empty();
  spec.max_buckets = c.opt.max_buckets;
  spec.system = c.opt.system;
  spec.admin = c.opt.admin;
  if (c.opt.suspended) spec.suspended = *c.opt.suspended != 0;
  auto user = c.svc.users().Create(spec);
  if (!user.ok()) return c.Fail(prefix, user.status());
  return PrintUser(c, user->info);
}

int UserInfo(Ctx& c) {
  auto user = FindUser(c);
  if (!user.ok()) {
    if (user.status().Is(Code::kNoSuchUser) || user.status().Is(Code::kInvalidAccessKeyId)) {
      return c.Fail("could not fetch user info: no user info saved", 2);
    }
    return c.Fail("could not fetch user info: ", user.status());
  }
  return PrintUser(c, user->info);
}

int UserModify(Ctx& c) {
  const std::string prefix = "could not modify user: unable to modify user, ";
  auto user = FindUser(c);
  if (!user.ok()) {
    if (user.status().Is(Code::kNoSuchUser)) return c.Fail(prefix + "user not found", 2);
    return c.Fail(prefix, user.status());
  }
  rgw::UserInfo old = user->info;
  rgw::UserInfo& info = user->info;
  if (!c.opt.display_name.empty()) info.display_name = c.opt.display_name;
  if (!c.opt.email.empty()) info.user_email = LowerEmail(c.opt.email);
  if (c.opt.max_buckets) info.max_buckets = *c.opt.max_buckets;
  if (c.opt.system) info.system = 1;
  if (c.opt.admin) info.admin = 1;
  if (!c.opt.access_key.empty() && (!c.opt.secret_key.empty() || c.opt.gen_secret)) {
    // Modifying a key: set (or generate) the secret of --access-key.
    auto it = info.access_keys.find(c.opt.access_key);
    if (it == info.access_keys.end()) {
      return c.Fail(prefix + "access key " + c.opt.access_key + " does not belong to the user", 22);
    }
    it->second.key = c.opt.secret_key.empty() ? RandomSecret(40) : c.opt.secret_key;
  }
  bool suspend_changed = false;
  if (c.opt.suspended) {
    uint8_t s = *c.opt.suspended ? 1 : 0;
    suspend_changed = s != info.suspended;
  }
  Status st = c.svc.users().Put(*user, &old);
  if (!st.ok()) return c.Fail(prefix, st);
  if (suspend_changed) {
    st = c.svc.users().SetSuspended(info.user_id, *c.opt.suspended != 0);
    if (!st.ok()) return c.Fail(prefix, st);
    auto again = c.svc.users().Get(info.user_id);
    if (!again.ok()) return c.Fail(prefix, again.status());
    return PrintUser(c, again->info);
  }
  return PrintUser(c, info);
}

int UserRm(Ctx& c) {
  const std::string prefix = "could not remove user: unable to remove user, ";
  auto uid = ParseUid(c.opt);
  if (!uid.ok() || uid->empty()) return c.Fail(prefix + "no user id specified", 22);
  if (c.opt.purge_data) {
    // Remove every bucket the user owns first (radosgw-admin --purge-data).
    bool truncated = true;
    while (truncated) {
      auto list = c.svc.users().ListBuckets(*uid, "", 1000, &truncated);
      if (!list.ok() || list->empty()) break;
      for (const auto& e : *list) {
        auto b = c.svc.buckets().Get(uid->tenant, e.bucket.name);
        if (!b.ok()) {  // a dangling link: drop it
          rgw::Bucket gone;
          gone.tenant = uid->tenant;
          gone.name = e.bucket.name;
          (void)c.svc.users().UnlinkBucket(*uid, gone);
          continue;
        }
        Status st = PurgeBucketObjects(c.svc, *b);
        if (st.ok()) st = c.svc.buckets().RemoveUnchecked(*b);
        if (!st.ok()) return c.Fail(prefix, st);
      }
    }
  }
  Status st = c.svc.users().Remove(*uid);
  if (st.Is(Code::kNoSuchUser)) return c.Fail(prefix + "user does not exist", 2);
  if (st.Is(Code::kBucketNotEmpty)) {
    return c.Fail(prefix + "must specify purge data to remove user with buckets", 39);
  }
  if (!st.ok()) return c.Fail(prefix, st);
  return 0;
}

int UserList(Ctx& c) {
  bool truncated = false;
  auto list = c.svc.users().List(c.opt.marker, c.opt.max_entries ? size_t(*c.opt.max_entries) : 0,
                                 &truncated);
  if (!list.ok()) return c.Fail("could not list users: ", list.status());
  c.Print(nlohmann::json(*list));
  return 0;
}

int UserSuspend(Ctx& c, bool suspend) {
  const std::string prefix = std::string("could not ") + (suspend ? "suspend" : "enable") +
                             " user: unable to modify user, ";
  auto uid = ParseUid(c.opt);
  if (!uid.ok() || uid->empty()) return c.Fail(prefix + "no user id specified", 22);
  Status st = c.svc.users().SetSuspended(*uid, suspend);
  if (st.Is(Code::kNoSuchUser)) return c.Fail(prefix + "user not found", 2);
  if (!st.ok()) return c.Fail(prefix, st);
  auto user = c.svc.users().Get(*uid);
  if (!user.ok()) return c.Fail(prefix, user.status());
  return PrintUser(c, user->info);
}

// radosgw-admin user stats [--sync-stats]: the cls_user header, after
// writing every bucket's current totals into it with --sync-stats.
int UserStats(Ctx& c) {
  auto uid = ParseUid(c.opt);
  if (!uid.ok() || uid->empty()) return c.Fail("ERROR: uid not specified", 22);
  if (c.opt.sync_stats) {
    // rgw_user_sync_all_stats: every bucket's totals into the header.
    std::string marker;
    bool truncated = true;
    bool any = false;
    while (truncated) {
      auto list = c.svc.users().ListBuckets(*uid, marker, 1000, &truncated);
      if (!list.ok()) {
        if (list.status().IsNotFound()) break;
        return c.Fail("ERROR: failed to sync user stats: ", list.status());
      }
      for (const auto& e : *list) {
        marker = e.bucket.name;
        auto b = c.svc.buckets().GetInstance(uid->tenant, e.bucket.name, e.bucket.bucket_id);
        if (!b.ok()) continue;  // removed meanwhile
        Status st = rgw::SyncUserStats(c.svc.buckets(), c.svc.users(), *b);
        if (!st.ok()) return c.Fail("ERROR: failed to sync user stats: ", st);
        any = true;
      }
      if (list->empty()) break;
    }
    if (any) {
      Status st = c.svc.users().CompleteStatsSync(*uid);
      if (!st.ok()) return c.Fail("ERROR: failed to sync user stats: ", st);
    }
  }
  auto header = c.svc.users().GetStatsHeader(*uid);
  if (!header.ok()) {
    if (header.status().IsNotFound()) {
      return c.Fail("User has not been initialized or user does not exist", 2);
    }
    return c.Fail("ERROR: can't read user header: ", header.status());
  }
  const auto& st = header->stats;
  nlohmann::ordered_json j;
  j["stats"] = {{"size", st.total_bytes},
                {"size_actual", st.total_bytes_rounded},
                {"size_kb", rgw::RoundedKb(st.total_bytes)},
                {"size_kb_actual", rgw::RoundedKb(st.total_bytes_rounded)},
                {"num_objects", st.total_entries}};
  j["last_stats_sync"] = store::cls::rgw::FormatUtime(header->last_stats_sync);
  j["last_stats_update"] = store::cls::rgw::FormatUtime(header->last_stats_update);
  c.out << DumpRawJson(j) << "\n";
  return 0;
}

int KeyCreate(Ctx& c) {
  const std::string prefix = "could not create key: unable to add access key, ";
  auto uid = ParseUid(c.opt);
  if (!uid.ok() || uid->empty()) return c.Fail(prefix + "no user id specified", 22);
  if (c.opt.key_type != "s3") return c.Fail(prefix + "only S3 keys are supported", 22);
  if (c.opt.access_key.empty() && !c.opt.gen_access_key && !c.opt.secret_key.empty()) {
    return c.Fail(prefix + "access key id required with a secret key", 22);
  }
  auto user = c.svc.users().AddKey(*uid, c.opt.access_key, c.opt.secret_key);
  if (!user.ok()) {
    if (user.status().Is(Code::kNoSuchUser)) return c.Fail(prefix + "user not found", 2);
    return c.Fail(prefix, user.status());
  }
  return PrintUser(c, user->info);
}

int KeyRm(Ctx& c) {
  const std::string prefix = "could not remove key: unable to remove access key, ";
  if (c.opt.access_key.empty()) return c.Fail(prefix + "access key id not specified", 22);
  rgw::User uid;
  if (!c.opt.uid.empty()) {
    auto parsed = ParseUid(c.opt);
    if (!parsed.ok()) return c.Fail(prefix, parsed.status());
    uid = *parsed;
  } else {
    auto owner = c.svc.users().GetByAccessKey(c.opt.access_key);
    if (!owner.ok()) return c.Fail(prefix + "unable to find access key", 2);
    uid = owner->info.user_id;
  }
  auto user = c.svc.users().RemoveKey(uid, c.opt.access_key);
  if (!user.ok()) {
    if (user.status().Is(Code::kNoSuchUser)) return c.Fail(prefix + "user not found", 2);
    if (user.status().IsNotFound()) return c.Fail(prefix + "unable to find access key", 2);
    return c.Fail(prefix, user.status());
  }
  return PrintUser(c, user->info);
}

}  // namespace kelp::admin
