// S3 wire forms of ACLs (rgw_acl_s3.cc): the AccessControlPolicy XML of
// Get/PutBucketAcl and Get/PutObjectAcl, and the x-amz-grant-* headers.
//
// Parsing resolves grantees through an optional UserResolver (radosgw looks
// users up to fill in display names and turn e-mail grantees into canonical
// users); without one, ids are taken as given and e-mail grants stay e-mail
// grants. Checking that the document's owner is the resource owner is left
// to the caller.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "rgw/types/acl.h"

namespace kelp::rgw {

inline constexpr std::string_view kS3Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

// kind is "id" or "emailAddress"; returns the user and its display name, or
// an error (returned unchanged to the caller, e.g. kInvalidArgument).
using UserResolver =
    std::function<Result<std::pair<User, std::string>>(std::string_view kind, std::string_view value)>;

// The AccessControlPolicy document radosgw renders (with the XML declaration).
std::string AclToXml(const AccessControlPolicy& policy);

// Not well-formed XML -> kMalformedXML; a document that is not a valid
// AccessControlPolicy (missing Owner/ID, unknown grantee type, group URI or
// permission) -> kMalformedACLError.
Result<AccessControlPolicy> AclFromXml(std::string_view xml, const UserResolver& resolve = {});

// x-amz-grant-read/-write/-read-acp/-write-acp/-full-control values keyed by
// lower-case header name, each a comma-separated list of id="...",
// uri="..." or emailAddress="...". Grants are added in radosgw's order
// (read, write, read-acp, write-acp, full-control); no implicit owner grant.
// Bad syntax, unknown grantee kind or group URI -> kInvalidArgument.
Result<AccessControlPolicy> PolicyFromGrantHeaders(const User& owner,
                                                   const std::string& display_name,
                                                   const std::map<std::string, std::string>& headers,
                                                   const UserResolver& resolve = {});

}  // namespace kelp::rgw
