// BucketService: bucket entrypoints and instances in default.rgw.meta:root,
// bucket attributes (the instance's xattrs: user.rgw.acl, tagging, ...), the
// sharded index objects' creation, and bucket stats from the index headers.
#pragma once

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

struct LoadedBucket {
  BucketEntryPoint entrypoint;
  store::cls::version::ObjVersion ep_objv;
  BucketInfo info;
  store::cls::version::ObjVersion objv;  // of the instance
  CephTime mtime;                         // of the instance
  std::map<std::string, std::string> attrs;  // instance xattrs (user.rgw.*)
  AccessControlPolicy acl;                   // decoded user.rgw.acl

  // Index object of shard `shard` (".dir.<bucket_id>[.<shard>]") and the
  // shard a key lands in.
  store::ObjectId IndexShard(const ZoneService& zone, uint32_t shard) const;
  uint32_t num_shards() const;
  uint32_t ShardFor(const std::string& key) const;
};

struct BucketStats {
  uint64_t num_objects = 0;
  uint64_t size = 0;
  uint64_t size_rounded = 0;
  uint64_t size_actual = 0;
  // Per RGWObjCategory as in radosgw-admin bucket stats ("rgw.main", ...).
  std::map<std::string, std::map<std::string, uint64_t>> usage;
};

struct CreateBucketSpec {
  Bucket bucket;          // tenant + name; ids are generated
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

  // Creates index shards, instance, entrypoint and the owner's link, in
  // radosgw's order. If the bucket exists: BucketAlreadyOwnedByYou when the
  // owner matches (and returns it), else BucketAlreadyExists.
  Result<LoadedBucket> Create(const CreateBucketSpec& spec);
  Result<LoadedBucket> Get(const std::string& tenant, const std::string& name);  // NoSuchBucket
  // Replaces/removes instance xattrs, guarded by the instance objv.
  Status SetAttrs(LoadedBucket& bucket, const std::map<std::string, std::string>& set,
                  const std::vector<std::string>& rm);
  // Rewrites the instance (flags etc.), guarded by objv.
  Status PutInfo(LoadedBucket& bucket);
  // Removes an EMPTY bucket (BucketNotEmpty otherwise): index shards,
  // instance, entrypoint, owner link.
  Status Remove(LoadedBucket& bucket);
  Result<BucketStats> Stats(const LoadedBucket& bucket);
  // "tenant/name" or "name", in order, after marker (metadata list bucket).
  Result<std::vector<std::string>> List(const std::string& marker, size_t max, bool* truncated);
  // "[tenant:]name:bucket_id" keys (metadata list bucket.instance).
  Result<std::vector<std::string>> ListInstances(const std::string& marker, size_t max,
                                                 bool* truncated);

 private:
  store::ObjectStore& store_;
  const ZoneService& zone_;
  UserService& users_;
};

}  // namespace kelp::rgw
