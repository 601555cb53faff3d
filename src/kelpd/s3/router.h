// The S3 routing table: which S3 operation an HTTP request asks for, on which bucket and key.
//
// Modelled on Garage's src/api/s3/router.rs: one enum listing every S3 operation (those Kelp
// does not implement are still named, so the handler answers them 501 NotImplemented), chosen
// from the method, whether a key is present, the "keyword" sub-resource of the query (?acl,
// ?tagging, ?uploads...) and a few parameters (uploadId, partNumber, list-type) and headers
// (x-amz-copy-source).
//
// Path style:  /bucket/key...       Virtual-host style: Host: bucket.<dns suffix>, /key...
// The key is percent-decoded from the raw path ('+' stays '+', as radosgw and AWS do for the
// path); a key keeps leading slashes ("/b//k" is key "/k"). The bucket name is not validated
// here (InvalidBucketName is the handler's job).
//
// Errors: kNotImplemented for a sub-resource (a query parameter without value that is no known
// S3 parameter) or a known sub-resource not valid for the method/target; kMethodNotAllowed for
// a method S3 does not have; kInvalidRequest for a NUL byte in the path (radosgw's
// ERR_ZERO_IN_URL) or a path that is not absolute.
//
//   auto r = RouteS3("GET", "/photos/2024/a%20b.jpg", "acl", "s3.example.com", {"s3.example.com"});
//   // r->op == S3Op::GetObjectAcl, r->bucket == "photos", r->key == "2024/a b.jpg"
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "kelpd/http/exchange.h"

namespace kelp::s3 {

enum class S3Op {
  // --- service ---
  ListBuckets,
  Options,        // CORS preflight (OPTIONS on any target)
  ServicePost,    // POST / : STS, IAM, SNS topic actions (Action=... form bodies)
  // --- bucket ---
  CreateBucket,
  DeleteBucket,
  HeadBucket,
  ListObjects,
  ListObjectsV2,
  ListObjectVersions,
  ListMultipartUploads,
  GetBucketLocation,
  GetBucketAcl,
  PutBucketAcl,
  GetBucketTagging,
  PutBucketTagging,
  DeleteBucketTagging,
  GetBucketVersioning,
  PutBucketVersioning,
  DeleteObjects,
  PostObject,     // browser form upload: POST /bucket, multipart/form-data
  GetBucketCors,
  PutBucketCors,
  DeleteBucketCors,
  GetBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration,
  DeleteBucketLifecycle,
  GetBucketPolicy,
  PutBucketPolicy,
  DeleteBucketPolicy,
  GetBucketPolicyStatus,
  GetBucketWebsite,
  PutBucketWebsite,
  DeleteBucketWebsite,
  GetBucketLogging,
  PutBucketLogging,
  GetBucketNotificationConfiguration,
  PutBucketNotificationConfiguration,
  DeleteBucketNotificationConfiguration,  // radosgw extension
  GetBucketReplication,
  PutBucketReplication,
  DeleteBucketReplication,
  GetBucketEncryption,
  PutBucketEncryption,
  DeleteBucketEncryption,
  GetObjectLockConfiguration,
  PutObjectLockConfiguration,
  GetBucketRequestPayment,
  PutBucketRequestPayment,
  GetBucketAccelerateConfiguration,
  PutBucketAccelerateConfiguration,
  GetBucketOwnershipControls,
  PutBucketOwnershipControls,
  DeleteBucketOwnershipControls,
  GetPublicAccessBlock,
  PutPublicAccessBlock,
  DeletePublicAccessBlock,
  GetBucketAnalyticsConfiguration,
  ListBucketAnalyticsConfigurations,
  PutBucketAnalyticsConfiguration,
  DeleteBucketAnalyticsConfiguration,
  GetBucketInventoryConfiguration,
  ListBucketInventoryConfigurations,
  PutBucketInventoryConfiguration,
  DeleteBucketInventoryConfiguration,
  GetBucketMetricsConfiguration,
  ListBucketMetricsConfigurations,
  PutBucketMetricsConfiguration,
  DeleteBucketMetricsConfiguration,
  GetBucketIntelligentTieringConfiguration,
  ListBucketIntelligentTieringConfigurations,
  PutBucketIntelligentTieringConfiguration,
  DeleteBucketIntelligentTieringConfiguration,
  // --- object ---
  PutObject,
  AppendObject,   // radosgw extension: PUT ?append&position=N
  CopyObject,
  GetObject,
  HeadObject,
  DeleteObject,
  GetObjectAcl,
  PutObjectAcl,
  GetObjectTagging,
  PutObjectTagging,
  DeleteObjectTagging,
  GetObjectAttributes,
  GetObjectRetention,
  PutObjectRetention,
  GetObjectLegalHold,
  PutObjectLegalHold,
  GetObjectTorrent,
  RestoreObject,
  SelectObjectContent,
  CreateMultipartUpload,
  UploadPart,
  UploadPartCopy,
  CompleteMultipartUpload,
  AbortMultipartUpload,
  ListParts,
  Unknown,
};

// "GetObjectAcl". Stable; used in logs.
const char* S3OpName(S3Op op);

struct S3Route {
  S3Op op = S3Op::Unknown;
  std::string bucket;         // "" for service-level operations
  std::string key;            // decoded; "" for bucket-level operations
  bool virtual_host = false;  // bucket came from the Host header
};

// Routes a request. `has_copy_source`: the request carries x-amz-copy-source (PUT object ->
// CopyObject / UploadPartCopy). raw_path may also be an absolute-form target
// ("http://host/bucket/key"); its scheme and authority are ignored.
Result<S3Route> RouteS3(std::string_view method, std::string_view raw_path,
                        std::string_view raw_query, std::string_view host_header,
                        const std::vector<std::string>& dns_suffixes,
                        bool has_copy_source = false);

// Convenience: routes an HttpRequest (Host and x-amz-copy-source headers read from it).
Result<S3Route> RouteS3(const http::HttpRequest& req, const std::vector<std::string>& dns_suffixes);

// Percent-decodes `s` ('+' stays '+'). An invalid escape ("%zz", "%4") is kept literally.
std::string PercentDecode(std::string_view s);

}  // namespace kelp::s3
