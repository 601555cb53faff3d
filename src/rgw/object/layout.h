// Constants and names of radosgw 16.2's object layout: head/stripe sizes,
// head-object xattr names and the tag formats.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kelp::rgw {

// rgw_max_chunk_size / rgw_obj_stripe_size defaults: the head holds up to
// 4 MiB of data, tails are 4 MiB stripes.
inline constexpr uint64_t kMaxHeadSize = 4ull << 20;
inline constexpr uint64_t kStripeSize = 4ull << 20;
// rgw_multipart_min_part_size.
inline constexpr uint64_t kMinPartSize = 5ull << 20;
inline constexpr uint32_t kMaxParts = 10000;

inline constexpr const char* kAttrPrefix = "user.rgw.";
inline constexpr const char* kAttrAcl = "user.rgw.acl";
inline constexpr const char* kAttrEtag = "user.rgw.etag";
inline constexpr const char* kAttrIdTag = "user.rgw.idtag";
inline constexpr const char* kAttrTailTag = "user.rgw.tail_tag";
inline constexpr const char* kAttrManifest = "user.rgw.manifest";
inline constexpr const char* kAttrPgVer = "user.rgw.pg_ver";
inline constexpr const char* kAttrSourceZone = "user.rgw.source_zone";
inline constexpr const char* kAttrContentType = "user.rgw.content_type";
inline constexpr const char* kAttrTagging = "user.rgw.x-amz-tagging";
inline constexpr const char* kAttrMetaPrefix = "user.rgw.x-amz-meta-";
inline constexpr const char* kAttrOlhPrefix = "user.rgw.olh.";
inline constexpr const char* kAttrOlhInfo = "user.rgw.olh.info";
// Swift DLO manifest ("container/prefix", NUL-terminated).
inline constexpr const char* kAttrUserManifest = "user.rgw.user_manifest";

// Stored HTTP headers (lower-case HTTP name -> xattr), all NUL-terminated.
struct StoredHeaderAttr {
  const char* http;
  const char* attr;
};
inline constexpr StoredHeaderAttr kStoredHeaderAttrs[] = {
    {"content-type", "user.rgw.content_type"},
    {"cache-control", "user.rgw.cache_control"},
    {"content-disposition", "user.rgw.content_disposition"},
    {"content-encoding", "user.rgw.content_encoding"},
    {"content-language", "user.rgw.content_language"},
    {"expires", "user.rgw.expires"},
};

// Text attrs carry a trailing NUL (radosgw stores C strings).
inline std::string WithNul(std::string_view s) { return std::string(s) + '\0'; }
inline std::string StripNul(std::string s) {
  if (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

// Random strings in radosgw's formats.
// gen_rand_alphanumeric_plain-like "_"+32 write tags and tail prefixes use
// [0-9A-Za-z_-] (as seen in radosgw 16.2's dumps).
std::string RandomTagChars(size_t n);

}  // namespace kelp::rgw
