// RGWObjTags (rgw_tag.h): object and bucket tag sets, the value of the
// user.rgw.x-amz-tagging xattr, and the S3 Tagging XML document.
//
//   auto tags = ObjTags::FromXml(body, ObjTags::kMaxObjectTags);
//   if (!tags.ok()) return tags.status();   // MalformedXML / InvalidTag
//   attrs["user.rgw.x-amz-tagging"] = EncodeToString(*tags);
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/status.h"

namespace kelp::rgw {

// ENC(1,1){multimap<string,string> tag_map}.
struct ObjTags {
  static constexpr size_t kMaxObjectTags = 10;
  static constexpr size_t kMaxBucketTags = 50;
  static constexpr size_t kMaxKeySize = 128;
  static constexpr size_t kMaxValueSize = 256;

  std::multimap<std::string, std::string> tag_map;

  // RGWObjTags::check_and_add_tag: kInvalidTag when the set is full, the key
  // is empty or longer than 128 bytes, or the value longer than 256 bytes.
  Status Add(const std::string& key, const std::string& value, size_t max_tags = kMaxObjectTags);

  // <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>.
  // Not XML or missing TagSet -> kMalformedXML; limits -> kInvalidTag.
  static Result<ObjTags> FromXml(std::string_view xml, size_t max_tags = kMaxObjectTags);
  // The GetObjectTagging / GetBucketTagging body.
  std::string ToXml() const;
  // x-amz-tagging header: "k1=v1&k2=v2" (URL-encoded).
  static Result<ObjTags> FromHeader(std::string_view header, size_t max_tags = kMaxObjectTags);

  friend bool operator==(const ObjTags&, const ObjTags&) = default;
};
void Encode(Encoder& e, const ObjTags& v);
void Decode(Decoder& d, ObjTags& v);

nlohmann::json ToJson(const ObjTags& v);  // {"tagset": {k: v, ...}}

}  // namespace kelp::rgw
