#include "rgw/meta/bucket_service.h"

#include "base/ceph_hash.h"
#include "rgw/meta/meta_cache.h"
#include "rgw/meta/meta_list.h"
#include "rgw/meta/sysobj.h"
#include "rgw/meta/user_service.h"
#include "rgw/meta/zone_service.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/types.h"

namespace kelp::rgw {
namespace {

constexpr char kInstancePrefix[] = ".bucket.meta.";
constexpr char kAclXattr[] = "user.rgw.acl";

Status NoSuchBucket(const std::string& tenant, const std::string& name) {
  return Status(Code::kNoSuchBucket,
                "bucket " + (tenant.empty() ? name : tenant + "/" + name) + " does not exist");
}

store::cls::user::BucketEntry UserEntry(const BucketInfo& info) {
  store::cls::user::BucketEntry e;
  e.bucket.name = info.bucket.name;
  e.bucket.marker = info.bucket.marker;
  e.bucket.bucket_id = info.bucket.bucket_id;
  e.creation_time = info.creation_time;
  return e;
}

}  // namespace

store::ObjectId LoadedBucket::IndexShard(const ZoneService& zone, uint32_t shard) const {
  Pool pool = info.bucket.explicit_placement.index_pool;
  if (pool.empty()) {
    auto placement = zone.Placement(info.placement_rule.name);
    pool = placement.ok() ? placement->index_pool : Pool{"default.rgw.buckets.index", ""};
  }
  std::string oid = ".dir." + info.bucket.bucket_id;
  if (num_shards() > 0) oid += "." + std::to_string(shard);
  return ZoneService::Id(pool, std::move(oid));
}

uint32_t LoadedBucket::num_shards() const { return info.num_shards(); }

uint32_t LoadedBucket::ShardFor(const std::string& key) const {
  return BucketIndexShard(key, num_shards());
}

store::ObjectId BucketService::MetaId(std::string oid) const {
  return ZoneService::Id(zone_.params().domain_root, std::move(oid));
}

Status BucketService::InitIndex(const LoadedBucket& bucket) {
  uint32_t n = std::max<uint32_t>(bucket.num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    // cls_rgw_bucket_init_index: create(exclusive) + rgw.bucket_init_index.
    store::WriteOp op;
    op.Create(true);
    op.Exec("rgw", "bucket_init_index", "");
    RETURN_IF_ERROR(store_.Operate(bucket.IndexShard(zone_, s), op));
  }
  return Status::OK();
}

void BucketService::RemoveIndex(const LoadedBucket& bucket) {
  uint32_t n = std::max<uint32_t>(bucket.num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    store::WriteOp op;
    op.Remove(/*failok=*/true);
    (void)store_.Operate(bucket.IndexShard(zone_, s), op);  // radosgw ignores these errors too
  }
}

Result<LoadedBucket> BucketService::Create(const CreateBucketSpec& spec) {
  if (spec.bucket.name.empty()) return Status(Code::kInvalidBucketName, "empty bucket name");
  auto existing = Get(spec.bucket.tenant, spec.bucket.name);
  if (existing.ok()) {
    if (existing->info.owner == spec.owner) {
      return Status(Code::kBucketAlreadyOwnedByYou, spec.bucket.GetKey() + " is yours already");
    }
    return Status(Code::kBucketAlreadyExists, spec.bucket.GetKey() + " exists");
  }
  if (!existing.status().Is(Code::kNoSuchBucket)) return existing.status();
  RETURN_IF_ERROR(CheckMaxBuckets(spec.owner));
  std::string rule = spec.placement.empty() ? zone_.default_placement() : spec.placement;
  if (!zone_.Placement(rule).ok()) {
    return Status(Code::kInvalidArgument, "placement rule " + rule + " does not exist");
  }

  LoadedBucket b;
  BucketInfo& info = b.info;
  info.bucket.tenant = spec.bucket.tenant;
  info.bucket.name = spec.bucket.name;
  info.owner = spec.owner;
  info.zonegroup = zone_.zonegroup().id();
  info.creation_time = CephTime::Now();
  info.placement_rule = PlacementRule{rule, ""};
  info.layout = MakeDefaultBucketLayout(zone_.bucket_index_max_shards());
  b.acl = spec.acl;
  b.attrs = spec.attrs;
  b.attrs[kAclXattr] = EncodeToString(spec.acl);

  // RGWRados::create_bucket: index shards, then the instance (exclusive);
  // an id collision (another process with our instance id) takes the next.
  Status put;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string id = zone_.zone_id() + "." + std::to_string(store_.InstanceId()) + "." +
                     std::to_string(next_id_++);
    info.bucket.marker = info.bucket.bucket_id = id;
    put = InitIndex(b);
    if (put.IsExists()) continue;
    if (!put.ok()) {
      RemoveIndex(b);
      return put;
    }
    SysObjWrite how;
    how.notify_pool = zone_.params().control_pool;
    how.cache = cache_;
    how.exclusive = true;
    how.mtime = info.creation_time;
    auto objv = PutSysObj(store_, MetaId(BucketInstanceOid(info.bucket)), EncodeToString(info),
                          b.attrs, how);
    if (!objv.ok()) {
      RemoveIndex(b);
      if (objv.status().IsExists()) continue;
      return objv.status();
    }
    b.objv = *objv;
    b.mtime = info.creation_time;
    break;
  }
  if (!put.ok()) return put;

