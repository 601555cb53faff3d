// AWS Signature Version 2 (HMAC-SHA1), header and query-string forms.
//
// StringToSign = METHOD \n Content-MD5 \n Content-Type \n Date \n
//                CanonicalizedAmzHeaders CanonicalizedResource
// - Date: the Date header; empty when x-amz-date is sent (x-amz-date then
//   appears among the amz headers); the Expires parameter for presigned URLs.
// - CanonicalizedAmzHeaders: "name:value\n" for every x-amz-* header,
//   lower-cased, sorted, duplicate values joined by ','. Presigned URLs add
//   their x-amz-meta-* and x-amz-security-token parameters (get_v2_qs_map).
// - CanonicalizedResource: "/<vhost bucket>" + the path as sent, then the
//   signed sub-resources with decoded values ("?acl", "?partNumber=2&uploadId=x").
//   radosgw signs its own list in its own order (signed_subresources in
//   rgw_auth_s3.cc); AWS SDKs sign theirs sorted by name. A request matching
//   either form is accepted: each covers what its signer meant to sign.
// Skew (header form) is checked against Date / x-amz-date, parsed as an HTTP
// date or ISO 8601 basic. Presigned URLs expire once now >= Expires.
//
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "auth/authenticate.h"

namespace kelp::auth {
namespace sigv2 {

enum class ResourceStyle { kRadosgw, kAwsSdk };

// The string to sign for this request; `presigned` selects the query form.
std::string StringToSign(const SignedRequest& req, bool presigned, ResourceStyle style);
// base64(HMAC-SHA1(secret, string_to_sign)).
std::string Sign(std::string_view secret, std::string_view string_to_sign);

}  // namespace sigv2

Result<AuthResult> VerifyV2Header(const SignedRequest& req, SecretLookup& secrets,
                                  const AuthOptions& options);
Result<AuthResult> VerifyV2Query(const SignedRequest& req, SecretLookup& secrets,
                                 const AuthOptions& options);

}  // namespace kelp::auth
