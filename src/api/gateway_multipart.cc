// Multipart uploads.
#include <algorithm>

#include "api/gateway_impl.h"
#include "api/upload.h"
#include "rgw/object/layout.h"
#include "rgw/object/multipart.h"
#include "rgw/object/olh_writer.h"
#include "rgw/object/object_reader.h"
#include "rgw/types/obj_tags.h"

namespace kelp::api {

namespace {
MultipartUpload ToApi(const rgw::UploadMeta& u) {
  MultipartUpload m;
  m.key = u.key;
  m.upload_id = u.upload_id;
  m.initiated = u.initiated;
  m.owner = rgw::User::FromString(u.owner);
  m.owner_display_name = u.owner_display_name;
  return m;
}
}  // namespace

Result<std::string> GatewayImpl::CreateMultipartUpload(const RequestContext& ctx,
                                                       const PutObjectRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  if (req.key.empty()) return Status(Code::kInvalidArgument, "Object key must not be empty");
  ASSIGN_OR_RETURN(auto attrs, ObjectAttrs(ctx, *b, req));
  if (!req.tagging.empty()) {
    ASSIGN_OR_RETURN(auto tags, rgw::ObjTags::FromHeader(req.tagging));
    attrs[rgw::kAttrTagging] = EncodeToString(tags);
  }
  rgw::Multipart mp(*services_, *b);
  return mp.Init(req.key, attrs, ctx.who.user.ToString(), ctx.who.display_name);
}

Result<std::unique_ptr<ObjectUpload>> GatewayImpl::UploadPart(
    const RequestContext& ctx, const std::string& bucket, const std::string& key,
    const std::string& upload_id, uint32_t part_number, const PutObjectRequest& body) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  if (part_number < 1 || part_number > rgw::kMaxParts) {
    return Status(Code::kInvalidArgument, "Part number must be an integer between 1 and 10000");
  }
  auto mp = std::make_shared<rgw::Multipart>(*services_, *b);
  ASSIGN_OR_RETURN(rgw::UploadMeta upload, mp->GetUpload(key, upload_id));
  // A part counts as one object of its size (RGWPutObj).
  ASSIGN_OR_RETURN(QuotaHooks quota, QuotaFor(ctx, b, body.content_length));
  ASSIGN_OR_RETURN(auto writer, mp->PartWriter(upload, part_number));
  std::map<std::string, std::string> attrs;
  auto acl = upload.attrs.find(rgw::kAttrAcl);
  if (acl != upload.attrs.end()) attrs[rgw::kAttrAcl] = acl->second;
  for (const auto& [k, v] : body.recorded_amz_headers) {
    attrs[std::string(rgw::kAttrPrefix) + k] = rgw::WithNul(v);
  }
  CommitFn commit = [mp, upload, part_number](rgw::ObjectWriter& w,
                                              std::map<std::string, std::string> a)
      -> Result<std::string> {
    ASSIGN_OR_RETURN(rgw::CommitResult r, mp->CommitPart(upload, part_number, w, std::move(a)));
    return r.etag;
  };
  return MakeUpload(b, std::move(writer), std::move(attrs), body, std::move(commit),
                    std::move(quota));
}

Result<CopyObjectResult> GatewayImpl::UploadPartCopy(const RequestContext& ctx,
                                                     const CopyObjectRequest& src,
                                                     const std::string& upload_id,
                                                     uint32_t part_number,
                                                     std::optional<ByteRange> range) {
  GetObjectRequest get;
  get.bucket = src.src_bucket;
  get.key = src.src_key;
  get.version_id = src.src_version_id;
  get.range = range;
  ASSIGN_OR_RETURN(auto download, GetObject(ctx, get));
  RETURN_IF_ERROR(CheckConditions(src.src_conditions, download->info().etag,
                                  download->info().mtime, true));
  PutObjectRequest body;
  body.bucket = src.dst_bucket;
  body.key = src.dst_key;
  body.content_length = download->content_length();
  ASSIGN_OR_RETURN(auto up, UploadPart(ctx, src.dst_bucket, src.dst_key, upload_id, part_number,
                                       body));
  while (true) {
    ASSIGN_OR_RETURN(std::string chunk, download->Read());
    if (chunk.empty()) break;
    RETURN_IF_ERROR(up->Write(chunk));
  }
  ASSIGN_OR_RETURN(PutObjectResult res, up->Complete());
  return CopyObjectResult{res.etag, CephTime::Now()};
}

