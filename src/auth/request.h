// SignedRequest: the wire facts an S3 request-signature verifier needs.
//
// The HTTP layer fills it from the request exactly as received: the method,
// the request-target path still percent-encoded, the raw query without '?',
// every header in arrival order. Nothing here is decoded or normalised in
// advance, because each signature version canonicalises the bytes the client
// signed in its own way.
//
// Thread-safety: a value type; const methods may be called concurrently.
//
//   SignedRequest r{.method = "GET", .raw_path = "/bucket/a%20b", .raw_query = "acl",
//                   .headers = {{"Host", "s3.local"}, {"Authorization", "AWS4-HMAC-SHA256 ..."}}};
//   if (auto v = r.Header("x-amz-date")) ...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kelp::auth {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One query parameter, percent-decoded ('+' decodes to ' '). A parameter
// written without '=' ("?acl") has has_value false and an empty value.
struct QueryParam {
  std::string name;
  std::string value;
  bool has_value = false;
};

// Splits a raw query on '&' (empty pieces skipped) and decodes each name and
// value, keeping the order of the request.
std::vector<QueryParam> ParseQuery(std::string_view raw_query);

// ASCII case-insensitive equality (header names, X-Amz-* parameter names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
// Strips HTTP optional whitespace (spaces, tabs) from both ends.
std::string_view TrimOws(std::string_view s);

struct SignedRequest {
  std::string method;     // "GET", "PUT", ... as sent
  std::string raw_path;   // request-target path as sent, still percent-encoded
  std::string raw_query;  // as sent, without the leading '?'
  HeaderList headers;     // (name, value) as received, in order
  std::string host;       // Host header value (used when headers lack one)
  // Bucket named by the Host header in virtual-hosted style, found by the
  // HTTP layer's routing; SigV2 prefixes "/<bucket>" to the canonical resource.
  std::string vhost_bucket;

  // First value of a header, name matched case-insensitively.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Every value of the header joined with ',' (RFC 7230 combination, as SigV4
  // canonical headers and SigV2 x-amz-* lines want); nullopt when absent.
  std::optional<std::string> HeaderJoined(std::string_view name) const;
  bool HasHeader(std::string_view name) const { return Header(name).has_value(); }

  // Decoded query parameters in request order.
  std::vector<QueryParam> QueryParams() const { return ParseQuery(raw_query); }
  // Decoded value of the first parameter with this exact name; with
  // ignore_case the name matches case-insensitively (radosgw lower-cases
  // X-Amz-* parameter names, so "x-amz-date" and "X-Amz-Date" are one).
  std::optional<std::string> Param(std::string_view name, bool ignore_case = false) const;
};

}  // namespace kelp::auth
