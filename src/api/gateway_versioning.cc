// Bucket versioning: Put/GetBucketVersioning flags, ListObjectVersions and
// the versioned write paths (new version / null version / delete marker /
// version removal) over radosgw's OLH protocol (rgw/object/olh_writer.h).
#include <algorithm>

#include "api/gateway_impl.h"
#include "api/upload.h"
#include "rgw/object/olh_list.h"
#include "rgw/object/olh_writer.h"
#include "store/cls/rgw/keys.h"

namespace kelp::api {

namespace clsrgw = ::kelp::store::cls::rgw;

namespace {

// S3 key <-> index key name ("_x" is stored as "__x"; "_ns_x" is not an
// S3 object).
std::string IndexName(const std::string& key) {
  rgw::ObjKey k;
  k.name = key;
  return k.GetIndexKeyName();
}
bool S3Name(const std::string& idx, std::string* key) {
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

// Adds the version id to the result of the upload it wraps.
class VersionedUpload : public ObjectUpload {
 public:
  VersionedUpload(std::unique_ptr<ObjectUpload> inner, std::string version_id)
      : inner_(std::move(inner)), version_id_(std::move(version_id)) {}
  Status Write(std::string_view data) override { return inner_->Write(data); }
  Result<PutObjectResult> Complete() override {
    ASSIGN_OR_RETURN(PutObjectResult res, inner_->Complete());
    res.version_id = version_id_;
    return res;
  }

 private:
  std::unique_ptr<ObjectUpload> inner_;
  std::string version_id_;
};

}  // namespace

Status GatewayImpl::PutBucketVersioning(const RequestContext& ctx, const std::string& bucket,
                                        const std::string& status) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketOwner(ctx, *b));
  if (status != "Enabled" && status != "Suspended") {
    if (status.empty()) return Status::OK();  // radosgw: nothing to modify
    return Status(Code::kInvalidArgument, "bad versioning status: " + status);
  }
  if (status == "Suspended" && (b->info.flags & rgw::kBucketObjLockEnabled)) {
    return Status(Code::kInvalidRequest,  // radosgw: 409 InvalidBucketState (no code here)
                  "An Object Lock configuration is present on this bucket, so the versioning "
                  "state cannot be changed.");
  }
  // retry_raced_bucket_write: reload and reapply when the instance changed
  // under us (its objv guard fails).
  for (int attempt = 0;; ++attempt) {
    if (status == "Enabled") {
      b->info.flags |= rgw::kBucketVersioned;
      b->info.flags &= ~rgw::kBucketVersionsSuspended;
    } else {
      b->info.flags |= rgw::kBucketVersioned | rgw::kBucketVersionsSuspended;
    }
    Status st = services_->buckets().PutInfo(*b);
    if (!st.IsCanceled() || attempt >= 10) return st;
    ASSIGN_OR_RETURN(b, LoadBucket(ctx, bucket));
  }
}

Result<ListVersionsResult> GatewayImpl::ListObjectVersions(const RequestContext& ctx,
                                                           const ListVersionsRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermRead));
  ListVersionsResult result;
  if (req.max_keys == 0) return result;
  const std::string prefix = req.prefix.empty() ? "" : IndexName(req.prefix);
  clsrgw::ObjKey start;
  if (!req.key_marker.empty()) {
    std::string m = IndexName(req.key_marker);
    size_t pos = req.delimiter.empty() ? std::string::npos
                                       : m.find(req.delimiter, prefix.size());
    if (pos != std::string::npos) {
      // A marker inside a common prefix continues after the whole prefix.
      start = clsrgw::ObjKey(clsrgw::AfterDelim(m.substr(0, pos + req.delimiter.size())));
    } else if (req.version_id_marker.empty()) {
      // radosgw 16.2 starts after the plain entry of the marker key, so that
      // key's own versions are listed again (unlike AWS); we do the same.
      start = clsrgw::ObjKey(m);
    } else {
      start = clsrgw::ObjKey(m, req.version_id_marker);
    }
  }
  const uint32_t max = std::min<uint32_t>(req.max_keys, 1000);
  ASSIGN_OR_RETURN(rgw::VersionListPage page,
                   rgw::ListVersions(*services_, *b, prefix, req.delimiter, start, max));
  for (const auto& item : page.items) {
    const auto& e = item.entry;
    std::string key;
    if (!S3Name(e.key.name, &key)) continue;  // multipart/shadow namespaces
    if (item.is_prefix) {
      result.common_prefixes.push_back(key);
      result.next_key_marker = key;
      result.next_version_id_marker.clear();
      continue;
    }
    ObjectVersion v;
    v.info.key = key;
    v.info.version_id = e.key.instance.empty() ? "null" : e.key.instance;
    v.info.size = e.meta.accounted_size;
    v.info.mtime = e.meta.mtime;
    v.info.etag = e.meta.etag;
    v.info.owner = rgw::User::FromString(e.meta.owner);
    v.info.owner_display_name = e.meta.owner_display_name;
    if (!e.meta.storage_class.empty()) v.info.storage_class = e.meta.storage_class;
    v.is_latest = e.IsCurrent();
    v.delete_marker = e.IsDeleteMarker();
    result.next_key_marker = key;
    result.next_version_id_marker = v.info.version_id;
    result.versions.push_back(std::move(v));
  }
  result.truncated = page.truncated;
  if (!result.truncated) {
    result.next_key_marker.clear();
    result.next_version_id_marker.clear();
  }
  return result;
}