  // The entrypoint, exclusive with a fresh objv: whoever creates it first owns the name.
  b.entrypoint.bucket = info.bucket;
  b.entrypoint.owner = spec.owner;
  b.entrypoint.creation_time = info.creation_time;
  b.entrypoint.linked = true;
  SysObjWrite ep_how;
  ep_how.notify_pool = zone_.params().control_pool;
  ep_how.cache = cache_;
  ep_how.exclusive = true;
  auto ep_objv = PutSysObj(store_, MetaId(BucketEntryPointOid(info.bucket)),
                           EncodeToString(b.entrypoint), {}, ep_how);
  if (!ep_objv.ok()) {
    (void)RemoveSysObj(store_, MetaId(BucketInstanceOid(info.bucket)), {},
                       zone_.params().control_pool, cache_);
    RemoveIndex(b);
    if (!ep_objv.status().IsExists()) return ep_objv.status();
    auto winner = Get(spec.bucket.tenant, spec.bucket.name);
    if (winner.ok() && winner->info.owner == spec.owner) {
      return Status(Code::kBucketAlreadyOwnedByYou, spec.bucket.GetKey() + " is yours already");
    }
    return Status(Code::kBucketAlreadyExists, spec.bucket.GetKey() + " exists");
  }
  b.ep_objv = *ep_objv;
  b.ep_mtime = CephTime::Now();
  RETURN_IF_ERROR(users_.LinkBucket(spec.owner, UserEntry(info)));
  return b;
}

Status BucketService::CheckMaxBuckets(const User& owner) {
  auto user = users_.Get(owner);
  if (!user.ok()) return user.status().Is(Code::kNoSuchUser) ? Status::OK() : user.status();
  int32_t max = user->info.max_buckets;
  if (max < 0) return Status(Code::kAccessDenied, "user may not create buckets");
  if (max == 0) return Status::OK();
  bool truncated = false;
  ASSIGN_OR_RETURN(auto owned, users_.ListBuckets(owner, "", static_cast<size_t>(max), &truncated));
  if (owned.size() >= static_cast<size_t>(max)) {
    return Status(Code::kTooManyBuckets, "You have attempted to create more buckets than allowed");
  }
  return Status::OK();
}

Status BucketService::LoadInstance(const Bucket& bucket, LoadedBucket* out) {
  auto obj = GetSysObj(store_, MetaId(BucketInstanceOid(bucket)), cache_);
  if (!obj.ok()) {
    return obj.status().IsNotFound() ? NoSuchBucket(bucket.tenant, bucket.name) : obj.status();
  }
  Decoder d(obj->data);
  Decode(d, out->info);
  RETURN_IF_ERROR(d.status().Annotate("bucket instance " + bucket.GetInstanceKey()));
  out->objv = obj->objv;
  out->mtime = obj->mtime;
  out->attrs = std::move(obj->attrs);
  auto acl = out->attrs.find(kAclXattr);
  if (acl != out->attrs.end()) {
    RETURN_IF_ERROR(DecodeFromString(acl->second, out->acl).Annotate("bucket ACL"));
  }
  return Status::OK();
}

Result<LoadedBucket> BucketService::Get(const std::string& tenant, const std::string& name) {
  Bucket key;
  key.tenant = tenant;
  key.name = name;
  auto ep = GetSysObj(store_, MetaId(BucketEntryPointOid(key)), cache_);
  if (!ep.ok()) return ep.status().IsNotFound() ? NoSuchBucket(tenant, name) : ep.status();
  LoadedBucket b;
  Decoder d(ep->data);
  Decode(d, b.entrypoint);
  RETURN_IF_ERROR(d.status().Annotate("bucket entrypoint " + key.GetKey()));
  b.ep_objv = ep->objv;
  b.ep_mtime = ep->mtime;
  if (b.entrypoint.has_bucket_info && b.entrypoint.old_bucket_info) {
    // A pre-instance (v<8) entrypoint carries the bucket info itself.
    b.info = *b.entrypoint.old_bucket_info;
    b.objv = ep->objv;
    b.mtime = ep->mtime;
    b.attrs = ep->attrs;
    return b;
  }
  RETURN_IF_ERROR(LoadInstance(b.entrypoint.bucket, &b));
  return b;
}

