// Object operations: put (streamed), get/head (streamed, ranges,
// conditions), delete, multi-delete, copy, object ACL and tagging.
#include <algorithm>

#include "api/gateway_impl.h"
#include "rgw/object/olh_writer.h"
#include "api/upload.h"
#include "base/crypto.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_reader.h"
#include "rgw/object/object_writer.h"
#include "rgw/types/obj_tags.h"

namespace kelp::api {

namespace {

bool EtagMatches(const std::string& header, const std::string& etag) {
  // Comma-separated list of (quoted) etags or "*".
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string item = header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item == "*" || Unquote(item) == etag) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

class Download : public ObjectDownload {
 public:
  Download(std::shared_ptr<rgw::LoadedBucket> bucket, rgw::Services& services,
           rgw::ObjectHead head, ObjectInfo info, uint64_t first, uint64_t end, bool partial)
      : bucket_(std::move(bucket)),
        info_(std::move(info)),
        reader_(services, *bucket_, std::move(head), first, end),
        first_(first),
        end_(end),
        partial_(partial) {}
  const ObjectInfo& info() const override { return info_; }
  uint64_t content_length() const override { return end_ - first_; }
  bool partial() const override { return partial_; }
  uint64_t range_first() const override { return first_; }
  uint64_t range_last() const override { return end_ == 0 ? 0 : end_ - 1; }
  Result<std::string> Read() override { return reader_.Next(); }

