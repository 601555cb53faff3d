// CopyObject and UploadPartCopy: x-amz-copy-source (+ versionId),
// x-amz-copy-source-if-*, x-amz-copy-source-range and
// x-amz-metadata-directive into a CopyObjectRequest.
#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {
namespace {

Result<api::CopyObjectRequest> CopyRequest(const S3Call& c) {
  const std::string* source = c.Header("x-amz-copy-source");
  if (!source) return Status(Code::kInvalidArgument, "x-amz-copy-source is missing");
  ASSIGN_OR_RETURN(CopySource src, ParseCopySource(*source));
  api::CopyObjectRequest req;
  req.src_bucket = src.bucket;
  req.src_key = src.key;
  req.src_version_id = src.version_id;
  req.src_conditions = ParseConditions(c.headers(), "x-amz-copy-source-");
  req.dst_bucket = c.route.bucket;
  req.dst_key = c.route.key;
  if (const std::string* d = c.Header("x-amz-metadata-directive")) {
    if (*d == "REPLACE") {
      req.directive = api::MetadataDirective::kReplace;
    } else if (*d != "COPY") {
      return Status(Code::kInvalidArgument, "Unknown metadata directive.");
    }
  }
  if (req.directive == api::MetadataDirective::kReplace) {
    req.headers = ExtractStoredHeaders(c.headers());
    req.metadata = ExtractUserMetadata(c.headers());
  }
  req.canned_acl = CannedAcl(c);
  req.grant_headers = ExtractGrantHeaders(c.headers());
  req.recorded_amz_headers = ExtractRecordedAmzHeaders(c.headers());
  return req;
}

}  // namespace

Status CopyObject(S3Call& c) {
  ASSIGN_OR_RETURN(api::CopyObjectRequest req, CopyRequest(c));
  ASSIGN_OR_RETURN(api::CopyObjectResult result, c.gw.CopyObject(c.ctx, req));
  if (!result.version_id.empty()) c.out.AddHeader("x-amz-version-id", result.version_id);
  return SendXml(c, RenderCopyResult(result, false));
}

Status UploadPartCopy(S3Call& c) {
  ASSIGN_OR_RETURN(api::CopyObjectRequest req, CopyRequest(c));
  ASSIGN_OR_RETURN(uint64_t part, QueryUint(c, "partNumber", 0));
  if (part < 1 || part > 10000) {
    return Status(Code::kInvalidArgument,
                  "Part number must be an integer between 1 and 10000, inclusive");
  }
  std::optional<api::ByteRange> range;
  if (const std::string* r = c.Header("x-amz-copy-source-range")) {
    ASSIGN_OR_RETURN(range, ParseCopySourceRange(*r));
  }
  ASSIGN_OR_RETURN(api::CopyObjectResult result,
                   c.gw.UploadPartCopy(c.ctx, req, c.query.GetOr("uploadId", ""),
                                       static_cast<uint32_t>(part), range));
  return SendXml(c, RenderCopyResult(result, true));
}

}  // namespace kelp::s3