Result<LoadedBucket> BucketService::GetInstance(const std::string& tenant, const std::string& name,
                                                const std::string& bucket_id) {
  LoadedBucket b;
  Bucket key;
  key.tenant = tenant;
  key.name = name;
  key.bucket_id = bucket_id;
  RETURN_IF_ERROR(LoadInstance(key, &b));
  return b;
}

Status BucketService::SetAttrs(LoadedBucket& bucket, const std::map<std::string, std::string>& set,
                               const std::vector<std::string>& rm) {
  for (const auto& name : rm) bucket.attrs.erase(name);
  for (const auto& [k, v] : set) bucket.attrs[k] = v;
  auto acl = set.find(kAclXattr);
  if (acl != set.end()) RETURN_IF_ERROR(DecodeFromString(acl->second, bucket.acl));
  return PutInfo(bucket);
}

// radosgw rewrites the whole instance (data + every attr) on any change.
Status BucketService::PutInfo(LoadedBucket& bucket) {
  SysObjWrite how;
  how.notify_pool = zone_.params().control_pool;
  how.cache = cache_;
  how.check = bucket.objv;
  CephTime now = CephTime::Now();
  how.mtime = now;
  ASSIGN_OR_RETURN(bucket.objv, PutSysObj(store_, MetaId(BucketInstanceOid(bucket.info.bucket)),
                                          EncodeToString(bucket.info), bucket.attrs, how));
  bucket.mtime = now;
  return Status::OK();
}

Result<bool> BucketService::IsEmpty(const LoadedBucket& bucket) {
  namespace clsrgw = store::cls::rgw;
  uint32_t n = std::max<uint32_t>(bucket.num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    std::string after;
    for (;;) {
      std::map<std::string, std::string> kv;
      bool more = false;
      store::ReadOp op;
      op.OmapGetVals(after, "", 1000, &kv, &more);
      Status st = store_.Operate(bucket.IndexShard(zone_, s), op);
      if (st.IsNotFound()) break;
      RETURN_IF_ERROR(st);
      for (const auto& [key, val] : kv) {
        after = key;
        if (!clsrgw::IsPlainKey(key)) continue;  // bilog, instance and OLH entries
        // check_bucket_empty only counts entries of the empty namespace:
        // "_<ns>_..." keys (multipart uploads) do not keep a bucket alive.
        if (key.size() > 1 && key[0] == '_' && key[1] != '_') continue;
        clsrgw::DirEntry e;
        if (!DecodeFromString(val, e).ok()) return false;  // be safe: not empty
        if (e.exists || e.IsDeleteMarker()) return false;
      }
      if (!more || kv.empty()) break;
    }
  }
  return true;
}

Status BucketService::Remove(LoadedBucket& bucket) {
  ASSIGN_OR_RETURN(bool empty, IsEmpty(bucket));
  if (!empty) {
    return Status(Code::kBucketNotEmpty, "bucket " + bucket.info.bucket.GetKey() + " is not empty");
  }
  return RemoveUnchecked(bucket);
}

// radosgw's order: unlink from the owner, entrypoint, instance, index.
Status BucketService::RemoveUnchecked(LoadedBucket& bucket) {
  Status s = users_.UnlinkBucket(bucket.info.owner, bucket.info.bucket);
  if (!s.ok() && !s.IsNotFound()) return s;
  s = RemoveSysObj(store_, MetaId(BucketEntryPointOid(bucket.info.bucket)), bucket.ep_objv,
                   zone_.params().control_pool, cache_);
  if (!s.ok() && !s.IsNotFound()) return s;
  s = RemoveSysObj(store_, MetaId(BucketInstanceOid(bucket.info.bucket)), bucket.objv,
                   zone_.params().control_pool, cache_);
  if (!s.ok() && !s.IsNotFound()) return s;
  RemoveIndex(bucket);
  return Status::OK();
}

