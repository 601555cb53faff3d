// AWS Signature Version 4 for S3: canonicalisation primitives and the
// Authorization-header verifier.
//
// Canonical request (S3 flavour, as radosgw builds it in rgw_auth_s3):
//   METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
//   SignedHeaders \n PayloadHash
// - CanonicalURI: the raw path decoded once and re-encoded with AWS's
//   UriEncode keeping '/' (aws4_uri_recode). S3 does not double-encode and
//   does not normalise "." / ".." / "//". The path exactly as sent is also
//   accepted: both decode to the same object name, so neither lets a
//   signature be replayed against a different resource.
// - CanonicalQuery: '+' read as a space, every name and value recoded with
//   '/' encoded, sorted by name then value, "name=value" joined by '&'
//   ("acl" becomes "acl="); X-Amz-Signature dropped for presigned URLs.
// - CanonicalHeaders: each signed header's values joined by ',', trimmed,
//   inner whitespace runs collapsed to one space (boost::trim_all), sorted.
// - PayloadHash: x-amz-content-sha256 verbatim, "UNSIGNED-PAYLOAD" if absent
//   (radosgw's get_v4_exp_payload_hash).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/authenticate.h"
#include "auth/request.h"
#include "base/status.h"

namespace kelp::auth {
namespace sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"), raw.
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service);
// Same, from a scope "date/region/service/aws4_request".
std::string SigningKeyForScope(std::string_view secret, std::string_view scope);

std::string CanonicalUri(std::string_view raw_path);
std::string CanonicalQuery(std::string_view raw_query, bool drop_signature);
// Trim both ends and collapse inner runs of whitespace to one space.
std::string TrimAll(std::string_view value);
// "name:value\n" for each signed header present in the request, sorted by name.
std::string CanonicalHeaders(const SignedRequest& req, const std::vector<std::string>& names);
std::vector<std::string> SplitSignedHeaders(std::string_view signed_headers);
std::string CanonicalRequest(std::string_view method, std::string_view uri, std::string_view query,
                             std::string_view headers, std::string_view signed_headers,
                             std::string_view payload_hash);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
std::string HexHmac(std::string_view key, std::string_view data);  // lower-case hex

bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace sigv4

// The parts a SigV4 request carries, from its header or its query string.
struct V4Parts {
  std::string access_key;
  std::string scope;  // date/region/service/aws4_request
  std::string date, region, service;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;  // as sent, goes into the string to sign
  int64_t request_time = 0;
  bool presigned = false;
  std::string session_token;  // X-Amz-Security-Token (STS), if any
};

// Splits "AK/date/region/service/aws4_request" into parts; false when the
// credential lacks exactly four '/' or the aws4_request terminator.
bool ParseV4Credential(std::string_view credential, V4Parts* parts);

// Verifies an "Authorization: AWS4-HMAC-SHA256 ..." request.
Result<AuthResult> VerifyV4Header(const SignedRequest& req, SecretLookup& secrets,
                                  const AuthOptions& options);

// Shared tail of header and presigned verification: region/service checks,
// payload mode, signed-header policy, secret lookup, signature comparison.
Result<AuthResult> VerifyV4Parts(const SignedRequest& req, SecretLookup& secrets,
                                 const AuthOptions& options, const V4Parts& parts);

}  // namespace kelp::auth