Result<PutObjectResult> GatewayImpl::CompleteMultipartUpload(
    const RequestContext& ctx, const std::string& bucket, const std::string& key,
    const std::string& upload_id, const std::vector<CompletedPart>& parts) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  rgw::Multipart mp(*services_, *b);
  ASSIGN_OR_RETURN(rgw::UploadMeta upload, mp.GetUpload(key, upload_id));
  std::vector<rgw::PartSpec> specs;
  for (const auto& p : parts) specs.push_back({p.number, Unquote(p.etag)});
  // RGWCompleteMultipart: in a bucket with versioning the result is a new
  // version (or the null one), linked like a PUT's.
  VersionTarget version;
  if (rgw::VersioningConfigured(b->info.flags)) {
    ASSIGN_OR_RETURN(version, NewVersionTarget(*b, key));
  }
  ASSIGN_OR_RETURN(rgw::CommitResult res, mp.Complete(upload, specs, version.instance));
  rgw::ObjKey target;
  target.name = key;
  target.instance = version.instance;
  RETURN_IF_ERROR(LinkVersion(*b, target, version));
  return PutObjectResult{res.etag, version.version_id};
}

Status GatewayImpl::AbortMultipartUpload(const RequestContext& ctx, const std::string& bucket,
                                         const std::string& key, const std::string& upload_id) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermWrite));
  rgw::Multipart mp(*services_, *b);
  ASSIGN_OR_RETURN(rgw::UploadMeta upload, mp.GetUpload(key, upload_id));
  return mp.Abort(upload);
}

Result<ListPartsResult> GatewayImpl::ListParts(const RequestContext& ctx,
                                               const std::string& bucket, const std::string& key,
                                               const std::string& upload_id, uint32_t part_marker,
                                               uint32_t max_parts) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermRead));
  rgw::Multipart mp(*services_, *b);
  ASSIGN_OR_RETURN(rgw::UploadMeta upload, mp.GetUpload(key, upload_id));
  ASSIGN_OR_RETURN(auto parts, mp.ListParts(upload));
  ListPartsResult out;
  out.upload = ToApi(upload);
  if (max_parts == 0) max_parts = 1000;
  for (auto it = parts.upper_bound(part_marker); it != parts.end(); ++it) {
    if (out.parts.size() >= max_parts) {
      out.truncated = true;
      break;
    }
    out.parts.push_back({it->first, it->second.accounted_size, it->second.etag,
                         it->second.modified});
    out.next_marker = it->first;
  }
  return out;
}

Result<ListUploadsResult> GatewayImpl::ListMultipartUploads(const RequestContext& ctx,
                                                            const ListUploadsRequest& req) {
  ASSIGN_OR_RETURN(auto b, LoadBucket(ctx, req.bucket));
  RETURN_IF_ERROR(CheckBucketPerm(ctx, *b, rgw::kPermRead));
  rgw::Multipart mp(*services_, *b);
  bool truncated = false;
  uint32_t max = req.max_uploads ? std::min<uint32_t>(req.max_uploads, 1000) : 1000;
  ASSIGN_OR_RETURN(auto uploads, mp.ListUploads(req.prefix, max, req.key_marker,
                                                  req.upload_id_marker, &truncated));
  ListUploadsResult out;
  std::set<std::string> prefixes;
  for (const auto& u : uploads) {
    if (!req.delimiter.empty()) {
      auto pos = u.key.find(req.delimiter, req.prefix.size());
      if (pos != std::string::npos) {
        std::string cp = u.key.substr(0, pos + req.delimiter.size());
        if (prefixes.insert(cp).second) out.common_prefixes.push_back(cp);
        continue;
      }
    }
    out.uploads.push_back(ToApi(u));
    out.next_key_marker = u.key;
    out.next_upload_id_marker = u.upload_id;
  }
  out.truncated = truncated;
  return out;
}

}  // namespace kelp::api
