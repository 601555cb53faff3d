// Renders libkelp's typed results as the S3 response documents radosgw and
// AWS send (namespace http://s3.amazonaws.com/doc/2006-03-01/). Pure
// functions of their inputs; no I/O, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/types.h"

namespace kelp::s3 {

// GET / : ListAllMyBucketsResult with the requester as Owner.
std::string RenderListBuckets(const api::Identity& who,
                              const std::vector<api::BucketSummary>& buckets);

// The request parameters a listing echoes back.
struct ListObjectsEcho {
  std::string tenant;  // the bucket's tenant, "" for none (radosgw's <Tenant>)
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  uint32_t max_keys = 1000;
  bool url_encode = false;  // encoding-type=url: keys/prefixes/markers percent-encoded
  // v1
  std::string marker;
  // v2
  std::string continuation_token;  // as sent by the client
  bool has_continuation_token = false;
  std::string start_after;
  bool has_start_after = false;
  bool fetch_owner = false;
};

// ListBucketResult version 1 (GET /bucket), element for element as radosgw 16.2
// (RGWListBucket_ObjStore_S3::send_response): EncodingType first, common
// prefixes before contents, Marker/NextMarker last (url-encoded under
// encoding-type=url, where 16.2 sends them raw: see xml_render.cc).
std::string RenderListObjectsV1(const ListObjectsEcho& echo, const api::ListObjectsResult& r);
// ListBucketResult version 2 (GET /bucket?list-type=2). NextContinuationToken
// is EncodeContinuationToken(r.next_marker).
std::string RenderListObjectsV2(const ListObjectsEcho& echo, const api::ListObjectsResult& r);

// v2 continuation tokens are radosgw's: the key to resume after, as is.
std::string EncodeContinuationToken(const std::string& marker);
// Always succeeds (kept as a seam for a token format with validation).
bool DecodeContinuationToken(const std::string& token, std::string* marker);

// radosgw's url_encode (rgw_common.cc), the encoding-type=url form: controls,
// space, non-ASCII and "#%&+,/:;<=>?@[\]^`{} as %XX; '/' only if encode_slash.
std::string RgwUrlEncode(std::string_view s, bool encode_slash);
// RgwUrlEncode(key, false).
std::string UrlEncodeKey(const std::string& key);

// <LocationConstraint>api_name</LocationConstraint>
std::string RenderLocation(const std::string& api_name);

// <VersioningConfiguration> with <Status>Enabled|Suspended</Status>; an
// empty status (versioning never set) renders the empty element, as radosgw.
std::string RenderVersioning(const std::string& status);

// ListVersionsResult (GET /bucket?versions): Version and DeleteMarker
// entries in listing order, as radosgw's send_versioned_response.
struct ListVersionsEcho {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string version_id_marker;
  uint32_t max_keys = 1000;
  bool url_encode = false;
};
std::string RenderListVersions(const ListVersionsEcho& echo, const api::ListVersionsResult& r);

std::string RenderInitiateMultipart(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id);
std::string RenderCompleteMultipart(const std::string& location, const std::string& bucket,
                                    const std::string& key, const std::string& etag);

struct ListPartsEcho {
  std::string bucket;
  std::string key;
  std::string upload_id;
  uint32_t part_number_marker = 0;
  uint32_t max_parts = 1000;
};
std::string RenderListParts(const ListPartsEcho& echo, const api::ListPartsResult& r);

struct ListUploadsEcho {
  api::ListUploadsRequest req;
  std::string tenant;       // radosgw's <Tenant>, "" for none
  std::string bucket_name;  // without the tenant; "" = req.bucket
  bool url_encode = false;
};
std::string RenderListUploads(const ListUploadsEcho& echo, const api::ListUploadsResult& r);

// CopyObjectResult, or CopyPartResult for UploadPartCopy.
std::string RenderCopyResult(const api::CopyObjectResult& r, bool part);

// DeleteResult of a multi-object delete; in quiet mode only the errors.
std::string RenderDeleteResult(const std::vector<api::DeleteResult>& results, bool quiet);

// <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>
std::string RenderTagging(const std::map<std::string, std::string>& tags);

}  // namespace kelp::s3
