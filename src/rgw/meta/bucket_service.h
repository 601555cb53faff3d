// BucketService: bucket entrypoints and instances in default.rgw.meta:root,
// bucket attributes (the instance's xattrs: user.rgw.acl, tagging, ...), the
// sharded index objects' creation, and bucket stats from the index headers.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/types/acl.h"
#include "rgw/types/bucket_info.h"
#include "rgw/types/common.h"
#include "store/cls/version/types.h"
#include "store/object_store.h"

namespace kelp::rgw {

class ZoneService;
class UserService;
class MetaCache;

struct LoadedBucket {
  BucketEntryPoint entrypoint;
  store::cls::version::ObjVersion ep_objv;
  CephTime ep_mtime;  // of the entrypoint
  BucketInfo info;
  store::cls::version::ObjVersion objv;      // of the instance
  CephTime mtime;                            // of the instance
  std::map<std::string, std::string> attrs;  // instance xattrs (user.rgw.*)
  AccessControlPolicy acl;                   // decoded user.rgw.acl

  // Index object of shard `shard` (".dir.<bucket_id>[.<shard>]") and the
  // shard a key lands in.
  store::ObjectId IndexShard(const ZoneService& zone, uint32_t shard) const;
  uint32_t num_shards() const;
  uint32_t ShardFor(const std::string& key) const;
};

struct BucketStats {
  uint64_t num_objects = 0;   // of category rgw.main
  uint64_t size = 0;          // accounted bytes, rgw.main
  uint64_t size_rounded = 0;  // 4 KiB-rounded, rgw.main
  uint64_t size_actual = 0;   // stored bytes, rgw.main
  // Per RGWObjCategory as in radosgw-admin bucket stats ("rgw.main", ...):
  // size, size_actual, size_utilized, size_kb, size_kb_actual,
  // size_kb_utilized, num_objects.
  std::map<std::string, std::map<std::string, uint64_t>> usage;
  // Per shard, in shard order: header ver, master_ver and max_marker
  // (radosgw-admin prints them as "0#1,1#1,...").
  std::vector<uint64_t> shard_ver;
  std::vector<uint64_t> shard_master_ver;
  std::vector<std::string> shard_max_marker;
};

struct CreateBucketSpec {
  Bucket bucket;  // tenant + name; ids are generated
  User owner;
  std::string owner_display_name;
  std::string placement;  // "" = default
  AccessControlPolicy acl;
  std::map<std::string, std::string> attrs;  // extra instance xattrs
};

class BucketService {
 public:
  BucketService(store::ObjectStore& store, const ZoneService& zone, UserService& users)
      : store_(store), zone_(zone), users_(users) {}
  // The metadata cache entrypoint and instance reads go through, and writes
  // invalidate (set by Services; null = none). Index shards are never cached.
  void SetCache(MetaCache* cache) { cache_ = cache; }

  // Creates index shards, instance, entrypoint and the owner's link, in
  // radosgw's order. If the bucket exists: BucketAlreadyOwnedByYou when the
  // owner matches, else BucketAlreadyExists. The owner's max_buckets holds
  // as in RGWCreateBucket::verify_permission: < 0 AccessDenied, > 0 and
  // reached TooManyBuckets (0 = unlimited).
  Result<LoadedBucket> Create(const CreateBucketSpec& spec);
  Result<LoadedBucket> Get(const std::string& tenant, const std::string& name);  // NoSuchBucket
  // Replaces/removes instance xattrs, guarded by the instance objv.
  Status SetAttrs(LoadedBucket& bucket, const std::map<std::string, std::string>& set,
                  const std::vector<std::string>& rm);
  // Rewrites the instance (flags etc.), guarded by objv.
  Status PutInfo(LoadedBucket& bucket);
  // Removes an EMPTY bucket (BucketNotEmpty otherwise; entries of the
  // multipart/shadow namespaces do not count, as in radosgw's
  // check_bucket_empty): owner link, entrypoint, instance, index shards.
  Status Remove(LoadedBucket& bucket);
  // Remove without the emptiness check, for callers that purged the
  // objects already (the index shards still list them and go too).
  Status RemoveUnchecked(LoadedBucket& bucket);
  // True when no index shard holds an object entry (or delete marker).
  Result<bool> IsEmpty(const LoadedBucket& bucket);
  // Points the bucket at `new_owner` (radosgw-admin bucket link): entrypoint
  // and instance owner, ACL owner, cls_user links of old and new owner.
  Status Link(LoadedBucket& bucket, const User& new_owner, const std::string& display_name);
  // Reads one instance by "[tenant/]name:bucket_id" pieces (NoSuchBucket).
  Result<LoadedBucket> GetInstance(const std::string& tenant, const std::string& name,
                                   const std::string& bucket_id);
  Result<BucketStats> Stats(const LoadedBucket& bucket);
  // "tenant/name" or "name", in order, after marker (metadata list bucket).
  Result<std::vector<std::string>> List(const std::string& marker, size_t max, bool* truncated);
  // "[tenant:]name:bucket_id" keys (metadata list bucket.instance).
  Result<std::vector<std::string>> ListInstances(const std::string& marker, size_t max,
                                                 bool* truncated);

 private:
  store::ObjectId MetaId(std::string oid) const;
  Status LoadInstance(const Bucket& bucket, LoadedBucket* out);
  Status CheckMaxBuckets(const User& owner);
  Status InitIndex(const LoadedBucket& bucket);
  void RemoveIndex(const LoadedBucket& bucket);

  store::ObjectStore& store_;
  const ZoneService& zone_;
  UserService& users_;
  // The per-process counter of radosgw's bucket ids.
  std::atomic<uint64_t> next_id_{1};
  MetaCache* cache_ = nullptr;
};

}  // namespace kelp::rgw