 private:
  std::shared_ptr<rgw::LoadedBucket> bucket_;
  ObjectInfo info_;
  rgw::ObjectReader reader_;
  uint64_t first_, end_;
  bool partial_;
};

}  // namespace

Status ResolveRange(const std::optional<ByteRange>& range, uint64_t size, uint64_t* first,
                    uint64_t* end, bool* partial) {
  *first = 0;
  *end = size;
  *partial = false;
  // radosgw 16.2.15 answers 416 for any range on an empty object (s3-tests
  // test_ranged_request_empty_object passes against it).
  if (!range) return Status::OK();
  const ByteRange& r = *range;
  if (r.suffix) {
    if (*r.suffix == 0) {
      return Status(Code::kInvalidRange, "The requested range is not satisfiable");
    }
    *first = *r.suffix >= size ? 0 : size - *r.suffix;
  } else {
    *first = r.first.value_or(0);
    *end = r.last ? std::min<uint64_t>(*r.last + 1, size) : size;
  }
  if (*first >= size || *first >= *end) {
    return Status(Code::kInvalidRange, "The requested range is not satisfiable");
  }
  *partial = true;
  return Status::OK();
}

Status CheckConditions(const Conditions& c, const std::string& etag, CephTime mtime,
                       bool is_copy_source) {
  const Code not_modified = is_copy_source ? Code::kPreconditionFailed : Code::kNotModified;
  if (!c.if_match.empty() && !EtagMatches(c.if_match, etag)) {
    return Status(Code::kPreconditionFailed, "At least one of the pre-conditions you specified did not hold");
  }
  if (c.if_match.empty() && c.if_unmodified_since && mtime.sec > c.if_unmodified_since->sec) {
    return Status(Code::kPreconditionFailed, "At least one of the pre-conditions you specified did not hold");
  }
  if (!c.if_none_match.empty() && EtagMatches(c.if_none_match, etag)) {
    return Status(not_modified, "Not Modified");
  }
  if (c.if_none_match.empty() && c.if_modified_since && mtime.sec <= c.if_modified_since->sec) {
    return Status(not_modified, "Not Modified");
  }
  return Status::OK();
}

Result<std::unique_ptr<ObjectUpload>> GatewayImpl::PutObject(const RequestContext& ctx,
                                                             const PutObjectRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  if (req.key.empty()) return Status(Code::kInvalidArgument, "Object key must not be empty");
  if (req.key.size() > 1024) return Status(Code::kKeyTooLong, "Your key is too long");
  ASSIGN_OR_RETURN(auto attrs, ObjectAttrs(ctx, *b, req));
  if (!req.tagging.empty()) {
    ASSIGN_OR_RETURN(auto tags, rgw::ObjTags::FromHeader(req.tagging));
    attrs[rgw::kAttrTagging] = EncodeToString(tags);
  }
  ASSIGN_OR_RETURN(QuotaHooks quota, QuotaFor(ctx, b, req.content_length));
  rgw::WriteSpec spec;
  spec.key.name = req.key;
  spec.hash_name = req.key;
  spec.owner = ctx.who.user.ToString();
  spec.owner_display_name = ctx.who.display_name;
  auto ct = req.headers.find("content-type");
  if (ct != req.headers.end()) spec.content_type = ct->second;
  if (b->info.flags & 2) {  // BUCKET_VERSIONED (enabled or suspended): gateway_versioning.cc
    return PutObjectVersioned(b, std::move(spec), std::move(attrs), req, std::move(quota));
  }
  auto writer = std::make_unique<rgw::ObjectWriter>(*services_, *b, std::move(spec));
  return MakeUpload(b, std::move(writer), std::move(attrs), req, nullptr, std::move(quota));
}

Result<std::unique_ptr<ObjectDownload>> GatewayImpl::GetObject(const RequestContext& ctx,
                                                               const GetObjectRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  rgw::ObjKey key;
  key.name = req.key;
  // "null" names the plain head itself (the null version), without
  // following its OLH to the current version.
  if (!req.version_id.empty()) key.instance = req.version_id;
  rgw::AccessControlPolicy acl;
  // The head's data comes with its attrs (one op, one consistent snapshot),
  // unless the range starts past the head, as radosgw skips that prefetch.
  const bool past_head = req.range && !req.range->suffix &&
                         req.range->first.value_or(0) >= rgw::kMaxHeadSize;
  ASSIGN_OR_RETURN(rgw::ObjectHead head,
                   ReadObjectFor(ctx, *b, key, rgw::kPermRead, &acl,
                                 /*prefetch_data=*/!req.head_only && !past_head));
  ObjectInfo info = InfoFromAttrs(req.key, head.size, head.stat.mtime, head.attrs);
  if (b->info.flags & 2) info.version_id = head.version_id;  // BUCKET_VERSIONED
  RETURN_IF_ERROR(CheckConditions(req.conditions, info.etag, info.mtime, false));
  std::string dlo = head.Attr(rgw::kAttrUserManifest);
  if (!dlo.empty()) return GetDlo(ctx, std::move(info), dlo, req);
  uint64_t first = 0, end = 0;
  bool partial = false;
  RETURN_IF_ERROR(ResolveRange(req.range, head.size, &first, &end, &partial));
  return std::unique_ptr<ObjectDownload>(
      new Download(b, *services_, std::move(head), std::move(info), first, end, partial));
}

Result<DeleteResult> GatewayImpl::DeleteObject(const RequestContext& ctx, const std::string& bucket,
                                               const std::string& key,
                                               const std::string& version_id) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  if (b->info.flags & 2) return DeleteObjectVersioned(ctx, *b, key, version_id);
  rgw::ObjKey k;
  k.name = key;
  RETURN_IF_ERROR(rgw::DeleteObject(*services_, *b, k, key));
  DeleteResult r;
  r.key = key;
  r.version_id = version_id;
  return r;
}

Result<std::vector<DeleteResult>> GatewayImpl::DeleteObjects(const RequestContext& ctx,
                                                             const std::string& bucket,
                                                             const std::vector<std::string>& keys) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  std::vector<DeleteResult> out;
  if (b->info.flags & 2) {  // BUCKET_VERSIONED: a delete marker per key
    for (const auto& key : keys) {
      auto r = DeleteObjectVersioned(ctx, *b, key, "");
      if (r.ok()) {
        out.push_back(std::move(*r));
      } else {
        DeleteResult failed;
        failed.key = key;
        failed.status = r.status();
        out.push_back(std::move(failed));
      }
    }
    return out;
  }
  for (const auto& key : keys) {
    DeleteResult r;
    r.key = key;
    rgw::ObjKey k;
    k.name = key;
    r.status = rgw::DeleteObject(*services_, *b, k, key);
    out.push_back(std::move(r));
  }
  return out;
}

