#include "auth/chunked.h"

#include <algorithm>
#include <map>

#include "auth/sigv4.h"

namespace kelp::auth {
namespace {

Status Malformed(std::string what) {
  return Status(Code::kInvalidRequest, "malformed aws-chunked body: " + std::move(what));
}

Status Mismatch() {
  return Status(Code::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

ChunkedDecoder::ChunkedDecoder(const AuthResult& auth)
    : signed_(auth.payload == PayloadMode::kStreamingChunked ||
              auth.payload == PayloadMode::kStreamingSignedTrailer),
      has_trailer_(auth.payload == PayloadMode::kStreamingSignedTrailer ||
                   auth.payload == PayloadMode::kStreamingUnsignedTrailer),
      ctx_(auth.streaming),
      expected_length_(auth.decoded_content_length),
      prev_signature_(auth.streaming.seed_signature) {}

Status ChunkedDecoder::Fail(Status s) {
  state_ = State::kFailed;
  error_ = s;
  return s;
}

std::string ChunkedDecoder::ChunkSignature(std::string_view data_hash_hex) const {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
  sts.append(ctx_.amz_date).append("\n").append(ctx_.scope).append("\n");
  sts.append(prev_signature_).append("\n").append(sigv4::kEmptySha256).append("\n");
  sts.append(data_hash_hex);
  return sigv4::HexHmac(ctx_.signing_key, sts);
}

Status ChunkedDecoder::OnHeaderLine(std::string_view line) {
  size_t semi = line.find(';');
  std::string_view size_hex = line.substr(0, semi);
  if (size_hex.empty() || size_hex.size() > 16) return Malformed("bad chunk size");
  uint64_t size = 0;
  for (char c : size_hex) {
    int v = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (v < 0) return Malformed("bad chunk size");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  chunk_signature_.clear();
  // Extensions: ";chunk-signature=<hex>" (others ignored).
  while (semi != std::string_view::npos) {
    size_t next = line.find(';', semi + 1);
    std::string_view ext =
        line.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1);
    constexpr std::string_view kSig = "chunk-signature=";
    if (ext.substr(0, kSig.size()) == kSig) chunk_signature_ = Lower(ext.substr(kSig.size()));
    semi = next;
  }
  if (signed_ && chunk_signature_.size() != 64) return Malformed("missing chunk-signature");
  if (expected_length_ && size > *expected_length_ - std::min(decoded_, *expected_length_)) {
    return Status(Code::kBadDigest, "aws-chunked body is longer than x-amz-decoded-content-length");
  }
  if (size > 0) {
    remaining_ = size;
    hasher_.emplace(Hasher::Kind::kSha256);
    state_ = State::kData;
    return Status::OK();
  }
  // The final, empty chunk.
  if (signed_) {
    if (!sigv4::ConstantTimeEquals(ChunkSignature(sigv4::kEmptySha256), chunk_signature_)) {
      return Mismatch();
    }
    prev_signature_ = chunk_signature_;
  }
  if (expected_length_ && decoded_ != *expected_length_) {
    return Status(Code::kIncompleteBody,
                  "aws-chunked body is shorter than x-amz-decoded-content-length");
  }
  state_ = has_trailer_ ? State::kTrailer : State::kFinalCrlf;
  crlf_seen_ = 0;
  return Status::OK();
}

Status ChunkedDecoder::OnChunkEnd() {
  if (signed_) {
    std::string hash = HexEncode(hasher_->Finish());
    if (!sigv4::ConstantTimeEquals(ChunkSignature(hash), chunk_signature_)) return Mismatch();
    prev_signature_ = chunk_signature_;
  }
  hasher_.reset();
  state_ = State::kHeader;
  return Status::OK();
}

Status ChunkedDecoder::OnTrailerLine(std::string_view line) {
  if (line.empty() && trailers_.empty() && trailer_signature_.empty() && !blank_skipped_) {
    // Some writers (and AWS's own example) put a blank line between the
    // last chunk and the trailing headers; an empty trailer section is
    // still a single blank line, which Finish() accepts.
    blank_skipped_ = true;
    return Status::OK();
  }
  if (line.empty()) {  // end of the trailer section
    if (signed_) {
      if (trailer_signature_.empty()) return Mismatch();
      std::map<std::string, std::string> canon;
      for (const auto& [n, v] : trailers_) canon[n] = v;
      std::string text;
      for (const auto& [n, v] : canon) text.append(n).append(":").append(v).append("\n");
      std::string sts = "AWS4-HMAC-SHA256-TRAILER\n";
      sts.append(ctx_.amz_date).append("\n").append(ctx_.scope).append("\n");
      sts.append(prev_signature_).append("\n").append(HexEncode(Sha256(text)));
      if (!sigv4::ConstantTimeEquals(sigv4::HexHmac(ctx_.signing_key, sts), trailer_signature_)) {
        return Mismatch();
      }
    }
    state_ = State::kDone;
    return Status::OK();
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Malformed("bad trailer line");
  std::string name = Lower(sigv4::TrimAll(line.substr(0, colon)));
  std::string value = sigv4::TrimAll(line.substr(colon + 1));
  if (name == "x-amz-trailer-signature") {
    trailer_signature_ = Lower(value);
  } else {
    trailers_.emplace_back(std::move(name), std::move(value));
  }
  return Status::OK();
}

Status ChunkedDecoder::Feed(std::string_view in, std::string* out) {
  if (state_ == State::kFailed) return error_;
  while (!in.empty()) {
    switch (state_) {
      case State::kHeader:
      case State::kTrailer: {
        size_t nl = in.find('\n');
        size_t take = nl == std::string_view::npos ? in.size() : nl + 1;
        line_.append(in.substr(0, take));
        in.remove_prefix(take);
        size_t limit = state_ == State::kHeader ? kMaxChunkHeader : kMaxTrailerSection;
        if (state_ == State::kTrailer) trailer_bytes_ += take;
        if ((state_ == State::kHeader ? line_.size() : trailer_bytes_) > limit) {
          return Fail(Malformed("header line too long"));
        }
        if (nl == std::string_view::npos) break;
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          return Fail(Malformed("line not terminated by CRLF"));
        }
        std::string line = std::move(line_);
        line_.clear();
        line.resize(line.size() - 2);
        Status s = state_ == State::kHeader ? OnHeaderLine(line) : OnTrailerLine(line);
        if (!s.ok()) return Fail(s);
        break;
      }
      case State::kData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size()));
        hasher_->Update(in.substr(0, n));
        out->append(in.substr(0, n));
        in.remove_prefix(n);
        remaining_ -= n;
        decoded_ += n;
        if (remaining_ == 0) {
          state_ = State::kDataCrlf;
          crlf_seen_ = 0;
        }
        break;
      }
      case State::kDataCrlf:
      case State::kFinalCrlf: {
        while (!in.empty() && crlf_seen_ < 2) {
          if (in[0] != "\r\n"[crlf_seen_]) return Fail(Malformed("expected CRLF after chunk"));
          in.remove_prefix(1);
          ++crlf_seen_;
        }
        if (crlf_seen_ < 2) break;
        if (state_ == State::kFinalCrlf) {
          state_ = State::kDone;
        } else {
          Status s = OnChunkEnd();
          if (!s.ok()) return Fail(s);
        }
        break;
      }
      case State::kDone:
        return Fail(Malformed("data after the final chunk"));
      case State::kFailed:
        return error_;
    }
  }
  return Status::OK();
}

Status ChunkedDecoder::Finish() {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kTrailer) {
    // Tolerate a trailer section whose final CRLFs are missing.
    std::string pending = std::move(line_);
    line_.clear();
    if (!pending.empty() && pending.back() == '\r') pending.pop_back();
    Status s = pending.empty() ? Status::OK() : OnTrailerLine(pending);
    if (s.ok() && state_ == State::kTrailer) {
      blank_skipped_ = true;
      s = OnTrailerLine("");
    }
    if (!s.ok()) return Fail(s);
  }
  // Tolerate a body that stops right after the final chunk's header line
  // without the closing CRLF (radosgw reads no further than that either).
  if (state_ == State::kDone || (state_ == State::kFinalCrlf && crlf_seen_ == 0)) {
    state_ = State::kDone;
    return Status::OK();
  }
  return Fail(Status(Code::kIncompleteBody,
                     "You did not provide the number of bytes specified by the Content-Length "
                     "HTTP header"));
}

}  // namespace kelp::auth
