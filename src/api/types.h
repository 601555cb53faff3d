// Typed requests and results of libkelp's S3-level operations.
//
// These are the values the HTTP layer (kelpd), kelp-admin and the Python
// bindings exchange with the Gateway. They carry no wire syntax: no XML, no
// header spelling beyond the stored header names.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "rgw/types/common.h"

namespace kelp::api {

// Who is asking. Built by Gateway::Authenticate (or by a trusted caller such
// as kelp-admin acting as the system).
struct Identity {
  bool anonymous = true;
  bool system = false;  // bypasses ACL checks (kelp-admin, maintenance)
  rgw::User user;
  std::string display_name;
  std::string access_key;

  static Identity Anonymous() { return {}; }
  static Identity System() {
    Identity id;
    id.anonymous = false;
    id.system = true;
    return id;
  }
};

struct RequestContext {
  Identity who;
  std::string request_id;
  std::string remote_addr;
};

// Headers radosgw stores with an object and returns on GET/HEAD
// (user.rgw.content_type, cache_control, ...), keyed by their HTTP name in
// lower case: "content-type", "cache-control", "content-disposition",
// "content-encoding", "content-language", "expires".
using StoredHeaders = std::map<std::string, std::string>;
// User metadata without the "x-amz-meta-" prefix, names lower-cased.
using UserMetadata = std::map<std::string, std::string>;

struct BucketSummary {
  std::string name;
  CephTime creation_time;
};

// What HeadBucket tells (radosgw's dump_bucket_metadata: X-RGW-Object-Count,
// X-RGW-Bytes-Used, and to the bucket's owner only its quotas).
struct BucketHeadInfo {
  uint64_t object_count = 0;  // all index categories, as radosgw's bucket stats
  uint64_t bytes_used = 0;
  struct Quotas {
    int64_t user_size = -1, user_objects = -1, max_buckets = 0;
    int64_t bucket_size = -1, bucket_objects = -1;
  };
  std::optional<Quotas> quotas;  // the requester owns the bucket
};

struct CreateBucketRequest {
  std::string bucket;
  std::string location_constraint;  // "" = default zonegroup
  std::string canned_acl;           // "" = private
  // x-amz-grant-* header values by permission name ("read", "write",
  // "read-acp", "write-acp", "full-control").
  std::map<std::string, std::string> grant_headers;
};

struct ObjectInfo {
  std::string key;
  std::string version_id;  // "" = not versioned
  uint64_t size = 0;
  CephTime mtime;
  std::string etag;  // without quotes
  std::string storage_class = "STANDARD";
  rgw::User owner;
  std::string owner_display_name;
  StoredHeaders headers;
  UserMetadata metadata;
  std::map<std::string, std::string> tags;  // only filled by GetObjectTagging
  uint32_t tag_count = 0;
};

struct PutObjectRequest {
  std::string bucket;
  std::string key;
  std::optional<uint64_t> content_length;  // known up front, if any
  std::string content_md5;                 // base64 as sent, "" = none
  std::string expected_sha256_hex;         // SigV4 signed payload, "" = none
  StoredHeaders headers;
  UserMetadata metadata;
  std::string canned_acl;
  std::map<std::string, std::string> grant_headers;
  std::string tagging;  // x-amz-tagging query-string form, "" = none
  // Raw request headers radosgw also records as xattrs
  // (user.rgw.x-amz-date, user.rgw.x-amz-content-sha256, ...).
  std::map<std::string, std::string> recorded_amz_headers;
};

struct PutObjectResult {
  std::string etag;
  std::string version_id;
};

struct ByteRange {
  // Parsed "bytes=first-last", "bytes=first-", "bytes=-suffix".
  std::optional<uint64_t> first;
  std::optional<uint64_t> last;
  std::optional<uint64_t> suffix;
};

struct Conditions {
  std::string if_match;
  std::string if_none_match;
  std::optional<CephTime> if_modified_since;
  std::optional<CephTime> if_unmodified_since;
};

struct GetObjectRequest {
  std::string bucket;
  std::string key;
  std::string version_id;
  std::optional<ByteRange> range;
  Conditions conditions;
  bool head_only = false;
  std::optional<uint32_t> part_number;
};

struct ListObjectsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string marker;  // v1 Marker / v2 StartAfter or decoded token
  uint32_t max_keys = 1000;
};

struct ListObjectsResult {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_marker;  // last key or prefix returned when truncated
};

struct DeleteResult {
  std::string key;
  std::string version_id;
  bool delete_marker = false;
  Status status;  // per key in multi-delete
};

enum class MetadataDirective { kCopy, kReplace };

struct CopyObjectRequest {
  std::string src_bucket;
  std::string src_key;
  std::string src_version_id;
  Conditions src_conditions;
  std::string dst_bucket;
  std::string dst_key;
  MetadataDirective directive = MetadataDirective::kCopy;
  StoredHeaders headers;  // for REPLACE
  UserMetadata metadata;  // for REPLACE
  std::string canned_acl;
  std::map<std::string, std::string> grant_headers;
  std::map<std::string, std::string> recorded_amz_headers;
};

struct CopyObjectResult {
  std::string etag;
  CephTime mtime;
  std::string version_id;  // of the new copy, in a bucket with versioning enabled
};

struct MultipartUpload {
  std::string key;
  std::string upload_id;
  CephTime initiated;
  rgw::User owner;
  std::string owner_display_name;
};

struct PartInfo {
  uint32_t number = 0;
  uint64_t size = 0;
  std::string etag;
  CephTime mtime;
};

struct CompletedPart {
  uint32_t number = 0;
  std::string etag;  // with or without quotes
};

struct ListPartsResult {
  std::vector<PartInfo> parts;
  bool truncated = false;
  uint32_t next_marker = 0;
  MultipartUpload upload;
};

struct ListUploadsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  uint32_t max_uploads = 1000;
};

struct ListUploadsResult {
  std::vector<MultipartUpload> uploads;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

// ListObjectVersions (GET ?versions).
struct ListVersionsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string version_id_marker;  // "" = after every version of key_marker
  uint32_t max_keys = 1000;
};

// One Version or DeleteMarker of a versions listing.
struct ObjectVersion {
  ObjectInfo info;  // key, version_id ("null" for the null version), size, mtime, etag, owner
  bool is_latest = false;
  bool delete_marker = false;
};

struct ListVersionsResult {
  std::vector<ObjectVersion> versions;  // key order, newest version first per key
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;         // when truncated
  std::string next_version_id_marker;  // when truncated ("null" for the null version)
};

}  // namespace kelp::api