Result<CopyObjectResult> GatewayImpl::CopyObject(const RequestContext& ctx,
                                                 const CopyObjectRequest& req) {
  ASSIGN_OR_RETURN(auto src_b, LoadBucket(ctx, req.src_bucket));
  ASSIGN_OR_RETURN(auto dst_b, LoadBucket(ctx, req.dst_bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *dst_b, rgw::kPermWrite));
  if (src_b->info.flags & 1) return Status(Code::kAccountProblem, "The bucket's owner is suspended.");
  rgw::ObjKey skey;
  skey.name = req.src_key;
  if (!req.src_version_id.empty() && req.src_version_id != "null") {
    skey.instance = req.src_version_id;
  }
  rgw::AccessControlPolicy src_acl;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *src_b, skey, rgw::kPermRead, &src_acl));
  ObjectInfo src_info = InfoFromAttrs(req.src_key, head.size, head.stat.mtime, head.attrs);
  RETURN_IF_ERROR(CheckConditions(req.src_conditions, src_info.etag, src_info.mtime, true));
  if (req.src_bucket == req.dst_bucket && req.src_key == req.dst_key &&
      req.directive == MetadataDirective::kCopy) {
    return Status(Code::kInvalidRequest,
                  "This copy request is illegal because it is trying to copy an object to itself "
                  "without changing the object's metadata, storage class, website redirect "
                  "location or encryption attributes.");
  }
  PutObjectRequest put;
  put.bucket = req.dst_bucket;
  put.key = req.dst_key;
  put.canned_acl = req.canned_acl;
  put.grant_headers = req.grant_headers;
  put.recorded_amz_headers = req.recorded_amz_headers;
  if (req.directive == MetadataDirective::kCopy) {
    put.headers = src_info.headers;
    put.metadata = src_info.metadata;
  } else {
    put.headers = req.headers;
    put.metadata = req.metadata;
  }
  ASSIGN_OR_RETURN(auto attrs, ObjectAttrs(ctx, *dst_b, put));
  // RGWCopyObj: the destination's quotas, with the source's size, up front.
  ASSIGN_OR_RETURN(QuotaHooks quota, QuotaFor(ctx, dst_b, head.size));
  if (req.directive == MetadataDirective::kCopy) {
    auto t = head.attrs.find(rgw::kAttrTagging);
    if (t != head.attrs.end()) attrs[rgw::kAttrTagging] = t->second;
  }
  rgw::WriteSpec spec;
  spec.key.name = req.dst_key;
  spec.hash_name = req.dst_key;
  spec.owner = ctx.who.user.ToString();
  spec.owner_display_name = ctx.who.display_name;
  auto ct = put.headers.find("content-type");
  if (ct != put.headers.end()) spec.content_type = ct->second;
  VersionTarget version;
  if (rgw::VersioningConfigured(dst_b->info.flags)) {  // RGWCopyObj: a new version
    ASSIGN_OR_RETURN(version, NewVersionTarget(*dst_b, req.dst_key));
    spec.key.instance = version.instance;
  }
  const rgw::ObjKey dst_key = spec.key;
  rgw::ObjectWriter writer(*services_, *dst_b, std::move(spec));
  uint64_t size = head.size;
  rgw::ObjectReader reader(*services_, *src_b, std::move(head), 0, size);
  while (true) {
    ASSIGN_OR_RETURN(std::string chunk, reader.Next());
    if (chunk.empty()) break;
    RETURN_IF_ERROR(writer.Write(chunk));
  }
  // A multipart source keeps its multipart ETag in radosgw's copies.
  std::string etag_override;
  if (src_info.etag.find('-') != std::string::npos) etag_override = src_info.etag;
  ASSIGN_OR_RETURN(rgw::CommitResult res, writer.Commit(std::move(attrs), etag_override));
  RETURN_IF_ERROR(LinkVersion(*dst_b, dst_key, version));
  if (quota.committed) quota.committed();
  return CopyObjectResult{res.etag, res.mtime, version.version_id};
}

