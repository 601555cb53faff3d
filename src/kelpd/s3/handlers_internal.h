// Shared by the S3 operation handlers (handlers_*.cc); not a public API.
//
// Each operation is a function `Status Op(S3Call&)`. On success it has sent
// the whole response itself; on failure it returns the Status without
// having sent anything (the dispatcher renders the S3 error), or — once the
// response head is out — returns the error so the connection gets closed.
#pragma once

#include <memory>
#include <utility>
#include <optional>
#include <string>

#include "api/gateway.h"
#include "auth/authenticate.h"
#include "kelpd/http/exchange.h"
#include "kelpd/s3/handlers_headers.h"
#include "kelpd/s3/router.h"

namespace kelp::s3 {

struct S3Call {
  http::HttpRequest& req;
  http::BodyReader& body;
  http::ResponseWriter& out;
  api::Gateway& gw;
  S3Route route;
  QueryParams query;
  auth::AuthResult auth;
  api::RequestContext ctx;

  const HeaderList& headers() const { return req.headers; }
  const std::string* Header(std::string_view name) const { return req.Header(name); }
  bool head() const { return req.method == "HEAD"; }
};

// ---- responses ----
// 200 (or `status`) with an XML document.
Status SendXml(S3Call& c, std::string body, int status = 200);
// A response without body (Content-Length: 0).
Status SendEmpty(S3Call& c, int status);

// ---- request bodies ----
// The request body, decoded, in chunks of at most 1 MiB: plain bodies as
// read, aws-chunked bodies de-framed with their chunk signatures verified
// (the end-of-body check runs when Next() returns ""). A signed payload's
// x-amz-content-sha256 is checked by the Gateway's upload for objects and
// by ReadSmallBody for XML bodies.
class RequestBody {
 public:
  static Result<std::unique_ptr<RequestBody>> Open(S3Call& c);
  virtual ~RequestBody() = default;
  // Length of the decoded payload when known up front (Content-Length or
  // x-amz-decoded-content-length).
  virtual std::optional<uint64_t> length() const = 0;
  // Next decoded chunk, "" at the end.
  virtual Result<std::string> Next() = 0;
};

// Reads an XML (or other small) body completely: at most kMaxXmlBody bytes,
// its x-amz-content-sha256 and Content-MD5 verified here.
Result<std::string> ReadSmallBody(S3Call& c);

// For PutObject / UploadPart: content length (411 MissingContentLength when
// neither Content-Length nor a chunked body), Content-MD5 and signed SHA-256.
Status FillUploadBodyFields(S3Call& c, api::PutObjectRequest* req);
// Streams the body into `upload` and completes it.
Result<api::PutObjectResult> StreamIntoUpload(S3Call& c, api::ObjectUpload& upload);

// Bucket, key, stored headers, x-amz-meta-*, ACL headers, x-amz-tagging and
// the recorded x-amz-* headers of a PutObject / CreateMultipartUpload.
api::PutObjectRequest ObjectRequestFromHeaders(const S3Call& c);

// ---- small helpers ----
// Unsigned integer query parameter; absent -> fallback; junk -> InvalidArgument.
Result<uint64_t> QueryUint(const S3Call& c, std::string_view name, uint64_t fallback);
// encoding-type: "" or "url"; anything else -> InvalidArgument.
Result<bool> QueryUrlEncoding(const S3Call& c);
std::string QuotedEtag(const std::string& etag);
// x-amz-acl value ("" = none).
std::string CannedAcl(const S3Call& c);

// ---- operations ----
Status ListBuckets(S3Call& c);
Status CreateBucket(S3Call& c);
Status DeleteBucket(S3Call& c);
Status HeadBucket(S3Call& c);
Status GetBucketLocation(S3Call& c);
Status GetBucketVersioning(S3Call& c);
Status PutBucketVersioning(S3Call& c);
Status ListObjectVersions(S3Call& c);
Status ListObjects(S3Call& c, bool v2);
Status GetObject(S3Call& c);  // GET and HEAD
Status PutObject(S3Call& c);
Status CopyObject(S3Call& c);
Status DeleteObject(S3Call& c);
Status DeleteObjects(S3Call& c);
Status GetAcl(S3Call& c, bool object);
Status PutAcl(S3Call& c, bool object);
Status GetTagging(S3Call& c, bool object);
Status PutTagging(S3Call& c, bool object);
Status DeleteTagging(S3Call& c, bool object);
Status CreateMultipartUpload(S3Call& c);
Status UploadPart(S3Call& c);
Status UploadPartCopy(S3Call& c);
Status CompleteMultipartUpload(S3Call& c);
Status AbortMultipartUpload(S3Call& c);
Status ListParts(S3Call& c);
Status ListMultipartUploads(S3Call& c);

// radosgw's (s->bucket_tenant, s->bucket_name) for the request's bucket: an
// explicit "tenant:bucket", else the requester's tenant.
inline std::pair<std::string, std::string> TenantAndBucket(const S3Call& c) {
  if (auto colon = c.route.bucket.find(':'); colon != std::string::npos) {
    return {c.route.bucket.substr(0, colon), c.route.bucket.substr(colon + 1)};
  }
  return {c.ctx.who.user.tenant, c.route.bucket};
}

}  // namespace kelp::s3
