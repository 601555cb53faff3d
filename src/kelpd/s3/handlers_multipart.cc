// Multipart uploads: Create, UploadPart, Complete, Abort, ListParts,
// ListMultipartUploads. (UploadPartCopy lives with CopyObject.)
#include <tuple>

#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {
namespace {

std::string UploadId(const S3Call& c) { return c.query.GetOr("uploadId", ""); }

Result<uint32_t> PartNumber(const S3Call& c) {
  ASSIGN_OR_RETURN(uint64_t part, QueryUint(c, "partNumber", 0));
  if (part < 1 || part > 10000) {
    return Status(Code::kInvalidArgument,
                  "Part number must be an integer between 1 and 10000, inclusive");
  }
  return static_cast<uint32_t>(part);
}

}  // namespace

Status CreateMultipartUpload(S3Call& c) {
  api::PutObjectRequest req = ObjectRequestFromHeaders(c);
  ASSIGN_OR_RETURN(std::string upload_id, c.gw.CreateMultipartUpload(c.ctx, req));
  return SendXml(c, RenderInitiateMultipart(c.route.bucket, c.route.key, upload_id));
}

Status UploadPart(S3Call& c) {
  ASSIGN_OR_RETURN(uint32_t part, PartNumber(c));
  api::PutObjectRequest req;
  req.bucket = c.route.bucket;
  req.key = c.route.key;
  RETURN_IF_ERROR(FillUploadBodyFields(c, &req));
  ASSIGN_OR_RETURN(auto upload,
                   c.gw.UploadPart(c.ctx, c.route.bucket, c.route.key, UploadId(c), part, req));
  ASSIGN_OR_RETURN(api::PutObjectResult result, StreamIntoUpload(c, *upload));
  c.out.AddHeader("ETag", QuotedEtag(result.etag));
  return SendEmpty(c, 200);
}

Status CompleteMultipartUpload(S3Call& c) {
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  ASSIGN_OR_RETURN(auto parts, ParseCompleteMultipartUpload(body));
  ASSIGN_OR_RETURN(
      api::PutObjectResult result,
      c.gw.CompleteMultipartUpload(c.ctx, c.route.bucket, c.route.key, UploadId(c), parts));
  // radosgw: Location is the object's URL on the host the client addressed.
  std::string host;
  if (const std::string* h = c.Header("host")) host = *h;
  std::string location = "http://" + host;
  if (!c.route.virtual_host) location += "/" + c.route.bucket;
  location += "/" + c.route.key;
  if (!result.version_id.empty()) c.out.AddHeader("x-amz-version-id", result.version_id);
  return SendXml(c, RenderCompleteMultipart(location, c.route.bucket, c.route.key, result.etag));
}

Status AbortMultipartUpload(S3Call& c) {
  RETURN_IF_ERROR(c.gw.AbortMultipartUpload(c.ctx, c.route.bucket, c.route.key, UploadId(c)));
  return SendEmpty(c, 204);
}

Status ListParts(S3Call& c) {
  ListPartsEcho echo;
  echo.bucket = c.route.bucket;
  echo.key = c.route.key;
  echo.upload_id = UploadId(c);
  ASSIGN_OR_RETURN(uint64_t marker, QueryUint(c, "part-number-marker", 0));
  ASSIGN_OR_RETURN(uint64_t max_parts, QueryUint(c, "max-parts", 1000));
  echo.part_number_marker = static_cast<uint32_t>(std::min<uint64_t>(marker, UINT32_MAX));
  echo.max_parts = static_cast<uint32_t>(std::min<uint64_t>(max_parts, 1000));
  ASSIGN_OR_RETURN(auto result, c.gw.ListParts(c.ctx, echo.bucket, echo.key, echo.upload_id,
                                               echo.part_number_marker, echo.max_parts));
  return SendXml(c, RenderListParts(echo, result));
}

Status ListMultipartUploads(S3Call& c) {
  ListUploadsEcho echo;
  echo.req.bucket = c.route.bucket;
  std::tie(echo.tenant, echo.bucket_name) = TenantAndBucket(c);
  echo.req.prefix = c.query.GetOr("prefix", "");
  echo.req.delimiter = c.query.GetOr("delimiter", "");
  echo.req.key_marker = c.query.GetOr("key-marker", "");
  echo.req.upload_id_marker = c.query.GetOr("upload-id-marker", "");
  ASSIGN_OR_RETURN(uint64_t max_uploads, QueryUint(c, "max-uploads", 1000));
  echo.req.max_uploads = static_cast<uint32_t>(std::min<uint64_t>(max_uploads, 1000));
  ASSIGN_OR_RETURN(echo.url_encode, QueryUrlEncoding(c));
  ASSIGN_OR_RETURN(auto result, c.gw.ListMultipartUploads(c.ctx, echo.req));
  return SendXml(c, RenderListUploads(echo, result));
}

}  // namespace kelp::s3