namespace {
// Rewrites one head xattr guarded by the head's idtag.
Status SetHeadAttr(rgw::Services& services, const rgw::ObjectHead& head, const std::string& name,
                   const std::string* value) {
  store::WriteOp op;
  auto it = head.attrs.find(rgw::kAttrIdTag);
  op.CmpXattr(rgw::kAttrIdTag, store::CmpOp::kEq,
              it == head.attrs.end() ? std::string() : it->second);
  if (value) {
    op.SetXattr(name, *value);
  } else {
    op.RmXattr(name);
  }
  Status st = services.store().Operate(head.id, op);
  if (st.IsCanceled()) return Status(Code::kServiceUnavailable, "object changed; retry");
  if (st.IsNotFound()) return Status(Code::kNoSuchKey, "The specified key does not exist.");
  return st;
}
}  // namespace

Result<rgw::AccessControlPolicy> GatewayImpl::GetObjectAcl(const RequestContext& ctx,
                                                           const std::string& bucket,
                                                           const std::string& key) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  rgw::ObjKey k;
  k.name = key;
  rgw::AccessControlPolicy acl;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *b, k, rgw::kPermReadAcp, &acl));
  return acl;
}

Status GatewayImpl::PutObjectAcl(const RequestContext& ctx, const std::string& bucket,
                                 const std::string& key, const std::string& canned,
                                 const std::map<std::string, std::string>& grant_headers,
                                 const rgw::AccessControlPolicy* policy) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  rgw::ObjKey k;
  k.name = key;
  rgw::AccessControlPolicy cur;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *b, k, rgw::kPermWriteAcp, &cur));
  rgw::AccessControlPolicy acl;
  if (policy) {
    ASSIGN_OR_RETURN(acl, ResolveGrantees(*policy));
    if (!(acl.owner.id == cur.owner.id)) return Status(Code::kAccessDenied, "Access Denied");
  } else {
    RequestContext owner_ctx = ctx;
    owner_ctx.who.user = cur.owner.id;
    owner_ctx.who.display_name = cur.owner.display_name;
    ASSIGN_OR_RETURN(acl, PolicyFor(owner_ctx, canned, grant_headers, b.get()));
  }
  std::string enc = EncodeToString(acl);
  return SetHeadAttr(*services_, head, rgw::kAttrAcl, &enc);
}

Result<std::map<std::string, std::string>> GatewayImpl::GetObjectTagging(
    const RequestContext& ctx, const std::string& bucket, const std::string& key) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  rgw::ObjKey k;
  k.name = key;
  rgw::AccessControlPolicy acl;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *b, k, rgw::kPermRead, &acl));
  std::map<std::string, std::string> out;
  auto t = head.attrs.find(rgw::kAttrTagging);
  if (t != head.attrs.end()) {
    rgw::ObjTags tags;
    RETURN_IF_ERROR(DecodeFromString(t->second, tags));
    out.insert(tags.tag_map.begin(), tags.tag_map.end());
  }
  return out;
}

Status GatewayImpl::PutObjectTagging(const RequestContext& ctx, const std::string& bucket,
                                     const std::string& key,
                                     const std::map<std::string, std::string>& tags) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  if (tags.size() > 10) return Status(Code::kInvalidTag, "Object tags cannot be greater than 10");
  rgw::ObjKey k;
  k.name = key;
  rgw::AccessControlPolicy acl;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *b, k, rgw::kPermWrite, &acl));
  rgw::ObjTags t;
  for (const auto& [kk, v] : tags) t.tag_map.emplace(kk, v);
  std::string enc = EncodeToString(t);
  return SetHeadAttr(*services_, head, rgw::kAttrTagging, &enc);
}

Status GatewayImpl::DeleteObjectTagging(const RequestContext& ctx, const std::string& bucket,
                                        const std::string& key) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  rgw::ObjKey k;
  k.name = key;
  rgw::AccessControlPolicy acl;
  ASSIGN_OR_RETURN(rgw::ObjectHead head, ReadObjectFor(ctx, *b, k, rgw::kPermWrite, &acl));
  return SetHeadAttr(*services_, head, rgw::kAttrTagging, nullptr);
}

}  // namespace kelp::api
