// PutObject: headers -> PutObjectRequest, body streamed into the Gateway's
// ObjectUpload, ETag (and version id) back.
#include "kelpd/s3/handlers_internal.h"

namespace kelp::s3 {

api::PutObjectRequest ObjectRequestFromHeaders(const S3Call& c) {
  api::PutObjectRequest req;
  req.bucket = c.route.bucket;
  req.key = c.route.key;
  req.headers = ExtractStoredHeaders(c.headers());
  req.metadata = ExtractUserMetadata(c.headers());
  req.canned_acl = CannedAcl(c);
  req.grant_headers = ExtractGrantHeaders(c.headers());
  if (const std::string* t = c.Header("x-amz-tagging")) req.tagging = *t;
  req.recorded_amz_headers = ExtractRecordedAmzHeaders(c.headers());
  return req;
}

Status PutObject(S3Call& c) {
  api::PutObjectRequest req = ObjectRequestFromHeaders(c);
  RETURN_IF_ERROR(FillUploadBodyFields(c, &req));
  ASSIGN_OR_RETURN(auto upload, c.gw.PutObject(c.ctx, req));
  ASSIGN_OR_RETURN(api::PutObjectResult result, StreamIntoUpload(c, *upload));
  c.out.AddHeader("ETag", QuotedEtag(result.etag));
  if (!result.version_id.empty()) c.out.AddHeader("x-amz-version-id", result.version_id);
  return SendEmpty(c, 200);
}

}  // namespace kelp::s3
