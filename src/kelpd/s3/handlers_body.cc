// Request bodies: plain (Content-Length / HTTP chunked) and aws-chunked
// (SigV4 streaming), read in bounded chunks; plus response helpers.
#include <algorithm>

#include "auth/chunked.h"
#include "base/crypto.h"
#include "kelpd/s3/handlers_internal.h"
#include "kelpd/s3/xml_parse.h"

namespace kelp::s3 {
namespace {

constexpr size_t kChunk = 1 << 20;  // at most 1 MiB read per step

class PlainBody : public RequestBody {
 public:
  PlainBody(http::BodyReader& reader, std::optional<uint64_t> length)
      : reader_(reader), length_(length), buf_(kChunk, '\0') {}
  std::optional<uint64_t> length() const override { return length_; }
  Result<std::string> Next() override {
    auto n = reader_.Read(buf_.data(), buf_.size());
    if (!n.ok()) return n.status();
    return std::string(buf_.data(), *n);
  }

 private:
  http::BodyReader& reader_;
  std::optional<uint64_t> length_;
  std::string buf_;
};

// aws-chunked (SigV4 streaming): de-framed and its chunk signatures checked
// by auth::ChunkedDecoder. Data reaches the caller before the signature of
// its chunk is verified, so the caller commits only after Next() returned ""
// (which runs the decoder's final check).
class AwsChunkedBody : public RequestBody {
 public:
  AwsChunkedBody(http::BodyReader& reader, const auth::AuthResult& auth)
      : reader_(reader), decoder_(auth), length_(auth.decoded_content_length), buf_(kChunk, '\0') {}
  std::optional<uint64_t> length() const override { return length_; }
  Result<std::string> Next() override {
    std::string out;
    while (!finished_) {
      auto n = reader_.Read(buf_.data(), buf_.size());
      if (!n.ok()) return n.status();
      if (*n == 0) {
        RETURN_IF_ERROR(decoder_.Finish());
        finished_ = true;
        break;
      }
      RETURN_IF_ERROR(decoder_.Feed(std::string_view(buf_.data(), *n), &out));
      if (!out.empty()) return out;
    }
    return out;
  }

 private:
  http::BodyReader& reader_;
  auth::ChunkedDecoder decoder_;
  std::optional<uint64_t> length_;
  std::string buf_;
  bool finished_ = false;
};

bool IsStreaming(auth::PayloadMode m) {
  return m == auth::PayloadMode::kStreamingChunked ||
         m == auth::PayloadMode::kStreamingSignedTrailer ||
         m == auth::PayloadMode::kStreamingUnsignedTrailer;
}

}  // namespace

Result<std::unique_ptr<RequestBody>> RequestBody::Open(S3Call& c) {
  if (IsStreaming(c.auth.payload)) {
    return std::unique_ptr<RequestBody>(new AwsChunkedBody(c.body, c.auth));
  }
  return std::unique_ptr<RequestBody>(new PlainBody(c.body, c.req.content_length));
}

Result<std::string> ReadSmallBody(S3Call& c) {
  ASSIGN_OR_RETURN(auto body, RequestBody::Open(c));
  if (body->length() && *body->length() > kMaxXmlBody) {
    return Status(Code::kEntityTooLarge, "The request body is larger than 1 MiB");
  }
  std::string all;
  for (;;) {
    ASSIGN_OR_RETURN(std::string chunk, body->Next());
    if (chunk.empty()) break;
    if (all.size() + chunk.size() > kMaxXmlBody) {
      return Status(Code::kEntityTooLarge, "The request body is larger than 1 MiB");
    }
    all += chunk;
  }
  if (c.auth.payload == auth::PayloadMode::kSignedSha256 &&
      HexEncode(Sha256(all)) != c.auth.expected_sha256) {
    return Status(Code::kBadDigest,
                  "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  if (const std::string* md5 = c.Header("content-md5")) {
    RETURN_IF_ERROR(CheckContentMd5(*md5));
    std::string want;
    Base64Decode(*md5, &want);
    if (Md5(all) != want) {
      return Status(Code::kBadDigest,
                    "The Content-MD5 you specified did not match what we received.");
    }
  }
  return all;
}

Status FillUploadBodyFields(S3Call& c, api::PutObjectRequest* req) {
  if (IsStreaming(c.auth.payload)) {
    if (!c.auth.decoded_content_length) {
      return Status(Code::kMissingContentLength,
                    "You must provide the x-amz-decoded-content-length HTTP header.");
    }
    req->content_length = c.auth.decoded_content_length;
  } else {
    if (!c.req.content_length && !c.req.chunked) {
      return Status(Code::kMissingContentLength,
                    "You must provide the Content-Length HTTP header.");
    }
    req->content_length = c.req.content_length;
  }
  if (const std::string* md5 = c.Header("content-md5")) {
    RETURN_IF_ERROR(CheckContentMd5(*md5));
    req->content_md5 = *md5;
  }
  if (c.auth.payload == auth::PayloadMode::kSignedSha256) {
    req->expected_sha256_hex = c.auth.expected_sha256;
  }
  return Status::OK();
}

Result<api::PutObjectResult> StreamIntoUpload(S3Call& c, api::ObjectUpload& upload) {
  ASSIGN_OR_RETURN(auto body, RequestBody::Open(c));
  for (;;) {
    ASSIGN_OR_RETURN(std::string chunk, body->Next());
    if (chunk.empty()) break;
    RETURN_IF_ERROR(upload.Write(chunk));
  }
  return upload.Complete();
}

Status SendXml(S3Call& c, std::string body, int status) {
  return c.out.SendSimple(status, "application/xml", std::move(body));
}

Status SendEmpty(S3Call& c, int status) {
  c.out.SetStatus(status);
  RETURN_IF_ERROR(c.out.SendHead(0));
  return c.out.Finish();
}

Result<uint64_t> QueryUint(const S3Call& c, std::string_view name, uint64_t fallback) {
  auto v = c.query.Get(name);
  if (!v) return fallback;
  if (v->empty() || v->size() > 19 || v->find_first_not_of("0123456789") != std::string::npos) {
    return Status(Code::kInvalidArgument, "Invalid value for " + std::string(name));
  }
  return std::stoull(*v);
}

Result<bool> QueryUrlEncoding(const S3Call& c) {
  auto v = c.query.Get("encoding-type");
  if (!v || v->empty()) return false;
  if (*v == "url") return true;
  return Status(Code::kInvalidArgument, "Invalid Encoding Method specified in Request");
}

std::string QuotedEtag(const std::string& etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag;
  return "\"" + etag + "\"";
}

std::string CannedAcl(const S3Call& c) {
  const std::string* v = c.Header("x-amz-acl");
  return v ? *v : std::string();
}

}  // namespace kelp::s3
