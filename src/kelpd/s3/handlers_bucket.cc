// Service and bucket operations: ListBuckets, CreateBucket, DeleteBucket,
// HeadBucket, GetBucketLocation, GetBucketVersioning.
#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"
#include "kelpd/s3/xml_render.h"

namespace kelp::s3 {

Status ListBuckets(S3Call& c) {
  ASSIGN_OR_RETURN(auto buckets, c.gw.ListBuckets(c.ctx));
  return SendXml(c, RenderListBuckets(c.ctx.who, buckets));
}

Status CreateBucket(S3Call& c) {
  api::CreateBucketRequest req;
  req.bucket = c.route.bucket;
  ASSIGN_OR_RETURN(std::string body, ReadSmallBody(c));
  ASSIGN_OR_RETURN(req.location_constraint, ParseCreateBucketConfiguration(body));
  req.canned_acl = CannedAcl(c);
  req.grant_headers = ExtractGrantHeaders(c.headers());
  RETURN_IF_ERROR(c.gw.CreateBucket(c.ctx, req));
  c.out.AddHeader("Location", "/" + c.route.bucket);
  return SendEmpty(c, 200);
}

Status DeleteBucket(S3Call& c) {
  RETURN_IF_ERROR(c.gw.DeleteBucket(c.ctx, c.route.bucket));
  return SendEmpty(c, 204);
}

Status HeadBucket(S3Call& c) {
  ASSIGN_OR_RETURN(api::BucketHeadInfo info, c.gw.HeadBucket(c.ctx, c.route.bucket));
  c.out.AddHeader("X-RGW-Object-Count", std::to_string(info.object_count));
  c.out.AddHeader("X-RGW-Bytes-Used", std::to_string(info.bytes_used));
  if (info.quotas) {
    c.out.AddHeader("X-RGW-Quota-User-Size", std::to_string(info.quotas->user_size));
    c.out.AddHeader("X-RGW-Quota-User-Objects", std::to_string(info.quotas->user_objects));
    c.out.AddHeader("X-RGW-Quota-Max-Buckets", std::to_string(info.quotas->max_buckets));
    c.out.AddHeader("X-RGW-Quota-Bucket-Size", std::to_string(info.quotas->bucket_size));
    c.out.AddHeader("X-RGW-Quota-Bucket-Objects", std::to_string(info.quotas->bucket_objects));
  }
  return SendEmpty(c, 200);
}

Status GetBucketLocation(S3Call& c) {
  ASSIGN_OR_RETURN(std::string location, c.gw.GetBucketLocation(c.ctx, c.route.bucket));
  return SendXml(c, RenderLocation(location));
}

Status GetBucketVersioning(S3Call& c) {
  ASSIGN_OR_RETURN(std::string status, c.gw.GetBucketVersioning(c.ctx, c.route.bucket));
  return SendXml(c, RenderVersioning(status));
}

}  // namespace kelp::s3
