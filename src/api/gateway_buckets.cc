// Bucket operations: list, create, delete, head, location, object listing.
#include "api/gateway_impl.h"
#include "rgw/meta/quota.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/layout.h"
#include "rgw/types/obj_tags.h"

namespace kelp::api {

Result<std::vector<BucketSummary>> GatewayImpl::ListBuckets(const RequestContext& ctx) {
  // Anonymous: an empty list, as radosgw 16.2.15 answers (not AccessDenied).
  if (ctx.who.anonymous) return std::vector<BucketSummary>();
  std::vector<BucketSummary> out;
  std::string marker;
  while (true) {
    bool truncated = false;
    auto entries = services_->users().ListBuckets(ctx.who.user, marker, 1000, &truncated);
    if (!entries.ok()) {
      if (entries.status().IsNotFound()) break;  // no <uid>.buckets yet
      return entries.status();
    }
    for (const auto& e : *entries) {
      out.push_back({e.bucket.name, e.creation_time});
      marker = e.bucket.name;
    }
    if (!truncated || entries->empty()) break;
  }
  return out;
}

Status GatewayImpl::CreateBucket(const RequestContext& ctx, const CreateBucketRequest& req) {
  if (ctx.who.anonymous) return Status(Code::kAccessDenied, "Access Denied");
  RETURN_IF_ERROR(ValidateBucketName(req.bucket));
  const auto& zg = services_->zone().zonegroup();
  if (!req.location_constraint.empty() && req.location_constraint != zg.api_name &&
      req.location_constraint != zg.name()) {
    // radosgw: a location constraint naming another zonegroup.
    return Status(Code::kInvalidArgument /* InvalidLocationConstraint */,
                  "The specified location-constraint is not valid");
  }
  ASSIGN_OR_RETURN(auto acl, PolicyFor(ctx, req.canned_acl, req.grant_headers, nullptr));
  rgw::CreateBucketSpec spec;
  spec.bucket.tenant = ctx.who.user.tenant;
  spec.bucket.name = req.bucket;
  spec.owner = ctx.who.user;
  spec.owner_display_name = ctx.who.display_name;
  spec.acl = std::move(acl);
  auto created = services_->buckets().Create(spec);
  if (!created.ok()) {
    // S3 in us-east-1 answers 200 when you re-create your own bucket;
    // radosgw returns BucketAlreadyExists for it unless configured
    // otherwise. We follow radosgw 16.2: owner gets 409 BucketAlreadyExists
    // too? No: radosgw returns 409 BucketAlreadyExists only for other owners
    // and success for the same owner (rgw_bucket_create: EEXIST + same
    // owner -> 0).
    if (created.status().code() == Code::kBucketAlreadyOwnedByYou) return Status::OK();
    return created.status();
  }
  return Status::OK();
}

Status GatewayImpl::DeleteBucket(const RequestContext& ctx, const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  if (!ctx.who.system && (ctx.who.anonymous || !(b->info.owner == ctx.who.user))) {
    return Status(Code::kAccessDenied, "Access Denied");
  }
  return services_->buckets().Remove(*b);
}

Result<BucketHeadInfo> GatewayImpl::HeadBucket(const RequestContext& ctx,
                                               const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermRead));
  ASSIGN_OR_RETURN(rgw::BucketStats stats, services_->buckets().Stats(*b));
  const rgw::QuotaUsage usage = rgw::BucketUsage(stats);
  BucketHeadInfo info;
  info.object_count = usage.num_objects;
  info.bytes_used = usage.size;
  if (!ctx.who.anonymous && b->info.owner == ctx.who.user) {
    ASSIGN_OR_RETURN(rgw::LoadedUser owner, services_->users().Get(ctx.who.user));
    info.quotas = BucketHeadInfo::Quotas{
        owner.info.user_quota.max_size, owner.info.user_quota.max_objects,
        owner.info.max_buckets, b->info.quota.max_size, b->info.quota.max_objects};
  }
  return info;
}

Result<std::string> GatewayImpl::GetBucketLocation(const RequestContext& ctx,
                                                   const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));
  // radosgw 16.2 answers its zonegroup's api_name, "default" for the
  // default zonegroup (measured against radosgw 16.2.15).
  return services_->zone().zonegroup().api_name;
}

namespace {
// S3 keys -> index key names: a leading '_' is escaped ("_x" -> "__x").
std::string EscapeKey(const std::string& key) {
  rgw::ObjKey k;
  k.name = key;
  return k.GetIndexKeyName();
}
// Index key name -> S3 key; false for namespaced entries (multipart...).
bool UnescapeKey(const std::string& idx, std::string* key) {
  if (idx.empty() || idx[0] != '_') {
    *key = idx;
    return true;
  }
  if (idx.size() >= 2 && idx[1] == '_') {
    *key = idx.substr(1);
    return true;
  }
  return false;
}
}  // namespace

