// Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging.
#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {

Status GetTagging(S3Call& c, bool object) {
  auto tags = object ? c.gw.GetObjectTagging(c.ctx, c.route.bucket, c.route.key)
                     : c.gw.GetBucketTagging(c.ctx, c.route.bucket);
  if (!tags.ok()) return tags.status();
  return SendXml(c, RenderTagging(*tags));
}

Status PutTagging(S3Call& c, bool object) {
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  ASSIGN_OR_RETURN(auto tags, ParseTagging(body));
  if (object) {
    RETURN_IF_ERROR(c.gw.PutObjectTagging(c.ctx, c.route.bucket, c.route.key, tags));
    return SendEmpty(c, 200);
  }
  RETURN_IF_ERROR(c.gw.PutBucketTagging(c.ctx, c.route.bucket, tags));
  // radosgw answers PutBucketTagging 200 (AWS documents 204); clients take both.
  return SendEmpty(c, 200);
}

Status DeleteTagging(S3Call& c, bool object) {
  RETURN_IF_ERROR(object ? c.gw.DeleteObjectTagging(c.ctx, c.route.bucket, c.route.key)
                         : c.gw.DeleteBucketTagging(c.ctx, c.route.bucket));
  return SendEmpty(c, 204);
}

}  // namespace kelp::s3