Result<GatewayImpl::VersionTarget> GatewayImpl::NewVersionTarget(const rgw::LoadedBucket& b,
                                                                 const std::string& key) {
  VersionTarget t;
  if (rgw::VersioningEnabled(b.info.flags)) {
    t.instance = rgw::NewInstanceId();
    t.version_id = t.instance;
    t.link = true;
    return t;
  }
  ASSIGN_OR_RETURN(t.link, rgw::IsOlh(*services_, b, key));
  return t;
}

Status GatewayImpl::LinkVersion(const rgw::LoadedBucket& b, const rgw::ObjKey& key,
                                const VersionTarget& t) {
  if (!t.link) return Status::OK();
  return rgw::SetOlh(*services_, b, key, false, nullptr).Annotate("linking the new version");
}

Result<std::unique_ptr<ObjectUpload>> GatewayImpl::PutObjectVersioned(
    std::shared_ptr<rgw::LoadedBucket> b, rgw::WriteSpec spec,
    std::map<std::string, std::string> attrs, const PutObjectRequest& req, QuotaHooks quota) {
  // RGWPutObj: with versioning enabled a new random instance; suspended
  // writes the plain head (the null version), and it is a versioned op
  // (set_olh) only when that head is already an OLH
  // (_do_write_meta: versioned_op = versioning_enabled || is_olh).
  ASSIGN_OR_RETURN(VersionTarget t, NewVersionTarget(*b, spec.key.name));
  spec.key.instance = t.instance;
  const std::string version_id = t.version_id;
  rgw::ObjKey target = spec.key;
  CommitFn commit = [this, b, target, t](rgw::ObjectWriter& writer,
                                         std::map<std::string, std::string> head_attrs)
      -> Result<std::string> {
    ASSIGN_OR_RETURN(rgw::CommitResult c, writer.Commit(std::move(head_attrs)));
    RETURN_IF_ERROR(LinkVersion(*b, target, t));
    return c.etag;
  };
  auto writer = std::make_unique<rgw::ObjectWriter>(*services_, *b, std::move(spec));
  ASSIGN_OR_RETURN(auto up, MakeUpload(b, std::move(writer), std::move(attrs), req,
                                       std::move(commit), std::move(quota)));
  return std::unique_ptr<ObjectUpload>(new VersionedUpload(std::move(up), version_id));
}

Result<DeleteResult> GatewayImpl::DeleteObjectVersioned(const RequestContext& ctx,
                                                        const rgw::LoadedBucket& b,
                                                        const std::string& key,
                                                        const std::string& version_id) {
  DeleteResult r;
  r.key = key;
  rgw::ObjKey k;
  k.name = key;
  if (version_id.empty()) {
    // A delete marker: a fresh instance when enabled, the null one when
    // suspended. It has no head object, only index entries and the OLH.
    if (rgw::VersioningEnabled(b.info.flags)) k.instance = rgw::NewInstanceId();
    clsrgw::DirEntryMeta meta;
    meta.owner = ctx.who.user.ToString();
    meta.owner_display_name = ctx.who.display_name;
    meta.mtime = CephTime::Now();
    Status st = rgw::SetOlh(*services_, b, k, true, &meta);
    // A delete marker is current already: radosgw answers 204 without one.
    if (st.IsNotFound()) return r;
    RETURN_IF_ERROR(st);
    r.delete_marker = true;
    r.version_id = k.instance.empty() ? "null" : k.instance;
    return r;
  }
  k.instance = version_id == "null" ? "" : version_id;
  auto entry = rgw::GetInstanceEntry(*services_, b, k);
  if (!entry.ok()) {
    if (entry.status().IsNotFound()) return r;  // nothing to delete: 204
    return entry.status();
  }
  RETURN_IF_ERROR(rgw::UnlinkInstance(*services_, b, k));
  r.delete_marker = entry->IsDeleteMarker();
  r.version_id = version_id;
  return r;
}

}  // namespace kelp::api