Result<ListObjectsResult> GatewayImpl::ListObjects(const RequestContext& ctx,
                                                   const ListObjectsRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermRead));
  ListObjectsResult result;
  if (req.max_keys == 0) return result;
  rgw::BucketIndex index(store(), services_->zone(), *b);
  std::string prefix = req.prefix.empty() ? "" : EscapeKey(req.prefix);
  std::string marker = req.marker.empty() ? "" : EscapeKey(req.marker);
  // A marker inside a common prefix continues after the whole prefix.
  auto skip_prefix = [&](const std::string& m) {
    if (req.delimiter.empty() || m.size() < prefix.size()) return m;
    auto pos = m.find(req.delimiter, prefix.size());
    if (pos == std::string::npos) return m;
    return m.substr(0, pos + req.delimiter.size()) + '\xFF';
  };
  marker = skip_prefix(marker);
  uint32_t want = std::min<uint32_t>(req.max_keys, 1000);
  uint32_t have = 0;
  while (have < want) {
    ASSIGN_OR_RETURN(rgw::IndexListPage page,
                     index.List(prefix, req.delimiter, marker, want - have + 1));
    // We asked for one more than needed, to know whether we are truncated.
    size_t i_obj = 0, i_cp = 0;
    bool full = false;
    // Merge entries and prefixes in key order.
    while (i_obj < page.entries.size() || i_cp < page.common_prefixes.size()) {
      bool take_cp = i_obj >= page.entries.size() ||
                     (i_cp < page.common_prefixes.size() &&
                      page.common_prefixes[i_cp] < page.entries[i_obj].key.name);
      std::string idx = take_cp ? page.common_prefixes[i_cp] : page.entries[i_obj].key.name;
      std::string key;
      bool visible = UnescapeKey(idx, &key);
      if (visible && have >= want) {
        full = true;
        break;
      }
      if (take_cp) {
        ++i_cp;
        if (visible) {
          result.common_prefixes.push_back(key);
          ++have;
          result.next_marker = key;
        }
      } else {
        const auto& e = page.entries[i_obj++];
        if (visible) {
          ObjectInfo info;
          info.key = key;
          info.size = e.meta.accounted_size ? e.meta.accounted_size : e.meta.size;
          info.mtime = e.meta.mtime;
          info.etag = e.meta.etag;
          info.owner = rgw::User::FromString(e.meta.owner);
          info.owner_display_name = e.meta.owner_display_name;
          info.headers["content-type"] = e.meta.content_type;
          if (!e.meta.storage_class.empty()) info.storage_class = e.meta.storage_class;
          result.objects.push_back(std::move(info));
          ++have;
          result.next_marker = key;
        }
      }
      marker = idx;
    }
    if (full) {
      result.truncated = true;
      break;
    }
    if (!page.truncated) break;
    marker = skip_prefix(page.next_marker);
  }
  return result;
}

Result<std::string> GatewayImpl::GetBucketVersioning(const RequestContext& ctx,
                                                     const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));
  if (b->info.flags & 4) return std::string("Suspended");  // VERSIONS_SUSPENDED
  if (b->info.flags & 2) return std::string("Enabled");    // VERSIONED
  return std::string();
}

Result<rgw::AccessControlPolicy> GatewayImpl::GetBucketAcl(const RequestContext& ctx,
                                                           const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermReadAcp));
  return b->acl;
}

Status GatewayImpl::PutBucketAcl(const RequestContext& ctx, const std::string& bucket,
                                 const std::string& canned,
                                 const std::map<std::string, std::string>& grant_headers,
                                 const rgw::AccessControlPolicy* policy) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWriteAcp));
  rgw::AccessControlPolicy acl;
  RequestContext owner_ctx = ctx;
  owner_ctx.who.user = b->info.owner;
  owner_ctx.who.display_name = b->acl.owner.display_name;
  if (policy) {
    ASSIGN_OR_RETURN(acl, ResolveGrantees(*policy));
    if (!(acl.owner.id == b->info.owner)) {
      return Status(Code::kAccessDenied, "Access Denied");
    }
  } else {
    ASSIGN_OR_RETURN(acl, PolicyFor(owner_ctx, canned, grant_headers, b.get()));
  }
  return services_->buckets().SetAttrs(*b, {{rgw::kAttrAcl, EncodeToString(acl)}}, {});
}

Result<std::map<std::string, std::string>> GatewayImpl::GetBucketTagging(
    const RequestContext& ctx, const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));  // radosgw: verify_bucket_owner_or_policy
  auto it = b->attrs.find(rgw::kAttrTagging);
  if (it == b->attrs.end()) return Status(Code::kNoSuchTagSet, "The TagSet does not exist");
  rgw::ObjTags tags;
  RETURN_IF_ERROR(DecodeFromString(it->second, tags));
  return std::map<std::string, std::string>(tags.tag_map.begin(), tags.tag_map.end());
}

Status GatewayImpl::PutBucketTagging(const RequestContext& ctx, const std::string& bucket,
                                     const std::map<std::string, std::string>& tags) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));
  if (tags.size() > 50) return Status(Code::kInvalidTag, "Bucket tag count cannot be greater than 50");
  rgw::ObjTags t;
  for (const auto& [k, v] : tags) t.tag_map.emplace(k, v);
  return services_->buckets().SetAttrs(*b, {{rgw::kAttrTagging, EncodeToString(t)}}, {});
}

Status GatewayImpl::DeleteBucketTagging(const RequestContext& ctx, const std::string& bucket) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));
  return services_->buckets().SetAttrs(*b, {}, {rgw::kAttrTagging});
}

}  // namespace kelp::api
