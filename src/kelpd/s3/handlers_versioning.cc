// Bucket versioning: PutBucketVersioning (PUT ?versioning) and
// ListObjectVersions (GET ?versions). GetBucketVersioning is in
// handlers_bucket.cc.
#include <algorithm>

#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {

Status PutBucketVersioning(S3Call& c) {
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  ASSIGN_OR_RETURN(std::string status, ParseVersioningConfiguration(body));
  RETURN_IF_ERROR(c.gw.PutBucketVersioning(c.ctx, c.route.bucket, status));
  return SendEmpty(c, 200);
}

Status ListObjectVersions(S3Call& c) {
  ListVersionsEcho echo;
  echo.bucket = c.route.bucket;
  echo.prefix = c.query.GetOr("prefix", "");
  echo.delimiter = c.query.GetOr("delimiter", "");
  echo.key_marker = c.query.GetOr("key-marker", "");
  echo.version_id_marker = c.query.GetOr("version-id-marker", "");
  ASSIGN_OR_RETURN(echo.url_encode, QueryUrlEncoding(c));
  ASSIGN_OR_RETURN(uint64_t max_keys, QueryUint(c, "max-keys", 1000));
  echo.max_keys = static_cast<uint32_t>(std::min<uint64_t>(max_keys, 1000));

  api::ListVersionsRequest req;
  req.bucket = c.route.bucket;
  req.prefix = echo.prefix;
  req.delimiter = echo.delimiter;
  req.key_marker = echo.key_marker;
  req.version_id_marker = echo.version_id_marker;
  req.max_keys = echo.max_keys;
  ASSIGN_OR_RETURN(auto result, c.gw.ListObjectVersions(c.ctx, req));
  return SendXml(c, RenderListVersions(echo, result));
}

}  // namespace kelp::s3
