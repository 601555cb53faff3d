// Parses the XML request bodies of S3 operations (pugixml). Element names
// are matched by local name, so a namespace prefix or default xmlns does not
// matter. A body that is not well-formed XML or lacks the required elements
// fails with Code::kMalformedXML, as radosgw answers.
//
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "base/status.h"

namespace kelp::s3 {

// Largest XML request body accepted (radosgw's rgw_max_put_param_size).
inline constexpr size_t kMaxXmlBody = 1 << 20;

// PUT /bucket body: the LocationConstraint, "" for an empty body or element.
Result<std::string> ParseCreateBucketConfiguration(std::string_view body);

// POST ?uploadId body: the parts in request order (order is the Gateway's
// to check). A part without a number or ETag is MalformedXML; no part at all
// too (radosgw: MalformedXML for an empty CompleteMultipartUpload).
Result<std::vector<api::CompletedPart>> ParseCompleteMultipartUpload(std::string_view body);

struct DeleteObjectsInput {
  bool quiet = false;
  struct Item {
    std::string key;
    std::string version_id;
  };
  std::vector<Item> objects;
};
// POST ?delete body. No <Object> or more than 1000 -> MalformedXML.
Result<DeleteObjectsInput> ParseDeleteObjects(std::string_view body);

// PUT ?tagging body. A repeated key -> InvalidTag; a Tag without Key ->
// MalformedXML. Limits (count, lengths) are the Gateway's to enforce.
Result<std::map<std::string, std::string>> ParseTagging(std::string_view body);

// VersioningConfiguration (PUT ?versioning): the Status text ("Enabled",
// "Suspended", or "" when absent); MFADelete is ignored as by radosgw
// without MFA. MalformedXML for other documents.
Result<std::string> ParseVersioningConfiguration(std::string_view body);

}  // namespace kelp::s3