Status BucketService::Link(LoadedBucket& bucket, const User& new_owner,
                           const std::string& display_name) {
  const User old_owner = bucket.info.owner;
  // Entrypoint first (RGWBucketCtl::link_bucket), then the instance/ACL owner.
  bucket.entrypoint.owner = new_owner;
  bucket.entrypoint.linked = true;
  SysObjWrite ep_how;
  ep_how.notify_pool = zone_.params().control_pool;
  ep_how.cache = cache_;
  ep_how.check = bucket.ep_objv;
  ASSIGN_OR_RETURN(bucket.ep_objv,
                   PutSysObj(store_, MetaId(BucketEntryPointOid(bucket.info.bucket)),
                             EncodeToString(bucket.entrypoint), {}, ep_how));
  bucket.info.owner = new_owner;
  bucket.acl.owner.id = new_owner;
  bucket.acl.owner.display_name = display_name;
  bucket.attrs[kAclXattr] = EncodeToString(bucket.acl);
  RETURN_IF_ERROR(PutInfo(bucket));
  RETURN_IF_ERROR(users_.LinkBucket(new_owner, UserEntry(bucket.info)));
  if (!(old_owner == new_owner)) {
    Status s = users_.UnlinkBucket(old_owner, bucket.info.bucket);
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return Status::OK();
}

Result<BucketStats> BucketService::Stats(const LoadedBucket& bucket) {
  namespace clsrgw = store::cls::rgw;
  static const std::map<uint8_t, std::string> kCategory = {
      {clsrgw::kCategoryNone, "rgw.none"},
      {clsrgw::kCategoryMain, "rgw.main"},
      {clsrgw::kCategoryShadow, "rgw.shadow"},
      {clsrgw::kCategoryMultiMeta, "rgw.multimeta"}};
  std::map<uint8_t, clsrgw::CategoryStats> sum;
  BucketStats st;
  uint32_t n = std::max<uint32_t>(bucket.num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    std::string raw;
    store::ReadOp op;
    op.OmapGetHeader(&raw);
    RETURN_IF_ERROR(store_.Operate(bucket.IndexShard(zone_, s), op)
                        .Annotate("index shard " + std::to_string(s)));
    clsrgw::DirHeader h;
    if (!raw.empty()) RETURN_IF_ERROR(DecodeFromString(raw, h).Annotate("index header"));
    for (const auto& [cat, cs] : h.stats) {
      auto& t = sum[cat];
      t.total_size += cs.total_size;
      t.total_size_rounded += cs.total_size_rounded;
      t.num_entries += cs.num_entries;
      t.actual_size += cs.actual_size;
    }
    st.shard_ver.push_back(h.ver);
    st.shard_master_ver.push_back(h.master_ver);
    st.shard_max_marker.push_back(h.max_marker);
  }
  for (const auto& [cat, t] : sum) {
    auto name = kCategory.count(cat) ? kCategory.at(cat) : "rgw.unknown";
    st.usage[name] = {{"size", t.total_size},
                      {"size_actual", t.total_size_rounded},
                      {"size_utilized", t.actual_size},
                      {"size_kb", RoundedKb(t.total_size)},
                      {"size_kb_actual", RoundedKb(t.total_size_rounded)},
                      {"size_kb_utilized", RoundedKb(t.actual_size)},
                      {"num_objects", t.num_entries}};
    if (cat == clsrgw::kCategoryMain) {
      st.num_objects = t.num_entries;
      st.size = t.total_size;
      st.size_rounded = t.total_size_rounded;
      st.size_actual = t.actual_size;
    }
  }
  return st;
}

Result<std::vector<std::string>> BucketService::List(const std::string& marker, size_t max,
                                                     bool* truncated) {
  ASSIGN_OR_RETURN(auto names, ListNamespace(store_, zone_.params().domain_root));
  std::vector<std::string> buckets;
  for (auto& n : names) {
    if (n.rfind(kInstancePrefix, 0) == 0) continue;
    if (!n.empty() && n[0] == '.') continue;  // other system objects (.pools.avail)
    buckets.push_back(std::move(n));
  }
  return Page(std::move(buckets), marker, max, truncated);
}

Result<std::vector<std::string>> BucketService::ListInstances(const std::string& marker, size_t max,
                                                              bool* truncated) {
  ASSIGN_OR_RETURN(auto names, ListNamespace(store_, zone_.params().domain_root));
  std::vector<std::string> keys;
  const size_t plen = sizeof(kInstancePrefix) - 1;
  for (auto& n : names) {
    if (n.rfind(kInstancePrefix, 0) != 0) continue;
    std::string key = n.substr(plen);
    // "tenant:name:id" -> "tenant/name:id" (bucket names and ids hold no ':').
    if (std::count(key.begin(), key.end(), ':') >= 2) key[key.find(':')] = '/';
    keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  return Page(std::move(keys), marker, max, truncated);
}

}  // namespace kelp::rgw
