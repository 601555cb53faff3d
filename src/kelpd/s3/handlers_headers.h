// Parsing of S3 request headers and query parameters into libkelp's typed
// request fields: Range, conditional headers, x-amz-copy-source(-range),
// stored headers, x-amz-meta-*, x-amz-grant-*, recorded x-amz-* headers.
// Pure functions over the header list as received; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/types.h"
#include "base/status.h"

namespace kelp::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// First value of a header (case-insensitive name), nullptr if absent.
const std::string* FindHeader(const HeaderList& headers, std::string_view name);

// Decoded query parameters of a request ("?acl" has an empty value).
class QueryParams {
 public:
  explicit QueryParams(std::string_view raw_query);
  bool Has(std::string_view name) const;
  // Value of the first parameter `name`, nullopt if absent.
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const {
    auto v = Get(name);
    return v ? *v : fallback;
  }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// "bytes=first-last", "bytes=first-", "bytes=-suffix". Anything else
// (another unit, several ranges, last < first, junk) is not a range: S3 and
// radosgw then ignore the header and send the whole object.
std::optional<api::ByteRange> ParseRange(std::string_view value);

// x-amz-copy-source-range: only "bytes=first-last" with first <= last;
// anything else is InvalidArgument (as AWS).
Result<api::ByteRange> ParseCopySourceRange(std::string_view value);

// An HTTP date (RFC 1123, RFC 850, asctime) or ISO 8601
// ("2026-11-23T01:24:11Z", fraction optional), as radosgw's parse_time.
std::optional<CephTime> ParseHttpTime(std::string_view value);

// If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since, or with
// prefix "x-amz-copy-source-" the copy-source variants. An unparsable date is
// ignored (AWS and radosgw do the same).
api::Conditions ParseConditions(const HeaderList& headers, std::string_view prefix = "");

struct CopySource {
  std::string bucket;
  std::string key;
  std::string version_id;
};
// "[/]bucket/key[?versionId=id]", percent-decoded after splitting off the
// versionId. No bucket or no key -> InvalidArgument.
Result<CopySource> ParseCopySource(std::string_view value);

// Content-Type, Cache-Control, Content-Disposition, Content-Encoding (minus
// the "aws-chunked" transfer coding), Content-Language, Expires.
api::StoredHeaders ExtractStoredHeaders(const HeaderList& headers);
// x-amz-meta-* with the prefix stripped and names lower-cased; a repeated
// header's values are joined with ',' (as radosgw's env folding).
api::UserMetadata ExtractUserMetadata(const HeaderList& headers);
// x-amz-grant-read/-write/-read-acp/-write-acp/-full-control keyed by the
// permission name ("read", ..., "full-control").
std::map<std::string, std::string> ExtractGrantHeaders(const HeaderList& headers);
// The x-amz-* request headers radosgw records as user.rgw.<name> xattrs
// (its x_meta_map minus x-amz-meta-*, the SSE-C key headers and
// x-amz-storage-class; also without the copy-source headers and
// x-amz-tagging, which become other attributes), names lower-cased.
std::map<std::string, std::string> ExtractRecordedAmzHeaders(const HeaderList& headers);

// Content-MD5 sanity (base64 of 16 bytes) -> InvalidDigest otherwise.
Status CheckContentMd5(std::string_view value);

}  // namespace kelp::s3
