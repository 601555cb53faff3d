#include "api/upload.h"

#include "base/crypto.h"

namespace kelp::api {

namespace {

class Upload : public ObjectUpload {
 public:
  Upload(std::shared_ptr<rgw::LoadedBucket> bucket, std::unique_ptr<rgw::ObjectWriter> writer,
         std::map<std::string, std::string> attrs, std::optional<uint64_t> length,
         std::string md5_raw, std::string sha256_hex, CommitFn commit, QuotaHooks quota)
      : bucket_(std::move(bucket)),
        writer_(std::move(writer)),
        attrs_(std::move(attrs)),
        length_(length),
        md5_raw_(std::move(md5_raw)),
        sha256_hex_(std::move(sha256_hex)),
        commit_(std::move(commit)),
        quota_(std::move(quota)) {}

  Status Write(std::string_view data) override {
    if (done_) return Status::Internal("write after complete");
    if (length_ && writer_->size() + data.size() > *length_) {
      return Status(Code::kIncompleteBody, "more data than Content-Length");
    }
    if (sha_) sha_->Update(data);
    return writer_->Write(data);
  }

  Result<PutObjectResult> Complete() override {
    if (done_) return Status::Internal("complete called twice");
    done_ = true;
    if (length_ && writer_->size() != *length_) {
      return Status(Code::kIncompleteBody,
                    "You did not provide the number of bytes specified by the Content-Length "
                    "HTTP header.");
    }
    RETURN_IF_ERROR(writer_->FinishData());
    if (!md5_raw_.empty() && writer_->md5() != md5_raw_) {
      return Status(Code::kBadDigest,
                    "The Content-MD5 you specified did not match what we received.");
    }
    if (sha_ && HexEncode(sha_->Finish()) != sha256_hex_) {
      return Status(Code::kBadDigest,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (quota_.check) RETURN_IF_ERROR(quota_.check(writer_->size()));
    PutObjectResult res;
    if (commit_) {
      ASSIGN_OR_RETURN(res.etag, commit_(*writer_, std::move(attrs_)));
    } else {
      ASSIGN_OR_RETURN(rgw::CommitResult c, writer_->Commit(std::move(attrs_)));
      res.etag = c.etag;
    }
    if (quota_.committed) quota_.committed();
    return res;
  }

  void EnableSha256() { sha_.emplace(Hasher::Kind::kSha256); }

 private:
  std::shared_ptr<rgw::LoadedBucket> bucket_;  // outlives the writer's reference
  std::unique_ptr<rgw::ObjectWriter> writer_;
  std::map<std::string, std::string> attrs_;
  std::optional<uint64_t> length_;
  std::string md5_raw_;
  std::string sha256_hex_;
  std::optional<Hasher> sha_;
  CommitFn commit_;
  QuotaHooks quota_;
  bool done_ = false;
};

}  // namespace

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

Result<std::unique_ptr<ObjectUpload>> MakeUpload(std::shared_ptr<rgw::LoadedBucket> bucket,
                                                 std::unique_ptr<rgw::ObjectWriter> writer,
                                                 std::map<std::string, std::string> attrs,
                                                 const PutObjectRequest& req, CommitFn commit,
                                                 QuotaHooks quota) {
  std::string md5_raw;
  if (!req.content_md5.empty()) {
    if (!Base64Decode(req.content_md5, &md5_raw) || md5_raw.size() != 16) {
      return Status(Code::kInvalidDigest, "The Content-MD5 you specified was invalid.");
    }
  }
  std::string sha = req.expected_sha256_hex;
  auto up = std::make_unique<Upload>(std::move(bucket), std::move(writer), std::move(attrs),
                                     req.content_length, std::move(md5_raw), sha,
                                     std::move(commit), std::move(quota));
  if (!sha.empty()) up->EnableSha256();
  return std::unique_ptr<ObjectUpload>(std::move(up));
}

}  // namespace kelp::api
