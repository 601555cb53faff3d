#include "kelpd/s3/router.h"

#include <gtest/gtest.h>

namespace kelp::s3 {
namespace {

const std::vector<std::string> kSuffixes = {"s3.example.com", "example.com"};

S3Route Route(std::string_view method, std::string_view path, std::string_view query = "",
              std::string_view host = "localhost:7480", bool copy = false) {
  auto r = RouteS3(method, path, query, host, kSuffixes, copy);
  EXPECT_TRUE(r.ok()) << method << " " << path << "?" << query << ": " << r.status().ToString();
  return r.ok() ? *r : S3Route{};
}

Code RouteError(std::string_view method, std::string_view path, std::string_view query = "") {
  auto r = RouteS3(method, path, query, "localhost", kSuffixes);
  EXPECT_FALSE(r.ok()) << method << " " << path << "?" << query << " routed to "
                       << (r.ok() ? S3OpName(r->op) : "");
  return r.ok() ? Code::kOk : r.status().code();
}

TEST(RouterTest, PathStyleBucketAndObject) {
  S3Route r = Route("GET", "/");
  EXPECT_EQ(r.op, S3Op::ListBuckets);
  EXPECT_EQ(r.bucket, "");

  r = Route("PUT", "/photos");
  EXPECT_EQ(r.op, S3Op::CreateBucket);
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_EQ(r.key, "");
  EXPECT_FALSE(r.virtual_host);

  EXPECT_EQ(Route("PUT", "/photos/").op, S3Op::CreateBucket);
  EXPECT_EQ(Route("HEAD", "/photos").op, S3Op::HeadBucket);
  EXPECT_EQ(Route("DELETE", "/photos").op, S3Op::DeleteBucket);
  EXPECT_EQ(Route("GET", "/photos").op, S3Op::ListObjects);
  EXPECT_EQ(Route("GET", "/photos", "list-type=2&prefix=a").op, S3Op::ListObjectsV2);
  EXPECT_EQ(Route("GET", "/photos", "prefix=&marker=&delimiter=%2F").op, S3Op::ListObjects);

  r = Route("GET", "/photos/2024/jan/a.jpg");
  EXPECT_EQ(r.op, S3Op::GetObject);
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_EQ(r.key, "2024/jan/a.jpg");
  EXPECT_EQ(Route("HEAD", "/photos/a").op, S3Op::HeadObject);
  EXPECT_EQ(Route("PUT", "/photos/a").op, S3Op::PutObject);
  EXPECT_EQ(Route("DELETE", "/photos/a").op, S3Op::DeleteObject);
  EXPECT_EQ(Route("DELETE", "/photos/a", "versionId=xyz").op, S3Op::DeleteObject);
}

TEST(RouterTest, KeysArePercentDecodedButNotPlusDecoded) {
  EXPECT_EQ(Route("GET", "/b/a%2Bb").key, "a+b");
  EXPECT_EQ(Route("GET", "/b/a+b").key, "a+b");
  EXPECT_EQ(Route("GET", "/b/with%20space").key, "with space");
  EXPECT_EQ(Route("GET", "/b/%E6%97%A5%E6%9C%AC/%C3%A9t%C3%A9").key, "日本/été");
  EXPECT_EQ(Route("GET", "/b/dir%2Fsub/file").key, "dir/sub/file");
  EXPECT_EQ(Route("GET", "/b//leading").key, "/leading");
  EXPECT_EQ(Route("GET", "/b/trailing/").key, "trailing/");
  EXPECT_EQ(Route("GET", "/b/a//b").key, "a//b");
  EXPECT_EQ(Route("GET", "/b/100%").key, "100%");     // invalid escape kept
  EXPECT_EQ(Route("GET", "/b/%zz").key, "%zz");
  EXPECT_EQ(RouteError("GET", "/b/a%00b"), Code::kInvalidRequest);
  EXPECT_EQ(RouteError("GET", "b/a"), Code::kInvalidRequest);
}

TEST(RouterTest, VirtualHostStyle) {
  S3Route r = Route("GET", "/key/with/slash", "", "photos.s3.example.com");
  EXPECT_EQ(r.op, S3Op::GetObject);
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_EQ(r.key, "key/with/slash");
  EXPECT_TRUE(r.virtual_host);

  r = Route("GET", "/", "", "photos.s3.example.com:7480");
  EXPECT_EQ(r.op, S3Op::ListObjects);
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_TRUE(r.virtual_host);

  // A bucket with dots; the longest matching suffix wins.
  r = Route("PUT", "/", "", "my.dotted.bucket.s3.example.com");
  EXPECT_EQ(r.op, S3Op::CreateBucket);
  EXPECT_EQ(r.bucket, "my.dotted.bucket");

  // The suffix itself (any case) is path style.
  r = Route("GET", "/photos/a", "", "S3.Example.COM");
  EXPECT_FALSE(r.virtual_host);
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_EQ(r.key, "a");
  EXPECT_EQ(Route("GET", "/", "", "s3.example.com").op, S3Op::ListBuckets);

  // A host under no suffix, an IP address: path style.
  r = Route("GET", "/photos/a", "", "10.0.0.1:80");
  EXPECT_FALSE(r.virtual_host);
  EXPECT_EQ(r.bucket, "photos");
  r = Route("GET", "/photos/a", "", "[::1]:7480");
  EXPECT_EQ(r.bucket, "photos");

  r = Route("GET", "/a%2Bb%20c", "", "photos.example.com");
  EXPECT_EQ(r.bucket, "photos");
  EXPECT_EQ(r.key, "a+b c");
}

TEST(RouterTest, BucketSubResources) {
  EXPECT_EQ(Route("GET", "/b", "acl").op, S3Op::GetBucketAcl);
  EXPECT_EQ(Route("PUT", "/b", "acl").op, S3Op::PutBucketAcl);
  EXPECT_EQ(Route("PUT", "/b", "acl=").op, S3Op::PutBucketAcl);
  EXPECT_EQ(Route("GET", "/b", "location").op, S3Op::GetBucketLocation);
  EXPECT_EQ(Route("GET", "/b", "tagging").op, S3Op::GetBucketTagging);
  EXPECT_EQ(Route("PUT", "/b", "tagging").op, S3Op::PutBucketTagging);
  EXPECT_EQ(Route("DELETE", "/b", "tagging").op, S3Op::DeleteBucketTagging);
  EXPECT_EQ(Route("GET", "/b", "versioning").op, S3Op::GetBucketVersioning);
  EXPECT_EQ(Route("PUT", "/b", "versioning").op, S3Op::PutBucketVersioning);
  EXPECT_EQ(Route("GET", "/b", "versions&prefix=x&key-marker=").op, S3Op::ListObjectVersions);
  EXPECT_EQ(Route("GET", "/b", "uploads&max-uploads=3").op, S3Op::ListMultipartUploads);
  EXPECT_EQ(Route("POST", "/b", "delete").op, S3Op::DeleteObjects);
  EXPECT_EQ(Route("POST", "/b").op, S3Op::PostObject);
  EXPECT_EQ(Route("GET", "/b", "cors").op, S3Op::GetBucketCors);
  EXPECT_EQ(Route("PUT", "/b", "lifecycle").op, S3Op::PutBucketLifecycleConfiguration);
  EXPECT_EQ(Route("DELETE", "/b", "policy").op, S3Op::DeleteBucketPolicy);
  EXPECT_EQ(Route("GET", "/b", "policyStatus").op, S3Op::GetBucketPolicyStatus);
  EXPECT_EQ(Route("PUT", "/b", "object-lock").op, S3Op::PutObjectLockConfiguration);
  EXPECT_EQ(Route("GET", "/b", "requestPayment").op, S3Op::GetBucketRequestPayment);
  EXPECT_EQ(Route("GET", "/b", "metrics").op, S3Op::ListBucketMetricsConfigurations);
  EXPECT_EQ(Route("GET", "/b", "metrics&id=m1").op, S3Op::GetBucketMetricsConfiguration);
  EXPECT_EQ(Route("DELETE", "/b", "notification").op,
            S3Op::DeleteBucketNotificationConfiguration);
  // Sub-resources work the same in virtual-host style.
  EXPECT_EQ(Route("GET", "/", "acl", "b.s3.example.com").op, S3Op::GetBucketAcl);
}

TEST(RouterTest, ObjectSubResourcesAndMultipart) {
  EXPECT_EQ(Route("GET", "/b/k", "acl").op, S3Op::GetObjectAcl);
  EXPECT_EQ(Route("PUT", "/b/k", "acl&versionId=v1").op, S3Op::PutObjectAcl);
  EXPECT_EQ(Route("GET", "/b/k", "tagging").op, S3Op::GetObjectTagging);
  EXPECT_EQ(Route("PUT", "/b/k", "tagging").op, S3Op::PutObjectTagging);
  EXPECT_EQ(Route("DELETE", "/b/k", "tagging").op, S3Op::DeleteObjectTagging);
  EXPECT_EQ(Route("GET", "/b/k", "versionId=v1&response-content-type=text%2Fplain").op,
            S3Op::GetObject);
  EXPECT_EQ(Route("GET", "/b/k", "retention").op, S3Op::GetObjectRetention);
  EXPECT_EQ(Route("PUT", "/b/k", "legal-hold").op, S3Op::PutObjectLegalHold);
  EXPECT_EQ(Route("GET", "/b/k", "torrent").op, S3Op::GetObjectTorrent);
  EXPECT_EQ(Route("POST", "/b/k", "restore").op, S3Op::RestoreObject);
  EXPECT_EQ(Route("POST", "/b/k", "select&select-type=2").op, S3Op::SelectObjectContent);
  EXPECT_EQ(Route("PUT", "/b/k", "append&position=0").op, S3Op::AppendObject);

  EXPECT_EQ(Route("POST", "/b/k", "uploads").op, S3Op::CreateMultipartUpload);
  EXPECT_EQ(Route("PUT", "/b/k", "partNumber=1&uploadId=u").op, S3Op::UploadPart);
  EXPECT_EQ(Route("PUT", "/b/k", "partNumber=1&uploadId=u", "h", true).op, S3Op::UploadPartCopy);
  EXPECT_EQ(Route("PUT", "/b/k", "", "h", true).op, S3Op::CopyObject);
  EXPECT_EQ(Route("POST", "/b/k", "uploadId=u").op, S3Op::CompleteMultipartUpload);
  EXPECT_EQ(Route("DELETE", "/b/k", "uploadId=u").op, S3Op::AbortMultipartUpload);
  EXPECT_EQ(Route("GET", "/b/k", "uploadId=u&max-parts=2").op, S3Op::ListParts);
}

TEST(RouterTest, PresignedAndUnknownValuedParametersAreIgnored) {
  EXPECT_EQ(Route("GET", "/b/k",
                  "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F&X-Amz-Signature=ab")
                .op,
            S3Op::GetObject);
  EXPECT_EQ(Route("GET", "/b/k", "AWSAccessKeyId=A&Expires=1&Signature=x%2B").op,
            S3Op::GetObject);
  EXPECT_EQ(Route("PUT", "/b/k", "x-id=PutObject").op, S3Op::PutObject);
  EXPECT_EQ(Route("GET", "/b", "cachebuster=123").op, S3Op::ListObjects);
}

TEST(RouterTest, UnknownSubResourceIsNotImplemented) {
  EXPECT_EQ(RouteError("GET", "/b", "frobnicate"), Code::kNotImplemented);
  EXPECT_EQ(RouteError("GET", "/b/k", "frobnicate="), Code::kNotImplemented);
  EXPECT_EQ(RouteError("PUT", "/b/k", "versioning"), Code::kNotImplemented);  // bucket-only
  EXPECT_EQ(RouteError("POST", "/b/k"), Code::kNotImplemented);
  EXPECT_EQ(RouteError("HEAD", "/b/k", "acl"), Code::kNotImplemented);
  EXPECT_EQ(RouteError("GET", "/", "usage-report"), Code::kNotImplemented);
}

TEST(RouterTest, MethodsAndServiceLevel) {
  EXPECT_EQ(RouteError("PATCH", "/b/k"), Code::kMethodNotAllowed);
  EXPECT_EQ(RouteError("PUT", "/"), Code::kMethodNotAllowed);
  EXPECT_EQ(Route("POST", "/").op, S3Op::ServicePost);
  S3Route r = Route("OPTIONS", "/b/k", "whatever");
  EXPECT_EQ(r.op, S3Op::Options);
  EXPECT_EQ(r.key, "k");
}

TEST(RouterTest, AbsoluteFormTarget) {
  S3Route r = Route("GET", "http://localhost:7480/b/k%20x");
  EXPECT_EQ(r.bucket, "b");
  EXPECT_EQ(r.key, "k x");
}

TEST(RouterTest, InvalidBucketNamesReachTheHandler) {
  S3Route r = Route("PUT", "/Invalid_Bucket..Name");
  EXPECT_EQ(r.op, S3Op::CreateBucket);
  EXPECT_EQ(r.bucket, "Invalid_Bucket..Name");
}

TEST(RouterTest, RoutesAnHttpRequest) {
  http::HttpRequest req;
  req.method = "PUT";
  req.raw_path = "/dst";
  req.headers = {{"host", "bucket.s3.example.com"}, {"X-Amz-Copy-Source", "/src/k"}};
  auto r = RouteS3(req, kSuffixes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->op, S3Op::CopyObject);
  EXPECT_EQ(r->bucket, "bucket");
  EXPECT_EQ(r->key, "dst");
}

TEST(RouterTest, OpNames) {
  EXPECT_STREQ(S3OpName(S3Op::GetObjectAcl), "GetObjectAcl");
  EXPECT_STREQ(S3OpName(S3Op::Unknown), "Unknown");
}

}  // namespace
}  // namespace kelp::s3
