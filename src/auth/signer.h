// Client-side S3 request signing: SigV4 headers, SigV4 presigned URLs,
// aws-chunked streaming bodies, and SigV2 for legacy-client tests. Used by
// Kelp's tests and by the benchmark load generator; it shares its
// canonicalisation with the verifier (sigv4.h), so the AWS test vectors pin
// both.
//
// Paths and queries are given exactly as they will be sent (already
// percent-encoded; use UriEncode(key, /*encode_slash=*/false) for an object
// key path).
//
// Thread-safety: pure functions; a ChunkedSigner is one upload's state.
//
//   V4SignRequest r{.method = "PUT", .raw_path = "/b/k", .headers = {{"Host", "localhost:8000"}},
//                   .payload_hash = HexEncode(Sha256(body)), .time = now};
//   V4Signature s = SignV4(r, {"AKID", "secret"});
//   // send r.headers + s.headers
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/request.h"

namespace kelp::auth {

struct SigningCredentials {
  std::string access_key;
  std::string secret;
};

struct V4SignRequest {
  std::string method = "GET";
  std::string raw_path = "/";
  std::string raw_query;
  HeaderList headers;  // must contain Host; all of them get signed
  // x-amz-content-sha256: lower-case hex of the body, "UNSIGNED-PAYLOAD" or a
  // STREAMING-* literal. Empty means the hash of an empty body (for
  // presigning: UNSIGNED-PAYLOAD, not sent as a header).
  std::string payload_hash;
  std::string region = "us-east-1";
  std::string service = "s3";
  int64_t time = 0;  // Unix seconds of the signature
};

struct V4Signature {
  HeaderList headers;  // to add to the request: x-amz-date, x-amz-content-sha256, Authorization
  std::string authorization;
  std::string signature;  // hex
  std::string signed_headers;
  std::string amz_date;
  std::string scope;
  std::string signing_key;  // raw, for ChunkedSigner
  std::string canonical_request;
  std::string string_to_sign;
};

// Signs with an Authorization header. x-amz-date and x-amz-content-sha256
// are added (unless already in r.headers) and signed.
V4Signature SignV4(const V4SignRequest& r, const SigningCredentials& creds);

// Returns the query string to send (r.raw_query plus X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and
// X-Amz-Signature). The payload hash is UNSIGNED-PAYLOAD unless r sets one.
std::string PresignV4(const V4SignRequest& r, const SigningCredentials& creds,
                      int64_t expires_seconds);

// Produces an aws-chunked body piece by piece for a request signed with
// payload_hash = STREAMING-AWS4-HMAC-SHA256-PAYLOAD.
class ChunkedSigner {
 public:
  explicit ChunkedSigner(const V4Signature& seed);
  // "hex-size;chunk-signature=...\r\n<data>\r\n". An empty `data` is the
  // final chunk and also appends the closing CRLF.
  std::string Chunk(std::string_view data);
  std::string Final() { return Chunk({}); }
  // Size of the encoded body for the given payload split into chunk_size pieces.
  static uint64_t EncodedLength(uint64_t payload, uint64_t chunk_size);

 private:
  std::string signing_key_, scope_, amz_date_, prev_;
};

// SigV2: the Authorization header value "AWS AK:signature" for a request
// whose headers (Date or x-amz-date included) are final.
std::string SignV2Header(const SignedRequest& req, const SigningCredentials& creds);
// SigV2 presigned: r.raw_query plus AWSAccessKeyId, Expires and Signature.
std::string PresignV2(const SignedRequest& req, const SigningCredentials& creds,
                      int64_t expires_unix);

}  // namespace kelp::auth
