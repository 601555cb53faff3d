#include "kelpd/s3/router.h"

#include <algorithm>
#include <array>

namespace kelp::s3 {
namespace {

// Sub-resource "keywords": query parameters that select an operation by their presence.
enum class Kw {
  kNone, kAccelerate, kAcl, kAnalytics, kAppend, kAttributes, kCors, kDelete, kEncryption,
  kIntelligentTiering, kInventory, kLegalHold, kLifecycle, kLocation, kLogging, kMetrics,
  kNotification, kObjectLock, kOwnershipControls, kPolicy, kPolicyStatus, kPublicAccessBlock,
  kReplication, kRequestPayment, kRestore, kRetention, kSelect, kTagging, kTorrent, kUploads,
  kVersioning, kVersions, kWebsite,
};

struct KwName {
  std::string_view name;
  Kw kw;
};
constexpr std::array<KwName, 32> kKeywords{{
    {"accelerate", Kw::kAccelerate},
    {"acl", Kw::kAcl},
    {"analytics", Kw::kAnalytics},
    {"append", Kw::kAppend},
    {"attributes", Kw::kAttributes},
    {"cors", Kw::kCors},
    {"delete", Kw::kDelete},
    {"encryption", Kw::kEncryption},
    {"intelligent-tiering", Kw::kIntelligentTiering},
    {"inventory", Kw::kInventory},
    {"legal-hold", Kw::kLegalHold},
    {"lifecycle", Kw::kLifecycle},
    {"location", Kw::kLocation},
    {"logging", Kw::kLogging},
    {"metrics", Kw::kMetrics},
    {"notification", Kw::kNotification},
    {"object-lock", Kw::kObjectLock},
    {"ownershipControls", Kw::kOwnershipControls},
    {"policy", Kw::kPolicy},
    {"policyStatus", Kw::kPolicyStatus},
    {"publicAccessBlock", Kw::kPublicAccessBlock},
    {"replication", Kw::kReplication},
    {"requestPayment", Kw::kRequestPayment},
    {"restore", Kw::kRestore},
    {"retention", Kw::kRetention},
    {"select", Kw::kSelect},
    {"tagging", Kw::kTagging},
    {"torrent", Kw::kTorrent},
    {"uploads", Kw::kUploads},
    {"versioning", Kw::kVersioning},
    {"versions", Kw::kVersions},
    {"website", Kw::kWebsite},
}};

// Query parameters that carry values of known operations; never a sub-resource even when
// sent empty ("?prefix=&marker=").
constexpr std::array<std::string_view, 33> kParams{{
    "continuation-token", "delimiter", "encoding-type", "fetch-owner", "id", "key-marker",
    "list-type", "marker", "max-keys", "max-parts", "max-uploads", "part-number-marker",
    "partNumber", "position", "prefix", "select-type", "start-after", "uploadId",
    "upload-id-marker", "versionId", "version-id-marker", "allow-unordered", "x-id",
    // SigV2 presigned URLs
    "AWSAccessKeyId", "Signature", "Expires",
    // radosgw extensions
    "bucket-instance", "tenant", "usage", "mdsearch", "format", "Action", "Version",
}};

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool IsKnownParam(std::string_view name) {
  if (std::find(kParams.begin(), kParams.end(), name) != kParams.end()) return true;
  // SigV4 presigned (X-Amz-*), GetObject response overrides (response-*), radosgw system
  // parameters (rgwx-*).
  return StartsWithIgnoreCase(name, "x-amz-") || StartsWithIgnoreCase(name, "response-") ||
         StartsWithIgnoreCase(name, "rgwx-");
}

struct Query {
  Kw keyword = Kw::kNone;
  bool unknown_subresource = false;
  bool upload_id = false;
  bool part_number = false;
  bool id = false;
  bool list_type_2 = false;
};

Query ParseQuery(std::string_view raw) {
  Query q;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name = PercentDecode(part.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    auto kw = std::find_if(kKeywords.begin(), kKeywords.end(),
                           [&](const KwName& k) { return k.name == name; });
    if (kw != kKeywords.end()) {
      if (q.keyword == Kw::kNone) q.keyword = kw->kw;  // the first one decides
      continue;
    }
    if (name == "uploadId") q.upload_id = true;
    else if (name == "partNumber") q.part_number = true;
    else if (name == "id") q.id = true;
    else if (name == "list-type") q.list_type_2 = (value == "2");
    else if (!IsKnownParam(name) && value.empty()) q.unknown_subresource = true;
    // Other unknown parameters with a value (cache busters, SDK hints) are ignored.
  }
  return q;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr S3Op kNotImpl = S3Op::Unknown;  // "no such operation here"

S3Op RouteGet(bool has_key, const Query& q) {
  if (has_key) {
    switch (q.keyword) {
      case Kw::kNone: return q.upload_id ? S3Op::ListParts : S3Op::GetObject;
      case Kw::kAcl: return S3Op::GetObjectAcl;
      case Kw::kTagging: return S3Op::GetObjectTagging;
      case Kw::kAttributes: return S3Op::GetObjectAttributes;
      case Kw::kRetention: return S3Op::GetObjectRetention;
      case Kw::kLegalHold: return S3Op::GetObjectLegalHold;
      case Kw::kTorrent: return S3Op::GetObjectTorrent;
      default: return kNotImpl;
    }
  }
  switch (q.keyword) {
    case Kw::kNone: return q.list_type_2 ? S3Op::ListObjectsV2 : S3Op::ListObjects;
    case Kw::kVersions: return S3Op::ListObjectVersions;
    case Kw::kUploads: return S3Op::ListMultipartUploads;
    case Kw::kLocation: return S3Op::GetBucketLocation;
    case Kw::kAcl: return S3Op::GetBucketAcl;
    case Kw::kTagging: return S3Op::GetBucketTagging;
    case Kw::kVersioning: return S3Op::GetBucketVersioning;
    case Kw::kCors: return S3Op::GetBucketCors;
    case Kw::kLifecycle: return S3Op::GetBucketLifecycleConfiguration;
    case Kw::kPolicy: return S3Op::GetBucketPolicy;
    case Kw::kPolicyStatus: return S3Op::GetBucketPolicyStatus;
    case Kw::kWebsite: return S3Op::GetBucketWebsite;
    case Kw::kLogging: return S3Op::GetBucketLogging;
    case Kw::kNotification: return S3Op::GetBucketNotificationConfiguration;
    case Kw::kReplication: return S3Op::GetBucketReplication;
    case Kw::kEncryption: return S3Op::GetBucketEncryption;
    case Kw::kObjectLock: return S3Op::GetObjectLockConfiguration;
    case Kw::kRequestPayment: return S3Op::GetBucketRequestPayment;
    case Kw::kAccelerate: return S3Op::GetBucketAccelerateConfiguration;
    case Kw::kOwnershipControls: return S3Op::GetBucketOwnershipControls;
    case Kw::kPublicAccessBlock: return S3Op::GetPublicAccessBlock;
    case Kw::kAnalytics:
      return q.id ? S3Op::GetBucketAnalyticsConfiguration : S3Op::ListBucketAnalyticsConfigurations;
    case Kw::kInventory:
      return q.id ? S3Op::GetBucketInventoryConfiguration : S3Op::ListBucketInventoryConfigurations;
    case Kw::kMetrics:
      return q.id ? S3Op::GetBucketMetricsConfiguration : S3Op::ListBucketMetricsConfigurations;
    case Kw::kIntelligentTiering:
      return q.id ? S3Op::GetBucketIntelligentTieringConfiguration
                  : S3Op::ListBucketIntelligentTieringConfigurations;
    default: return kNotImpl;
  }
}

S3Op RoutePut(bool has_key, const Query& q, bool copy) {
  if (has_key) {
    switch (q.keyword) {
      case Kw::kNone:
        if (q.part_number || q.upload_id) return copy ? S3Op::UploadPartCopy : S3Op::UploadPart;
        return copy ? S3Op::CopyObject : S3Op::PutObject;
      case Kw::kAcl: return S3Op::PutObjectAcl;
      case Kw::kTagging: return S3Op::PutObjectTagging;
      case Kw::kRetention: return S3Op::PutObjectRetention;
      case Kw::kLegalHold: return S3Op::PutObjectLegalHold;
      case Kw::kAppend: return S3Op::AppendObject;
      default: return kNotImpl;
    }
  }
  switch (q.keyword) {
    case Kw::kNone: return S3Op::CreateBucket;
    case Kw::kAcl: return S3Op::PutBucketAcl;
    case Kw::kTagging: return S3Op::PutBucketTagging;
    case Kw::kVersioning: return S3Op::PutBucketVersioning;
    case Kw::kCors: return S3Op::PutBucketCors;
    case Kw::kLifecycle: return S3Op::PutBucketLifecycleConfiguration;
    case Kw::kPolicy: return S3Op::PutBucketPolicy;
    case Kw::kWebsite: return S3Op::PutBucketWebsite;
    case Kw::kLogging: return S3Op::PutBucketLogging;
    case Kw::kNotification: return S3Op::PutBucketNotificationConfiguration;
    case Kw::kReplication: return S3Op::PutBucketReplication;
    case Kw::kEncryption: return S3Op::PutBucketEncryption;
    case Kw::kObjectLock: return S3Op::PutObjectLockConfiguration;
    case Kw::kRequestPayment: return S3Op::PutBucketRequestPayment;
    case Kw::kAccelerate: return S3Op::PutBucketAccelerateConfiguration;
    case Kw::kOwnershipControls: return S3Op::PutBucketOwnershipControls;
    case Kw::kPublicAccessBlock: return S3Op::PutPublicAccessBlock;
    case Kw::kAnalytics: return S3Op::PutBucketAnalyticsConfiguration;
    case Kw::kInventory: return S3Op::PutBucketInventoryConfiguration;
    case Kw::kMetrics: return S3Op::PutBucketMetricsConfiguration;
    case Kw::kIntelligentTiering: return S3Op::PutBucketIntelligentTieringConfiguration;
    default: return kNotImpl;
  }
}

S3Op RouteDelete(bool has_key, const Query& q) {
  if (has_key) {
    switch (q.keyword) {
      case Kw::kNone: return q.upload_id ? S3Op::AbortMultipartUpload : S3Op::DeleteObject;
      case Kw::kTagging: return S3Op::DeleteObjectTagging;
      default: return kNotImpl;
    }
  }
  switch (q.keyword) {
    case Kw::kNone: return S3Op::DeleteBucket;
    case Kw::kTagging: return S3Op::DeleteBucketTagging;
    case Kw::kCors: return S3Op::DeleteBucketCors;
    case Kw::kLifecycle: return S3Op::DeleteBucketLifecycle;
    case Kw::kPolicy: return S3Op::DeleteBucketPolicy;
    case Kw::kWebsite: return S3Op::DeleteBucketWebsite;
    case Kw::kNotification: return S3Op::DeleteBucketNotificationConfiguration;
    case Kw::kReplication: return S3Op::DeleteBucketReplication;
    case Kw::kEncryption: return S3Op::DeleteBucketEncryption;
    case Kw::kOwnershipControls: return S3Op::DeleteBucketOwnershipControls;
    case Kw::kPublicAccessBlock: return S3Op::DeletePublicAccessBlock;
    case Kw::kAnalytics: return S3Op::DeleteBucketAnalyticsConfiguration;
    case Kw::kInventory: return S3Op::DeleteBucketInventoryConfiguration;
    case Kw::kMetrics: return S3Op::DeleteBucketMetricsConfiguration;
    case Kw::kIntelligentTiering: return S3Op::DeleteBucketIntelligentTieringConfiguration;
    default: return kNotImpl;
  }
}

S3Op RoutePost(bool has_key, const Query& q) {
  if (has_key) {
    switch (q.keyword) {
      case Kw::kNone: return q.upload_id ? S3Op::CompleteMultipartUpload : kNotImpl;
      case Kw::kUploads: return S3Op::CreateMultipartUpload;
      case Kw::kRestore: return S3Op::RestoreObject;
      case Kw::kSelect: return S3Op::SelectObjectContent;
      default: return kNotImpl;
    }
  }
  switch (q.keyword) {
    case Kw::kNone: return S3Op::PostObject;
    case Kw::kDelete: return S3Op::DeleteObjects;
    default: return kNotImpl;
  }
}

// Host without a trailing ":port" (an IPv6 literal "[::1]:80" yields "[::1]").
std::string_view StripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         http::EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

Result<S3Route> RouteS3(std::string_view method, std::string_view raw_path,
                        std::string_view raw_query, std::string_view host_header,
                        const std::vector<std::string>& dns_suffixes, bool has_copy_source) {
  // Absolute-form target: drop "scheme://authority" (radosgw's get_abs_path).
  size_t scheme = raw_path.find("://");
  if (!raw_path.empty() && raw_path.front() != '/' && scheme != std::string_view::npos) {
    size_t slash = raw_path.find('/', scheme + 3);
    raw_path = slash == std::string_view::npos ? std::string_view("/") : raw_path.substr(slash);
  }
  if (raw_path.empty() || raw_path.front() != '/') {
    return Status(Code::kInvalidRequest, "request path must start with '/'");
  }

  S3Route route;
  // Virtual-host style: the longest DNS suffix the Host ends with.
  std::string_view host = StripPort(host_header);
  size_t best = 0;
  for (const std::string& suffix : dns_suffixes) {
    if (suffix.empty() || suffix.size() <= best) continue;
    if (host.size() > suffix.size() + 1 && EndsWithIgnoreCase(host, suffix) &&
        host[host.size() - suffix.size() - 1] == '.') {
      route.bucket = std::string(host.substr(0, host.size() - suffix.size() - 1));
      route.virtual_host = true;
      best = suffix.size();
    } else if (http::EqualsIgnoreCase(host, suffix)) {
      route.bucket.clear();
      route.virtual_host = false;
      best = suffix.size();
    }
  }

  std::string_view rest = raw_path.substr(1);
  if (route.virtual_host) {
    route.key = PercentDecode(rest);
  } else {
    size_t slash = rest.find('/');
    route.bucket = PercentDecode(rest.substr(0, slash));
    if (slash != std::string_view::npos) route.key = PercentDecode(rest.substr(slash + 1));
  }
  if (route.bucket.find('\0') != std::string::npos || route.key.find('\0') != std::string::npos) {
    return Status(Code::kInvalidRequest, "NUL byte in the request path");
  }

  if (method == "OPTIONS") {
    route.op = S3Op::Options;
    return route;
  }
  Query q = ParseQuery(raw_query);
  if (q.unknown_subresource) {
    return Status(Code::kNotImplemented, "unsupported sub-resource in query: " +
                                             std::string(raw_query));
  }

  bool has_key = !route.key.empty();
  if (route.bucket.empty()) {  // service level
    if (method == "GET" && q.keyword == Kw::kNone) {
      route.op = S3Op::ListBuckets;
    } else if (method == "POST") {
      route.op = S3Op::ServicePost;
    } else if (method == "GET" || method == "HEAD") {
      return Status(Code::kNotImplemented, "unsupported service-level sub-resource");
    } else {
      return Status(Code::kMethodNotAllowed, std::string(method) + " on the service");
    }
    return route;
  }

  S3Op op;
  if (method == "GET") op = RouteGet(has_key, q);
  else if (method == "HEAD") op = q.keyword != Kw::kNone ? kNotImpl
                                  : has_key ? S3Op::HeadObject : S3Op::HeadBucket;
  else if (method == "PUT") op = RoutePut(has_key, q, has_copy_source);
  else if (method == "DELETE") op = RouteDelete(has_key, q);
  else if (method == "POST") op = RoutePost(has_key, q);
  else return Status(Code::kMethodNotAllowed, std::string(method) + " is not an S3 method");
  if (op == kNotImpl) {
    return Status(Code::kNotImplemented,
                  std::string(method) + " with query '" + std::string(raw_query) + "' on " +
                      (has_key ? "an object" : "a bucket") + " is not supported");
  }
  route.op = op;
  return route;
}

Result<S3Route> RouteS3(const http::HttpRequest& req, const std::vector<std::string>& dns_suffixes) {
  const std::string* host = req.Header("Host");
  return RouteS3(req.method, req.raw_path, req.raw_query, host ? *host : std::string_view(),
                 dns_suffixes, req.Header("x-amz-copy-source") != nullptr);
}

const char* S3OpName(S3Op op) {
  switch (op) {
#define N(x) case S3Op::x: return #x;
    N(ListBuckets) N(Options) N(ServicePost) N(CreateBucket) N(DeleteBucket) N(HeadBucket)
    N(ListObjects) N(ListObjectsV2) N(ListObjectVersions) N(ListMultipartUploads)
    N(GetBucketLocation) N(GetBucketAcl) N(PutBucketAcl) N(GetBucketTagging) N(PutBucketTagging)
    N(DeleteBucketTagging) N(GetBucketVersioning) N(PutBucketVersioning) N(DeleteObjects)
    N(PostObject) N(GetBucketCors) N(PutBucketCors) N(DeleteBucketCors)
    N(GetBucketLifecycleConfiguration) N(PutBucketLifecycleConfiguration)
    N(DeleteBucketLifecycle) N(GetBucketPolicy) N(PutBucketPolicy) N(DeleteBucketPolicy)
    N(GetBucketPolicyStatus) N(GetBucketWebsite) N(PutBucketWebsite) N(DeleteBucketWebsite)
    N(GetBucketLogging) N(PutBucketLogging) N(GetBucketNotificationConfiguration)
    N(PutBucketNotificationConfiguration) N(DeleteBucketNotificationConfiguration)
    N(GetBucketReplication) N(PutBucketReplication) N(DeleteBucketReplication)
    N(GetBucketEncryption) N(PutBucketEncryption) N(DeleteBucketEncryption)
    N(GetObjectLockConfiguration) N(PutObjectLockConfiguration) N(GetBucketRequestPayment)
    N(PutBucketRequestPayment) N(GetBucketAccelerateConfiguration)
    N(PutBucketAccelerateConfiguration) N(GetBucketOwnershipControls)
    N(PutBucketOwnershipControls) N(DeleteBucketOwnershipControls) N(GetPublicAccessBlock)
    N(PutPublicAccessBlock) N(DeletePublicAccessBlock) N(GetBucketAnalyticsConfiguration)
    N(ListBucketAnalyticsConfigurations) N(PutBucketAnalyticsConfiguration)
    N(DeleteBucketAnalyticsConfiguration) N(GetBucketInventoryConfiguration)
    N(ListBucketInventoryConfigurations) N(PutBucketInventoryConfiguration)
    N(DeleteBucketInventoryConfiguration) N(GetBucketMetricsConfiguration)
    N(ListBucketMetricsConfigurations) N(PutBucketMetricsConfiguration)
    N(DeleteBucketMetricsConfiguration) N(GetBucketIntelligentTieringConfiguration)
    N(ListBucketIntelligentTieringConfigurations) N(PutBucketIntelligentTieringConfiguration)
    N(DeleteBucketIntelligentTieringConfiguration) N(PutObject) N(AppendObject) N(CopyObject)
    N(GetObject) N(HeadObject) N(DeleteObject) N(GetObjectAcl) N(PutObjectAcl)
    N(GetObjectTagging) N(PutObjectTagging) N(DeleteObjectTagging) N(GetObjectAttributes)
    N(GetObjectRetention) N(PutObjectRetention) N(GetObjectLegalHold) N(PutObjectLegalHold)
    N(GetObjectTorrent) N(RestoreObject) N(SelectObjectContent) N(CreateMultipartUpload)
    N(UploadPart) N(UploadPartCopy) N(CompleteMultipartUpload) N(AbortMultipartUpload)
    N(ListParts) N(Unknown)
#undef N
  }
  return "Unknown";
}

}  // namespace kelp::s3
