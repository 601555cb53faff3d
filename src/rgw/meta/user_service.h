// UserService: users and their keys, as radosgw 16.2 stores them
// (default.rgw.meta: users.uid/<uid> = RGWUID + RGWUserInfo with cls_version,
// users.keys/<access key>, users.email/<email>, users.swift/<subuser> index
// objects holding RGWUID, and users.uid/<uid>.buckets managed by cls_user).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/types/common.h"
#include "rgw/types/user_info.h"
#include "store/cls/user/types.h"
#include "store/cls/version/types.h"
#include "store/object_store.h"

namespace kelp::rgw {

class ZoneService;
class BucketService;
class MetaCache;

// A user as read from the store, with what a later write must check.
struct LoadedUser {
  UserInfo info;
  store::cls::version::ObjVersion objv;
  CephTime mtime;
  std::map<std::string, std::string> attrs;  // xattrs of users.uid/<uid>
};

struct UserSpec {
  User uid;
  std::string display_name;
  std::string email;
  std::string access_key;  // "" + gen_access_key => generated
  std::string secret_key;  // "" + gen_secret => generated
  bool gen_access_key = true;
  bool gen_secret = true;
  std::optional<int32_t> max_buckets;
  bool suspended = false;
  bool system = false;
  bool admin = false;
};

class UserService {
 public:
  UserService(store::ObjectStore& store, const ZoneService& zone) : store_(store), zone_(zone) {}
  // The bucket service SetSuspended flags buckets through (set by Services).
  void SetBucketService(BucketService* buckets) { buckets_ = buckets; }
  // The metadata cache reads of users and key/email index objects go
  // through, and writes invalidate (set by Services; null = none).
  void SetCache(MetaCache* cache) { cache_ = cache; }

  // Fails with UserAlreadyExists / KeyExists / EmailExists like radosgw-admin.
  Result<LoadedUser> Create(const UserSpec& spec);
  Result<LoadedUser> Get(const User& uid);                           // NoSuchUser
  Result<LoadedUser> GetByAccessKey(const std::string& access_key);  // InvalidAccessKeyId
  Result<LoadedUser> GetByEmail(const std::string& email);           // NoSuchUser
  // Writes `user.info` guarded by `user.objv` (Canceled if changed since it
  // was read) and updates the key/email/swift index objects that changed.
  Status Put(LoadedUser& user, const UserInfo* old_info);
  // Removes the user and its index objects (radosgw's order: keys, swift
  // keys, email, the .buckets object, then users.uid/<uid>). Fails with
  // kBucketNotEmpty if the user still owns buckets (purging is the caller's).
  Status Remove(const User& uid);
  // Text uids ("tenant$id"), in order, after `marker`.
  Result<std::vector<std::string>> List(const std::string& marker, size_t max, bool* truncated);

  Result<LoadedUser> AddKey(const User& uid, std::string access_key, std::string secret_key);
  Result<LoadedUser> RemoveKey(const User& uid, const std::string& access_key);
  // Suspends/enables the user and sets/clears flag SUSPENDED on its buckets.
  Status SetSuspended(const User& uid, bool suspended);

  // cls_user bucket list of a user (users.uid/<uid>.buckets).
  Result<std::vector<store::cls::user::BucketEntry>> ListBuckets(const User& uid,
                                                                 const std::string& marker,
                                                                 size_t max, bool* truncated);
  Status LinkBucket(const User& uid, const store::cls::user::BucketEntry& entry);
  // cls_user get_header of users.uid/<uid>.buckets (NotFound when the user
  // never owned a bucket, as radosgw-admin user stats reports).
  Result<store::cls::user::UserHeader> GetStatsHeader(const User& uid);
  // Writes a bucket's current totals into its entry of the owner's bucket
  // list, moving the header by the difference (cls_user_set_buckets_info
  // with add=false, as radosgw's user stats sync). An unlinked bucket is
  // skipped by the object class.
  Status SyncBucketStats(const User& uid, const Bucket& bucket, uint64_t size,
                         uint64_t size_rounded, uint64_t count);
  // Stamps the header's last_stats_sync (cls_user_complete_stats_sync).
  Status CompleteStatsSync(const User& uid);
  Status UnlinkBucket(const User& uid, const Bucket& bucket);

 private:
  store::ObjectId UidObject(const User& uid) const;
  store::ObjectId BucketsObject(const User& uid) const;
  Status SetBucketsInfo(const User& uid, const store::cls::user::BucketEntry& entry, bool add);
  // Index objects of `info` that `old` lacks are created (exclusively, after
  // checking they are free), those only `old` has are removed.
  Status CheckIndexesFree(const UserInfo& info, const UserInfo* old);
  Status UpdateIndexes(const UserInfo& info, const UserInfo* old);

  store::ObjectStore& store_;
  const ZoneService& zone_;
  BucketService* buckets_ = nullptr;
  MetaCache* cache_ = nullptr;
};

}  // namespace kelp::rgw
