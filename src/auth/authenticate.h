// S3 request authentication: who signed this request, and what must its body
// prove?
//
// Authenticate() recognises the signature flavour radosgw recognises
// (rgw::auth::s3::discover_aws_flavour) and verifies it:
//   Authorization: AWS4-HMAC-SHA256 ...   SigV4 header        (sigv4.h)
//   ?X-Amz-Algorithm=AWS4-HMAC-SHA256...  SigV4 presigned URL (presign.h)
//   Authorization: AWS AK:sig             SigV2 header        (sigv2.h)
//   ?AWSAccessKeyId=..&Signature=..       SigV2 presigned URL (sigv2.h)
//   none of these                         anonymous
// It never sees the body. Its AuthResult says how the body is bound to the
// signature: by a SHA-256 the caller must check (kSignedSha256), by the
// aws-chunked framing ChunkedDecoder verifies (kStreaming*), or not at all.
//
// Errors (Status codes): kInvalidAccessKeyId (unknown key),
// kSignatureDoesNotMatch, kAuthorizationHeaderMalformed (SigV4 header that
// does not parse), kInvalidArgument (unsupported scheme/algorithm, bad
// x-amz-content-sha256), kRequestTimeTooSkewed, kAccessDenied (missing or
// unparsable date, missing presigned parameters, "Request has expired").
//
// Thread-safety: Authenticate is reentrant; SecretLookup implementations used
// from several threads must be thread-safe themselves.
//
//   MapSecrets secrets({{"AKID", "secret"}});
//   auto r = Authenticate(req, secrets, AuthOptions{});
//   if (!r.ok()) return r.status();
//   if (r->payload == PayloadMode::kStreamingChunked) { ChunkedDecoder d(*r); ... }
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include "auth/request.h"
#include "base/status.h"

namespace kelp::auth {

// Resolves an access key id to its secret.
class SecretLookup {
 public:
  virtual ~SecretLookup() = default;
  // The secret, or Code::kInvalidAccessKeyId when the key is unknown (any
  // other error is passed through to the caller of Authenticate).
  virtual Result<std::string> SecretFor(const std::string& access_key) = 0;
};

// A fixed access-key -> secret table (tests, benchmarks, bootstrap users).
class MapSecrets : public SecretLookup {
 public:
  MapSecrets() = default;
  MapSecrets(std::initializer_list<std::pair<const std::string, std::string>> keys) : keys_(keys) {}
  void Add(std::string access_key, std::string secret) {
    keys_[std::move(access_key)] = std::move(secret);
  }
  Result<std::string> SecretFor(const std::string& access_key) override;

 private:
  std::map<std::string, std::string> keys_;
};

struct AuthOptions {
  // The server's clock, injected so skew and expiry are testable.
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // radosgw's RGW_AUTH_GRACE: 15 minutes either way.
  std::chrono::seconds max_skew{15 * 60};
  // When non-empty, the SigV4 credential scope must name this region /
  // service. radosgw checks neither: it derives the signing key from whatever
  // region and service the scope carries, so both default to "accept any".
  std::string region;
  std::string service;
  // SigV4: require `host` and every x-amz-* header present (but
  // x-amz-content-sha256) to be among the signed headers, as radosgw does
  // since the fix for unsigned x-amz-* header injection (rgw_sigv4_insecure
  // off). Off reproduces radosgw 16.2, which signs only what the client lists.
  bool strict_signed_headers = true;
  bool allow_sigv2 = true;
};

enum class SignatureVersion { kNone, kV2, kV4 };

// How the body is tied to the signature.
enum class PayloadMode {
  kUnsigned,                  // anonymous, SigV2, UNSIGNED-PAYLOAD: nothing to check
  kSignedSha256,              // body's SHA-256 must equal expected_sha256
  kStreamingChunked,          // STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked, signed chunks)
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked, no signatures)
};

// What ChunkedDecoder needs to verify the chunk-signature chain.
struct StreamingContext {
  std::string seed_signature;  // hex signature of the request itself
  std::string signing_key;     // raw 32-byte SigV4 signing key
  std::string scope;           // "20130524/us-east-1/s3/aws4_request"
  std::string amz_date;        // "20130524T000000Z", as the client sent it
};

struct AuthResult {
  bool anonymous = true;
  SignatureVersion version = SignatureVersion::kNone;
  bool presigned = false;  // query-string authentication
  std::string access_key;
  PayloadMode payload = PayloadMode::kUnsigned;
  std::string expected_sha256;  // lower-case hex, for kSignedSha256
  // x-amz-decoded-content-length of a streaming upload, when sent.
  std::optional<uint64_t> decoded_content_length;
  std::string trailer;         // x-amz-trailer header (streaming with trailers)
  StreamingContext streaming;  // kStreamingChunked / kStreamingSignedTrailer
  int64_t request_time = 0;    // signed request time (Unix seconds), 0 if none
  // X-Amz-Security-Token sent with a SigV4 request (STS credentials). Kelp
  // resolves only long-term keys today; the caller decides what a token means.
  std::string session_token;
};

Result<AuthResult> Authenticate(const SignedRequest& req, SecretLookup& secrets,
                                const AuthOptions& options);

}  // namespace kelp::auth
