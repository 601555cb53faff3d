// Bucket listings: ListObjects (v1), ListObjectsV2.
#include <algorithm>
#include <tuple>

#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {

Status ListObjects(S3Call& c, bool v2) {
  ListObjectsEcho echo;
  std::tie(echo.tenant, echo.bucket) = TenantAndBucket(c);
  echo.prefix = c.query.GetOr("prefix", "");
  echo.delimiter = c.query.GetOr("delimiter", "");
  ASSIGN_OR_RETURN(echo.url_encode, QueryUrlEncoding(c));
  ASSIGN_OR_RETURN(uint64_t max_keys, QueryUint(c, "max-keys", 1000));
  // radosgw caps a listing at rgw_max_listing_results (1000).
  echo.max_keys = static_cast<uint32_t>(std::min<uint64_t>(max_keys, 1000));

  api::ListObjectsRequest req;
  req.bucket = c.route.bucket;
  req.prefix = echo.prefix;
  req.delimiter = echo.delimiter;
  req.max_keys = echo.max_keys;
  if (v2) {
    echo.start_after = c.query.GetOr("start-after", "");
    echo.has_start_after = c.query.Get("start-after").has_value();
    echo.fetch_owner = c.query.GetOr("fetch-owner", "") == "true";
    if (auto token = c.query.Get("continuation-token")) {
      echo.continuation_token = *token;
      echo.has_continuation_token = true;
      if (!DecodeContinuationToken(*token, &req.marker)) {
        return Status(Code::kInvalidArgument, "The continuation token provided is incorrect");
      }
    } else {
      req.marker = echo.start_after;
    }
  } else {
    echo.marker = c.query.GetOr("marker", "");
    req.marker = echo.marker;
  }
  ASSIGN_OR_RETURN(auto result, c.gw.ListObjects(c.ctx, req));
  return SendXml(c, v2 ? RenderListObjectsV2(echo, result) : RenderListObjectsV1(echo, result));
}

}  // namespace kelp::s3
