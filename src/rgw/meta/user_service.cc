#include "rgw/meta/user_service.h"

#include <algorithm>

#include "base/crypto.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/meta/meta_cache.h"
#include "rgw/meta/meta_list.h"
#include "rgw/meta/sysobj.h"
#include "rgw/meta/zone_service.h"
#include "store/cls/user/types.h"

namespace kelp::rgw {
namespace {

// radosgw-admin's key sizes (PUBLIC_ID_LEN, SECRET_KEY_LEN).
constexpr size_t kAccessKeyLen = 20;
constexpr size_t kSecretKeyLen = 40;

Status NoSuchUser(const User& uid) {
  return Status(Code::kNoSuchUser, "user " + uid.ToString() + " does not exist");
}

// Reads the uid an index object (users.keys/email/swift) points to; through
// `cache` when given (write-path uniqueness checks read the store).
Result<User> ReadIndex(store::ObjectStore& store, const store::ObjectId& id,
                       MetaCache* cache = nullptr) {
  if (cache) {
    ASSIGN_OR_RETURN(SysObj obj, GetSysObj(store, id, cache));
    return DecodeUid(obj.data);
  }
  std::string data;
  store::ReadOp op;
  op.Read(0, 0, &data);
  RETURN_IF_ERROR(store.Operate(id, op));
  return DecodeUid(data);
}

}  // namespace

store::ObjectId UserService::UidObject(const User& uid) const {
  return ZoneService::Id(zone_.params().user_uid_pool, uid.ToString());
}

store::ObjectId UserService::BucketsObject(const User& uid) const {
  return ZoneService::Id(zone_.params().user_uid_pool, uid.ToString() + ".buckets");
}

Status UserService::CheckIndexesFree(const UserInfo& info, const UserInfo* old) {
  auto check = [&](const Pool& pool, const std::string& name, Code code,
                   const std::string& what) -> Status {
    auto owner = ReadIndex(store_, ZoneService::Id(pool, name));
    if (!owner.ok()) return owner.status().IsNotFound() ? Status::OK() : owner.status();
    if (*owner == info.user_id) return Status::OK();  // a stale link of our own
    return Status(code, what);
  };
  for (const auto& [id, key] : info.access_keys) {
    if (old && old->access_keys.count(id)) continue;
    RETURN_IF_ERROR(check(zone_.params().user_keys_pool, id, Code::kKeyExists,
                          "existing S3 key in RGW system: " + id));
  }
  for (const auto& [id, key] : info.swift_keys) {
    if (old && old->swift_keys.count(id)) continue;
    RETURN_IF_ERROR(check(zone_.params().user_swift_pool, id, Code::kKeyExists,
                          "existing swift key in RGW system: " + id));
  }
  if (!info.user_email.empty() && (!old || old->user_email != info.user_email)) {
    RETURN_IF_ERROR(check(zone_.params().user_email_pool, info.user_email, Code::kEmailExists,
                          "email: " + info.user_email + " is the email address an existing user"));
  }
  return Status::OK();
}

// RGWSI_User_RADOS PutOperation::complete: link the new index objects, then
// drop those of the old record that are gone.
Status UserService::UpdateIndexes(const UserInfo& info, const UserInfo* old) {
  const std::string link = EncodeUid(info.user_id);
  SysObjWrite plain;
  plain.notify_pool = zone_.params().control_pool;
  plain.exclusive = false;
  plain.versioned = false;
  plain.cache = cache_;
  const auto& p = zone_.params();
  for (const auto& [id, key] : info.access_keys) {
    if (old && old->access_keys.count(id)) continue;
    RETURN_IF_ERROR(
        PutSysObj(store_, ZoneService::Id(p.user_keys_pool, id), link, {}, plain).status());
  }
  for (const auto& [id, key] : info.swift_keys) {
    if (old && old->swift_keys.count(id)) continue;
    RETURN_IF_ERROR(
        PutSysObj(store_, ZoneService::Id(p.user_swift_pool, id), link, {}, plain).status());
  }
  if (!info.user_email.empty() && (!old || old->user_email != info.user_email)) {
    RETURN_IF_ERROR(
        PutSysObj(store_, ZoneService::Id(p.user_email_pool, info.user_email), link, {}, plain)
            .status());
  }
  if (!old) return Status::OK();
  auto drop = [&](const Pool& pool, const std::string& name) -> Status {
    Status s = RemoveSysObj(store_, ZoneService::Id(pool, name), {}, zone_.params().control_pool,
                            cache_);
    return s.IsNotFound() ? Status::OK() : s;
  };
  for (const auto& [id, key] : old->access_keys) {
    if (!info.access_keys.count(id)) RETURN_IF_ERROR(drop(p.user_keys_pool, id));
  }
  for (const auto& [id, key] : old->swift_keys) {
    if (!info.swift_keys.count(id)) RETURN_IF_ERROR(drop(p.user_swift_pool, id));
  }
  if (!old->user_email.empty() && old->user_email != info.user_email) {
    RETURN_IF_ERROR(drop(p.user_email_pool, old->user_email));
  }
  return Status::OK();
}

Result<LoadedUser> UserService::Create(const UserSpec& spec) {
  if (spec.uid.empty()) return Status(Code::kInvalidArgument, "no user id specified");
  if (spec.display_name.empty()) {
    return Status(Code::kInvalidArgument, "no display name specified");
  }
  if (Get(spec.uid).ok()) {
    return Status(Code::kUserAlreadyExists, "user: " + spec.uid.ToString() + " exists");
  }
  UserInfo info;
  info.user_id = spec.uid;
  info.display_name = spec.display_name;
  info.user_email = spec.email;
  info.type = kUserTypeRgw;
  info.suspended = spec.suspended ? 1 : 0;
  info.system = spec.system ? 1 : 0;
  info.admin = spec.admin ? 1 : 0;
  if (spec.max_buckets) info.max_buckets = *spec.max_buckets;
  std::string access = spec.access_key;
  std::string secret = spec.secret_key;
  if (access.empty() && spec.gen_access_key) {
    // radosgw retries on a collision; 20 upper-case alphanumerics rarely collide.
    for (int i = 0; i < 10; ++i) {
      access = RandomUpperAlnum(kAccessKeyLen);
      auto owner = ReadIndex(store_, ZoneService::Id(zone_.params().user_keys_pool, access));
      if (!owner.ok() && owner.status().IsNotFound()) break;
    }
  }
  if (!access.empty()) {
    if (secret.empty()) {
      if (!spec.gen_secret) return Status(Code::kInvalidArgument, "no secret key specified");
      secret = RandomSecret(kSecretKeyLen);
    }
    info.access_keys[access] = AccessKey{access, secret, ""};
  }
  RETURN_IF_ERROR(CheckIndexesFree(info, nullptr));
  LoadedUser user;
  SysObjWrite how;
  how.notify_pool = zone_.params().control_pool;
  how.exclusive = true;
  how.cache = cache_;
  auto objv = PutSysObj(store_, UidObject(spec.uid), EncodeUserObject(info), {}, how);
  if (!objv.ok()) {
    if (objv.status().IsExists()) {
      return Status(Code::kUserAlreadyExists, "user: " + spec.uid.ToString() + " exists");
    }
    return objv.status();
  }
  RETURN_IF_ERROR(UpdateIndexes(info, nullptr));
  return Get(spec.uid);
}

Result<LoadedUser> UserService::Get(const User& uid) {
  auto obj = GetSysObj(store_, UidObject(uid), cache_);
  if (!obj.ok()) return obj.status().IsNotFound() ? NoSuchUser(uid) : obj.status();
  LoadedUser u;
  RETURN_IF_ERROR(
      DecodeUserObject(obj->data, &u.info).Annotate("decoding user info of " + uid.ToString()));
  u.objv = obj->objv;
  u.mtime = obj->mtime;
  u.attrs = std::move(obj->attrs);
  return u;
}

Result<LoadedUser> UserService::GetByAccessKey(const std::string& access_key) {
  auto uid = ReadIndex(store_, ZoneService::Id(zone_.params().user_keys_pool, access_key), cache_);
  if (!uid.ok()) {
    if (uid.status().IsNotFound()) {
      return Status(Code::kInvalidAccessKeyId, "access key " + access_key + " does not exist");
    }
    return uid.status();
  }
  auto user = Get(*uid);
  // A store failure (a paused cluster, a timeout) is not a bad key: the client gets a 5xx.
  if (!user.ok() && !user.status().Is(Code::kNoSuchUser) && !user.status().IsNotFound()) {
    return user.status();
  }
  // A key index left behind by a half-done update must not authenticate.
  if (!user.ok() || !user->info.access_keys.count(access_key)) {
    return Status(Code::kInvalidAccessKeyId, "access key " + access_key + " does not exist");
  }
  return user;
}

Result<LoadedUser> UserService::GetByEmail(const std::string& email) {
  auto uid = ReadIndex(store_, ZoneService::Id(zone_.params().user_email_pool, email), cache_);
  if (!uid.ok()) {
    if (uid.status().IsNotFound()) {
      return Status(Code::kNoSuchUser, "no user with email " + email);
    }
    return uid.status();
  }
  return Get(*uid);
}

Status UserService::Put(LoadedUser& user, const UserInfo* old_info) {
  RETURN_IF_ERROR(CheckIndexesFree(user.info, old_info));
  SysObjWrite how;
  how.notify_pool = zone_.params().control_pool;
  how.check = user.objv;
  how.cache = cache_;
  ASSIGN_OR_RETURN(user.objv, PutSysObj(store_, UidObject(user.info.user_id),
                                        EncodeUserObject(user.info), user.attrs, how));
  user.mtime = CephTime::Now();
  return UpdateIndexes(user.info, old_info);
}

Status UserService::Remove(const User& uid) {
  ASSIGN_OR_RETURN(LoadedUser user, Get(uid));
  bool truncated = false;
  ASSIGN_OR_RETURN(auto buckets, ListBuckets(uid, "", 1, &truncated));
  if (!buckets.empty()) {
    return Status(Code::kBucketNotEmpty, "must specify purge data to remove user with buckets");
  }
  const auto& p = zone_.params();
  auto drop = [&](const store::ObjectId& id) -> Status {
    Status s = RemoveSysObj(store_, id, {}, zone_.params().control_pool, cache_);
    return s.IsNotFound() ? Status::OK() : s;
  };
  for (const auto& [id, key] : user.info.access_keys) {
    RETURN_IF_ERROR(drop(ZoneService::Id(p.user_keys_pool, id)));
  }
  for (const auto& [id, key] : user.info.swift_keys) {
    RETURN_IF_ERROR(drop(ZoneService::Id(p.user_swift_pool, id)));
  }
  if (!user.info.user_email.empty()) {
    RETURN_IF_ERROR(drop(ZoneService::Id(p.user_email_pool, user.info.user_email)));
  }
  RETURN_IF_ERROR(drop(BucketsObject(uid)));
  return RemoveSysObj(store_, UidObject(uid), user.objv, zone_.params().control_pool, cache_);
}

Result<std::vector<std::string>> UserService::List(const std::string& marker, size_t max,
                                                   bool* truncated) {
  const Pool& pool = zone_.params().user_uid_pool;
  ASSIGN_OR_RETURN(auto names, ListNamespace(store_, pool));
  std::vector<std::string> uids;
  for (auto& n : names) {
    // The metadata lister hides the cls_user bucket lists.
    if (n.size() >= 8 && n.compare(n.size() - 8, 8, ".buckets") == 0) continue;
    uids.push_back(std::move(n));
  }
  return Page(std::move(uids), marker, max, truncated);
}

Result<LoadedUser> UserService::AddKey(const User& uid, std::string access_key,
                                       std::string secret_key) {
  ASSIGN_OR_RETURN(LoadedUser user, Get(uid));
  UserInfo old = user.info;
  if (access_key.empty()) access_key = RandomUpperAlnum(kAccessKeyLen);
  if (secret_key.empty()) secret_key = RandomSecret(kSecretKeyLen);
  user.info.access_keys[access_key] = AccessKey{access_key, secret_key, ""};
  RETURN_IF_ERROR(Put(user, &old));
  return user;
}

Result<LoadedUser> UserService::RemoveKey(const User& uid, const std::string& access_key) {
  ASSIGN_OR_RETURN(LoadedUser user, Get(uid));
  UserInfo old = user.info;
  if (!user.info.access_keys.erase(access_key)) {
    return Status(Code::kNotFound, "access key not found: " + access_key);
  }
  RETURN_IF_ERROR(Put(user, &old));
  return user;
}

Status UserService::SetSuspended(const User& uid, bool suspended) {
  ASSIGN_OR_RETURN(LoadedUser user, Get(uid));
  UserInfo old = user.info;
  user.info.suspended = suspended ? 1 : 0;
  RETURN_IF_ERROR(Put(user, &old));
  if (!buckets_) return Status::OK();
  // RGWRados::set_buckets_enabled: flag every owned bucket's instance.
  std::string marker;
  bool truncated = true;
  while (truncated) {
    ASSIGN_OR_RETURN(auto entries, ListBuckets(uid, marker, 1000, &truncated));
    for (const auto& e : entries) {
      marker = e.bucket.name;
      auto b = buckets_->Get(uid.tenant, e.bucket.name);
      if (!b.ok()) continue;  // radosgw logs and goes on with the next bucket
      uint32_t flags =
          suspended ? (b->info.flags | kBucketSuspended) : (b->info.flags & ~kBucketSuspended);
      if (flags == b->info.flags) continue;
      b->info.flags = flags;
      RETURN_IF_ERROR(buckets_->PutInfo(*b));
    }
  }
  return Status::OK();
}

Result<std::vector<store::cls::user::BucketEntry>> UserService::ListBuckets(
    const User& uid, const std::string& marker, size_t max, bool* truncated) {
  namespace cu = store::cls::user;
  cu::ListBucketsOp call;
  call.marker = marker;
  call.max_entries = static_cast<int32_t>(std::min<size_t>(max ? max : 1000, 1000));
  std::string out;
  store::ReadOp op;
  op.Exec("user", "list_buckets", EncodeToString(call), &out);
  Status st = store_.Operate(BucketsObject(uid), op);
  if (st.IsNotFound()) {  // a user who never owned a bucket has no .buckets object
    if (truncated) *truncated = false;
    return std::vector<cu::BucketEntry>{};
  }
  RETURN_IF_ERROR(st);
  cu::ListBucketsRet ret;
  RETURN_IF_ERROR(DecodeFromString(out, ret).Annotate("list_buckets reply"));
  if (truncated) *truncated = ret.truncated;
  return std::vector<cu::BucketEntry>(ret.entries.begin(), ret.entries.end());
}

Result<store::cls::user::UserHeader> UserService::GetStatsHeader(const User& uid) {
  namespace cu = store::cls::user;
  std::string out;
  store::ReadOp op;
  op.Exec("user", "get_header", EncodeToString(cu::GetHeaderOp{}), &out);
  RETURN_IF_ERROR(store_.Operate(BucketsObject(uid), op));
  cu::GetHeaderRet ret;
  RETURN_IF_ERROR(DecodeFromString(out, ret).Annotate("get_header reply"));
  return ret.header;
}

// cls_user_set_buckets_info for one entry, keyed by bucket name: add=true
// links it, add=false updates an existing entry's stats.
Status UserService::SetBucketsInfo(const User& uid, const store::cls::user::BucketEntry& entry,
                                   bool add) {
  store::cls::user::SetBucketsOp call;
  call.entries.push_back(entry);
  call.add = add;
  call.time = CephTime::Now();
  store::WriteOp op;
  op.Exec("user", "set_buckets_info", EncodeToString(call));
  return store_.Operate(BucketsObject(uid), op);
}

Status UserService::LinkBucket(const User& uid, const store::cls::user::BucketEntry& entry) {
  return SetBucketsInfo(uid, entry, /*add=*/true);
}

Status UserService::SyncBucketStats(const User& uid, const Bucket& bucket, uint64_t size,
                                    uint64_t size_rounded, uint64_t count) {
  store::cls::user::BucketEntry entry;
  entry.bucket.name = bucket.name;
  entry.bucket.marker = bucket.marker;
  entry.bucket.bucket_id = bucket.bucket_id;
  entry.size = size;
  entry.size_rounded = size_rounded;
  entry.count = count;
  return SetBucketsInfo(uid, entry, /*add=*/false);
}

Status UserService::CompleteStatsSync(const User& uid) {
  store::cls::user::CompleteStatsSyncOp call;
  call.time = CephTime::Now();
  store::WriteOp op;
  op.AssertExists();
  op.Exec("user", "complete_stats_sync", EncodeToString(call));
  return store_.Operate(BucketsObject(uid), op);
}

Status UserService::UnlinkBucket(const User& uid, const Bucket& bucket) {
  store::cls::user::RemoveBucketOp call;
  call.bucket.name = bucket.name;
  call.bucket.marker = bucket.marker;
  call.bucket.bucket_id = bucket.bucket_id;
  store::WriteOp op;
  op.AssertExists();
  op.Exec("user", "remove_bucket", EncodeToString(call));
  return store_.Operate(BucketsObject(uid), op);
}

}  // namespace kelp::rgw
