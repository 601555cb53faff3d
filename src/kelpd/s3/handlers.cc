#include "kelpd/s3/handlers.h"

#include "auth/request.h"
#include "kelpd/s3/errors.h"
#include "kelpd/s3/handlers_internal.h"

namespace kelp::s3 {
namespace {

Status Dispatch(S3Call& c) {
  switch (c.route.op) {
    case S3Op::ListBuckets:
      return ListBuckets(c);
    case S3Op::CreateBucket:
      return CreateBucket(c);
    case S3Op::DeleteBucket:
      return DeleteBucket(c);
    case S3Op::HeadBucket:
      return HeadBucket(c);
    case S3Op::GetBucketLocation:
      return GetBucketLocation(c);
    case S3Op::GetBucketVersioning:
      return GetBucketVersioning(c);
    case S3Op::PutBucketVersioning:
      return PutBucketVersioning(c);
    case S3Op::ListObjectVersions:
      return ListObjectVersions(c);
    case S3Op::ListObjects:
      return ListObjects(c, false);
    case S3Op::ListObjectsV2:
      return ListObjects(c, true);
    case S3Op::ListMultipartUploads:
      return ListMultipartUploads(c);
    case S3Op::GetBucketAcl:
      return GetAcl(c, false);
    case S3Op::PutBucketAcl:
      return PutAcl(c, false);
    case S3Op::GetBucketTagging:
      return GetTagging(c, false);
    case S3Op::PutBucketTagging:
      return PutTagging(c, false);
    case S3Op::DeleteBucketTagging:
      return DeleteTagging(c, false);
    case S3Op::DeleteObjects:
      return DeleteObjects(c);
    case S3Op::PutObject:
      return PutObject(c);
    case S3Op::CopyObject:
      return CopyObject(c);
    case S3Op::GetObject:
    case S3Op::HeadObject:
      return GetObject(c);
    case S3Op::DeleteObject:
      return DeleteObject(c);
    case S3Op::GetObjectAcl:
      return GetAcl(c, true);
    case S3Op::PutObjectAcl:
      return PutAcl(c, true);
    case S3Op::GetObjectTagging:
      return GetTagging(c, true);
    case S3Op::PutObjectTagging:
      return PutTagging(c, true);
    case S3Op::DeleteObjectTagging:
      return DeleteTagging(c, true);
    case S3Op::CreateMultipartUpload:
      return CreateMultipartUpload(c);
    case S3Op::UploadPart:
      return UploadPart(c);
    case S3Op::UploadPartCopy:
      return UploadPartCopy(c);
    case S3Op::CompleteMultipartUpload:
      return CompleteMultipartUpload(c);
    case S3Op::AbortMultipartUpload:
      return AbortMultipartUpload(c);
    case S3Op::ListParts:
      return ListParts(c);
    default:
      return Status(Code::kNotImplemented,
                    std::string(S3OpName(c.route.op)) + " is not implemented by Kelp");
  }
}

}  // namespace

S3Handler::S3Handler(api::Gateway& gateway, S3HandlerOptions options)
    : gateway_(gateway), options_(std::move(options)) {}

http::Handler S3Handler::AsHandler() {
  return [this](http::HttpRequest& req, http::BodyReader& body, http::ResponseWriter& out) {
    Handle(req, body, out);
  };
}

void S3Handler::Handle(http::HttpRequest& req, http::BodyReader& body, http::ResponseWriter& out) {
  out.AddHeader("x-amz-id-2", options_.host_id);
  const std::string resource = req.raw_path.empty() ? "/" : req.raw_path;
  auto fail = [&](const Status& st) {
    if (!out.head_sent()) SendS3Error(req, out, st, resource, options_.host_id);
  };

  auto route = RouteS3(req, options_.dns_suffixes);
  if (!route.ok()) return fail(route.status());

  auth::SignedRequest sreq;
  sreq.method = req.method;
  sreq.raw_path = req.raw_path;
  sreq.raw_query = req.raw_query;
  sreq.headers = req.headers;
  if (const std::string* host = req.Header("host")) sreq.host = *host;
  if (route->virtual_host) sreq.vhost_bucket = route->bucket;

  S3Call c{req, body, out, gateway_, std::move(*route), QueryParams(req.raw_query), {}, {}};
  auto who = gateway_.Authenticate(sreq, &c.auth);
  if (!who.ok()) return fail(who.status());
  c.ctx.who = std::move(*who);
  c.ctx.request_id = req.request_id;
  c.ctx.remote_addr = req.remote_addr;

  Status st = Dispatch(c);
  if (!st.ok()) return fail(st);
  if (!out.head_sent()) {
    fail(Status::Internal(std::string(S3OpName(c.route.op)) + " sent no response"));
  }
}

}  // namespace kelp::s3
