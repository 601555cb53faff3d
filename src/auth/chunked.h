// ChunkedDecoder: de-frames and verifies an aws-chunked request body
// (SigV4 streaming upload, "Content-Encoding: aws-chunked").
//
// Body grammar (AWS "Transferring Payload in Multiple Chunks"):
//   chunk      = hex-size [";chunk-signature=" 64HEX] CRLF data CRLF
//   last-chunk = "0" [";chunk-signature=" 64HEX] CRLF
//   then CRLF                                  (no trailer)
//   or   *(name ":" value CRLF) CRLF           (x-amz-trailer: checksums,
//                                               x-amz-trailer-signature)
// Each chunk signature is HMAC(signing key, "AWS4-HMAC-SHA256-PAYLOAD" \n
// amz-date \n scope \n previous-signature \n SHA256("") \n SHA256(data)),
// chained from the seed (the request's own signature); the last chunk signs
// the empty hash. The trailer signature is HMAC over "AWS4-HMAC-SHA256-TRAILER"
// \n date \n scope \n last-chunk-signature \n SHA256("name:value\n"...).
//
// Memory is bounded: only a chunk-header line (<= 4 KiB) or the trailer
// section (<= 16 KiB) is buffered; chunk data is hashed and handed out as it
// arrives. A chunk's data therefore reaches the caller before its signature
// is checked at the chunk's end: on any error the caller must discard the
// whole upload, never commit it.
//
// Errors: kSignatureDoesNotMatch (chunk or trailer signature),
// kIncompleteBody (body ended early, or fewer bytes than
// x-amz-decoded-content-length), kBadDigest (more bytes than declared),
// kInvalidRequest (malformed framing). After an error every call returns it.
//
// Thread-safety: one decoder per request, used from one thread at a time.
//
//   ChunkedDecoder dec(auth_result);
//   std::string out;
//   for (each network buffer b) { out.clear(); RETURN_IF_ERROR(dec.Feed(b, &out)); Store(out); }
//   RETURN_IF_ERROR(dec.Finish());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/authenticate.h"
#include "auth/request.h"
#include "base/crypto.h"
#include "base/status.h"

namespace kelp::auth {

class ChunkedDecoder {
 public:
  static constexpr size_t kMaxChunkHeader = 4096;
  static constexpr size_t kMaxTrailerSection = 16384;

  // `auth.payload` selects the variant: kStreamingChunked and
  // kStreamingSignedTrailer verify signatures with `auth.streaming`;
  // kStreamingUnsignedTrailer only de-frames. `auth.decoded_content_length`
  // is enforced when set.
  explicit ChunkedDecoder(const AuthResult& auth);

  // Consumes raw body bytes and APPENDS the decoded payload they complete to
  // *out_payload (nothing is held back except framing).
  Status Feed(std::string_view in, std::string* out_payload);
  // Call at end of body: kIncompleteBody unless the final chunk (and trailer
  // section, if any) was received.
  Status Finish();

  bool done() const { return state_ == State::kDone; }
  uint64_t decoded_bytes() const { return decoded_; }
  // Trailing headers (x-amz-checksum-*), without x-amz-trailer-signature.
  const HeaderList& trailers() const { return trailers_; }

 private:
  enum class State { kHeader, kData, kDataCrlf, kFinalCrlf, kTrailer, kDone, kFailed };

  Status Fail(Status s);
  Status OnHeaderLine(std::string_view line);
  Status OnChunkEnd();
  Status OnTrailerLine(std::string_view line);
  std::string ChunkSignature(std::string_view data_hash_hex) const;

  bool signed_;
  bool has_trailer_;
  StreamingContext ctx_;
  std::optional<uint64_t> expected_length_;

  State state_ = State::kHeader;
  Status error_;
  std::string line_;  // partial header / trailer line
  size_t trailer_bytes_ = 0;
  uint64_t remaining_ = 0;       // data bytes left in the current chunk
  size_t crlf_seen_ = 0;         // bytes of a CRLF matched so far
  std::string chunk_signature_;  // declared signature of the current chunk
  std::string prev_signature_;
  std::optional<Hasher> hasher_;
  uint64_t decoded_ = 0;
  HeaderList trailers_;
  std::string trailer_signature_;
  bool blank_skipped_ = false;
};

}  // namespace kelp::auth
