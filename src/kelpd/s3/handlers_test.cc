// S3Handler against an in-memory fake Gateway and a fake HTTP exchange:
// checks the translation (routing, parsing, rendering, errors), not storage.
#include "kelpd/s3/handlers.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/authenticate.h"
#include "base/crypto.h"
#include "rgw/types/acl.h"

namespace kelp::s3 {
namespace {

struct StoredObject {
  api::ObjectInfo info;
  std::string data;
};

class FakeUpload : public api::ObjectUpload {
 public:
  FakeUpload(std::function<void(std::string)> commit, api::PutObjectRequest req)
      : commit_(std::move(commit)), req_(std::move(req)) {}
  Status Write(std::string_view data) override {
    ++writes;
    data_ += data;
    return Status::OK();
  }
  Result<api::PutObjectResult> Complete() override {
    if (req_.content_length && *req_.content_length != data_.size()) {
      return Status(Code::kIncompleteBody, "length");
    }
    if (!req_.expected_sha256_hex.empty() && HexEncode(Sha256(data_)) != req_.expected_sha256_hex) {
      return Status(Code::kBadDigest, "sha256");
    }
    std::string etag = HexEncode(Md5(data_));
    commit_(data_);
    return api::PutObjectResult{etag, ""};
  }
  int writes = 0;

 private:
  std::function<void(std::string)> commit_;
  api::PutObjectRequest req_;
  std::string data_;
};

class FakeDownload : public api::ObjectDownload {
 public:
  FakeDownload(api::ObjectInfo info, std::string data, bool partial, uint64_t first, uint64_t last)
      : info_(std::move(info)),
        data_(std::move(data)),
        partial_(partial),
        first_(first),
        last_(last) {}
  const api::ObjectInfo& info() const override { return info_; }
  uint64_t content_length() const override { return data_.size(); }
  bool partial() const override { return partial_; }
  uint64_t range_first() const override { return first_; }
  uint64_t range_last() const override { return last_; }
  Result<std::string> Read() override {
    std::string out = data_.substr(pos_, 3);  // small chunks: several Writes
    pos_ += out.size();
    return out;
  }

 private:
  api::ObjectInfo info_;
  std::string data_;
  bool partial_;
  uint64_t first_, last_;
  size_t pos_ = 0;
};

// Only what these tests use; everything else is NotImplemented.
class FakeGateway : public api::Gateway {
 public:
  rgw::Services& services() override { std::abort(); }
  store::ObjectStore& store() override { std::abort(); }
  Result<api::Identity> ActAs(const std::string&) override { std::abort(); }

  Result<api::Identity> Authenticate(const auth::SignedRequest& req,
                                     auth::AuthResult* auth) override {
    if (auto sha = req.Header("x-amz-content-sha256"); sha && *sha != "UNSIGNED-PAYLOAD") {
      auth->payload = auth::PayloadMode::kSignedSha256;
      auth->expected_sha256 = std::string(*sha);
    }
    if (req.Header("x-test-deny")) return Status(Code::kSignatureDoesNotMatch, "");
    api::Identity id;
    id.anonymous = false;
    id.user = rgw::User{"", "alice", ""};
    id.display_name = "Alice";
    return id;
  }

  Result<std::vector<api::BucketSummary>> ListBuckets(const api::RequestContext&) override {
    std::vector<api::BucketSummary> out;
    for (auto& [name, _] : buckets) out.push_back({name, CephTime{784111777, 0}});
    return out;
  }
  Status CreateBucket(const api::RequestContext&, const api::CreateBucketRequest& req) override {
    last_create = req;
    if (buckets.count(req.bucket)) return Status(Code::kBucketAlreadyOwnedByYou, "");
    buckets[req.bucket];
    return Status::OK();
  }
  Status DeleteBucket(const api::RequestContext&, const std::string& b) override {
    return buckets.erase(b) ? Status::OK() : Status(Code::kNoSuchBucket, "");
  }
  Result<api::BucketHeadInfo> HeadBucket(const api::RequestContext&,
                                         const std::string& b) override {
    if (!buckets.count(b)) return Status(Code::kNoSuchBucket, "");
    return api::BucketHeadInfo{};
  }
  Result<std::string> GetBucketLocation(const api::RequestContext&, const std::string&) override {
    return std::string("");
  }
  Result<api::ListObjectsResult> ListObjects(const api::RequestContext&,
                                             const api::ListObjectsRequest& req) override {
    last_list = req;
    auto it = buckets.find(req.bucket);
    if (it == buckets.end()) return Status(Code::kNoSuchBucket, "");
    api::ListObjectsResult r;
    for (auto& [k, o] : it->second) {
      if (k <= req.marker) continue;
      if (r.objects.size() == req.max_keys) {
        r.truncated = true;
        break;
      }
      r.objects.push_back(o.info);
      r.next_marker = k;
    }
    return r;
  }
  Result<rgw::AccessControlPolicy> GetBucketAcl(const api::RequestContext&,
                                                const std::string&) override {
    return Status(Code::kNotImplemented, "");
  }
  Status PutBucketAcl(const api::RequestContext&, const std::string&, const std::string&,
                      const std::map<std::string, std::string>&,
                      const rgw::AccessControlPolicy*) override {
    return Status(Code::kNotImplemented, "");
  }
  Result<std::map<std::string, std::string>> GetBucketTagging(const api::RequestContext&,
                                                              const std::string&) override {
    return Status(Code::kNoSuchTagSet, "");
  }
  Status PutBucketTagging(const api::RequestContext&, const std::string&,
                          const std::map<std::string, std::string>& t) override {
    last_tags = t;
    return Status::OK();
  }
  Status DeleteBucketTagging(const api::RequestContext&, const std::string&) override {
    return Status::OK();
  }

  Result<std::unique_ptr<api::ObjectUpload>> PutObject(const api::RequestContext&,
                                                       const api::PutObjectRequest& req) override {
    last_put = req;
    if (!buckets.count(req.bucket)) return Status(Code::kNoSuchBucket, "");
    auto commit = [this, req](std::string data) {
      StoredObject& o = buckets[req.bucket][req.key];
      o.info.key = req.key;
      o.info.size = data.size();
      o.info.etag = HexEncode(Md5(data));
      o.info.mtime = CephTime{784111777, 0};
      o.info.headers = req.headers;
      o.info.metadata = req.metadata;
      o.data = std::move(data);
    };
    return std::unique_ptr<api::ObjectUpload>(new FakeUpload(commit, req));
  }
  Result<std::unique_ptr<api::ObjectDownload>> GetObject(
      const api::RequestContext&, const api::GetObjectRequest& req) override {
    last_get = req;
    auto b = buckets.find(req.bucket);
    if (b == buckets.end()) return Status(Code::kNoSuchBucket, "");
    auto o = b->second.find(req.key);
    if (o == b->second.end()) return Status(Code::kNoSuchKey, "");
    if (!req.conditions.if_none_match.empty() &&
        req.conditions.if_none_match == "\"" + o->second.info.etag + "\"") {
      return Status(Code::kNotModified, "");
    }
    std::string data = req.head_only ? "" : o->second.data;
    uint64_t size = o->second.data.size();
    if (req.range && req.range->first) {
      uint64_t first = *req.range->first;
      uint64_t last = req.range->last ? std::min(*req.range->last, size - 1) : size - 1;
      if (first >= size) return Status(Code::kInvalidRange, "");
      return std::unique_ptr<api::ObjectDownload>(new FakeDownload(
          o->second.info, o->second.data.substr(first, last - first + 1), true, first, last));
    }
    return std::unique_ptr<api::ObjectDownload>(
        new FakeDownload(o->second.info, o->second.data, false, 0, 0));
  }
  Result<api::DeleteResult> DeleteObject(const api::RequestContext&, const std::string& b,
                                         const std::string& k, const std::string&) override {
    buckets[b].erase(k);
    api::DeleteResult r;
    r.key = k;
    return r;
  }
  Result<std::string> GetBucketVersioning(const api::RequestContext&,
                                          const std::string&) override {
    return std::string();
  }
  Result<std::vector<api::DeleteResult>> DeleteObjects(const api::RequestContext&,
                                                       const std::string& b,
                                                       const std::vector<std::string>& keys) override {
    std::vector<api::DeleteResult> out;
    for (auto& k : keys) {
      api::DeleteResult r;
      r.key = k;
      if (k == "locked") r.status = Status(Code::kAccessDenied, "");
      out.push_back(r);
    }
    return out;
  }
  Result<api::CopyObjectResult> CopyObject(const api::RequestContext&,
                                           const api::CopyObjectRequest& req) override {
    last_copy = req;
    return api::CopyObjectResult{"abc", CephTime{784111777, 0}};
  }
  Result<rgw::AccessControlPolicy> GetObjectAcl(const api::RequestContext&, const std::string&,
                                                const std::string&) override {
    return Status(Code::kNotImplemented, "");
  }
  Status PutObjectAcl(const api::RequestContext&, const std::string&, const std::string&,
                      const std::string&, const std::map<std::string, std::string>&,
                      const rgw::AccessControlPolicy*) override {
    return Status(Code::kNotImplemented, "");
  }
  Result<std::map<std::string, std::string>> GetObjectTagging(const api::RequestContext&,
                                                              const std::string&,
                                                              const std::string&) override {
    return std::map<std::string, std::string>{{"k", "v"}};
  }
  Status PutObjectTagging(const api::RequestContext&, const std::string&, const std::string&,
                          const std::map<std::string, std::string>& t) override {
    last_tags = t;
    return Status::OK();
  }
  Status DeleteObjectTagging(const api::RequestContext&, const std::string&,
                             const std::string&) override {
    return Status::OK();
  }
  Result<std::string> CreateMultipartUpload(const api::RequestContext&,
                                            const api::PutObjectRequest&) override {
    return std::string("2~upload");
  }
  Result<std::unique_ptr<api::ObjectUpload>> UploadPart(const api::RequestContext&,
                                                        const std::string&, const std::string&,
                                                        const std::string&, uint32_t,
                                                        const api::PutObjectRequest&) override {
    return Status(Code::kNotImplemented, "");
  }
  Result<api::CopyObjectResult> UploadPartCopy(const api::RequestContext&,
                                               const api::CopyObjectRequest&, const std::string&,
                                               uint32_t, std::optional<api::ByteRange>) override {
    return Status(Code::kNotImplemented, "");
  }
  Result<api::PutObjectResult> CompleteMultipartUpload(
      const api::RequestContext&, const std::string&, const std::string&, const std::string&,
      const std::vector<api::CompletedPart>& parts) override {
    last_parts = parts;
    return api::PutObjectResult{"feed-2", ""};
  }
  Status AbortMultipartUpload(const api::RequestContext&, const std::string&, const std::string&,
                              const std::string&) override {
    return Status(Code::kNoSuchUpload, "");
  }
  Result<api::ListPartsResult> ListParts(const api::RequestContext&, const std::string&,
                                         const std::string&, const std::string&, uint32_t,
                                         uint32_t) override {
    return Status(Code::kNotImplemented, "");
  }
  Result<api::ListUploadsResult> ListMultipartUploads(const api::RequestContext&,
                                                      const api::ListUploadsRequest&) override {
    return Status(Code::kNotImplemented, "");
  }

  std::map<std::string, std::map<std::string, StoredObject>> buckets;
  api::CreateBucketRequest last_create;
  api::ListObjectsRequest last_list;
  api::PutObjectRequest last_put;
  api::GetObjectRequest last_get;
  api::CopyObjectRequest last_copy;
  std::map<std::string, std::string> last_tags;
  std::vector<api::CompletedPart> last_parts;
};

class FakeBody : public http::BodyReader {
 public:
  explicit FakeBody(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    n = std::min({n, data_.size() - pos_, size_t{4096}});
    memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class FakeWriter : public http::ResponseWriter {
 public:
  void SetStatus(int code) override { status = code; }
  void AddHeader(std::string name, std::string value) override {
    headers.emplace_back(std::move(name), std::move(value));
  }
  Status SendHead(std::optional<uint64_t> len) override {
    if (sent) return Status(Code::kInternal, "twice");
    sent = true;
    length = len;
    return Status::OK();
  }
  Status Write(std::string_view data) override {
    ++writes;
    if (!head_request) body += data;  // the server swallows HEAD bodies
    return Status::OK();
  }
  Status Finish() override {
    finished = true;
    return Status::OK();
  }
  bool head_sent() const override { return sent; }
  std::string Header(const std::string& name) const {
    for (auto& [n, v] : headers) {
      if (http::EqualsIgnoreCase(n, name)) return v;
    }
    return "<absent>";
  }

  bool head_request = false;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  bool sent = false, finished = false;
  std::optional<uint64_t> length;
  std::string body;
  int writes = 0;
};

class S3HandlerTest : public testing::Test {
 protected:
  FakeWriter Do(std::string method, std::string target, std::string body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::HttpRequest req;
    req.method = method;
    req.target = target;
    auto q = target.find('?');
    req.raw_path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    req.headers = {{"Host", "localhost"}};
    for (auto& h : headers) req.headers.push_back(h);
    bool has_len = true;
    for (auto& [n, v] : req.headers) has_len &= !http::EqualsIgnoreCase(n, "x-test-no-length");
    if (has_len) req.content_length = body.size();
    req.request_id = "tx-test";
    FakeBody reader(body);
    FakeWriter out;
    out.head_request = method == "HEAD";
    handler.Handle(req, reader, out);
    return out;
  }

  FakeGateway gw;
  S3Handler handler{gw, {.dns_suffixes = {"localhost"}, .host_id = "hid"}};
};

TEST_F(S3HandlerTest, ListBucketsAndIds) {
  gw.buckets["b1"];
  auto r = Do("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-amz-id-2"), "hid");
  EXPECT_EQ(r.Header("Content-Type"), "application/xml");
  EXPECT_NE(r.body.find("<Bucket><Name>b1</Name>"), std::string::npos) << r.body;
}

TEST_F(S3HandlerTest, CreateBucketWithLocationAndAcl) {
  auto r = Do("PUT", "/nb",
              "<CreateBucketConfiguration><LocationConstraint>zg</LocationConstraint>"
              "</CreateBucketConfiguration>",
              {{"x-amz-acl", "public-read"}, {"x-amz-grant-read", "id=bob"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Location"), "/nb");
  EXPECT_EQ(gw.last_create.location_constraint, "zg");
  EXPECT_EQ(gw.last_create.canned_acl, "public-read");
  EXPECT_EQ(gw.last_create.grant_headers.at("read"), "id=bob");

  r = Do("PUT", "/nb2", "<CreateBucketConfiguration>");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("<Code>MalformedXML</Code>"), std::string::npos) << r.body;
}

TEST_F(S3HandlerTest, ErrorsAreS3DocumentsAndHeadHasNoBody) {
  auto r = Do("GET", "/missing/key");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("<Code>NoSuchBucket</Code>"), std::string::npos);
  EXPECT_NE(r.body.find("<Resource>/missing/key</Resource>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<RequestId>tx-test</RequestId>"), std::string::npos);

  r = Do("HEAD", "/missing/key");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "");

  r = Do("GET", "/", "", {{"x-test-deny", "1"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);
}

TEST_F(S3HandlerTest, UnimplementedOperationIs501) {
  gw.buckets["b"];
  auto r = Do("GET", "/b?cors");
  EXPECT_EQ(r.status, 501);
  EXPECT_NE(r.body.find("<Code>NotImplemented</Code>"), std::string::npos);
}

TEST_F(S3HandlerTest, PutThenGetObjectWithHeadersAndMetadata) {
  gw.buckets["b"];
  std::string data = "hello world, this is kelp";
  auto r = Do("PUT", "/b/dir/a%20b.txt", data,
              {{"Content-Type", "text/plain"},
               {"x-amz-meta-Color", "blue"},
               {"x-amz-content-sha256", HexEncode(Sha256(data))},
               {"x-amz-tagging", "a=b"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("ETag"), "\"" + HexEncode(Md5(data)) + "\"");
  EXPECT_EQ(gw.last_put.key, "dir/a b.txt");
  EXPECT_EQ(gw.last_put.content_length, data.size());
  EXPECT_EQ(gw.last_put.expected_sha256_hex, HexEncode(Sha256(data)));
  EXPECT_EQ(gw.last_put.tagging, "a=b");
  EXPECT_EQ(gw.last_put.metadata.at("color"), "blue");

  r = Do("GET", "/b/dir/a%20b.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, data);
  EXPECT_GT(r.writes, 1);  // streamed in chunks
  EXPECT_EQ(r.length, data.size());
  EXPECT_EQ(r.Header("Content-Type"), "text/plain");
  EXPECT_EQ(r.Header("x-amz-meta-color"), "blue");
  EXPECT_EQ(r.Header("Last-Modified"), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(r.Header("Accept-Ranges"), "bytes");
  EXPECT_EQ(r.Header("x-rgw-object-type"), "Normal");

  r = Do("GET", "/b/dir/a%20b.txt?response-content-type=x/y", "", {{"Range", "bytes=6-10"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "world");
  EXPECT_EQ(r.Header("Content-Range"), "bytes 6-10/" + std::to_string(data.size()));
  EXPECT_EQ(r.Header("Content-Type"), "x/y");

  r = Do("GET", "/b/dir/a%20b.txt", "", {{"Range", "bytes=zz"}});
  EXPECT_EQ(r.status, 200);  // invalid Range syntax ignored
  EXPECT_FALSE(gw.last_get.range);

  r = Do("GET", "/b/dir/a%20b.txt", "", {{"If-None-Match", "\"" + HexEncode(Md5(data)) + "\""}});
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");

  r = Do("HEAD", "/b/dir/a%20b.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.length, data.size());
  EXPECT_EQ(r.body, "");
}

TEST_F(S3HandlerTest, PutWithoutLengthIs411AndBadSha256Fails) {
  gw.buckets["b"];
  auto r = Do("PUT", "/b/k", "", {{"x-test-no-length", "1"}});
  EXPECT_EQ(r.status, 411);
  EXPECT_NE(r.body.find("MissingContentLength"), std::string::npos);

  r = Do("PUT", "/b/k", "data", {{"x-amz-content-sha256", std::string(64, 'a')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(gw.buckets["b"].count("k"));

  r = Do("PUT", "/b/k", "data", {{"Content-MD5", "nope"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("InvalidDigest"), std::string::npos);
}

TEST_F(S3HandlerTest, ListV2PassesDecodedTokenAndStartAfter) {
  gw.buckets["b"]["a"].info.key = "a";
  gw.buckets["b"]["b"].info.key = "b";
  gw.buckets["b"]["c"].info.key = "c";
  auto r = Do("GET", "/b?list-type=2&max-keys=1&start-after=a");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(gw.last_list.marker, "a");
  auto pos = r.body.find("<NextContinuationToken>");
  ASSERT_NE(pos, std::string::npos) << r.body;
  std::string token = r.body.substr(pos + 23, r.body.find('<', pos + 23) - pos - 23);
  r = Do("GET", "/b?list-type=2&continuation-token=" + token);
  EXPECT_EQ(gw.last_list.marker, "b");
  EXPECT_NE(r.body.find("<Key>c</Key>"), std::string::npos);

  // radosgw's token is the key itself: any token resumes after it.
  r = Do("GET", "/b?list-type=2&continuation-token=%21%21");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(gw.last_list.marker, "!!");
  r = Do("GET", "/b?encoding-type=zip");
  EXPECT_EQ(r.status, 400);
  r = Do("GET", "/b?max-keys=abc");
  EXPECT_EQ(r.status, 400);
}

TEST_F(S3HandlerTest, CopyObjectParsesSourceAndDirective) {
  auto r = Do("PUT", "/b/dst", "",
              {{"x-amz-copy-source", "/src/a%2Bb?versionId=v1"},
               {"x-amz-metadata-directive", "REPLACE"},
               {"x-amz-meta-new", "1"},
               {"x-amz-copy-source-if-match", "\"e\""}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(gw.last_copy.src_bucket, "src");
  EXPECT_EQ(gw.last_copy.src_key, "a+b");
  EXPECT_EQ(gw.last_copy.src_version_id, "v1");
  EXPECT_EQ(gw.last_copy.directive, api::MetadataDirective::kReplace);
  EXPECT_EQ(gw.last_copy.metadata.at("new"), "1");
  EXPECT_EQ(gw.last_copy.src_conditions.if_match, "\"e\"");
  EXPECT_NE(r.body.find("<CopyObjectResult"), std::string::npos);

  r = Do("PUT", "/b/dst", "",
         {{"x-amz-copy-source", "/src/k"}, {"x-amz-metadata-directive", "MOVE"}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(S3HandlerTest, MultiDeleteQuietAndMultipartComplete) {
  auto r = Do("POST", "/b?delete",
              "<Delete><Quiet>true</Quiet><Object><Key>x</Key></Object>"
              "<Object><Key>locked</Key></Object></Delete>");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("<Deleted>"), std::string::npos);
  EXPECT_NE(r.body.find("<Error><Key>locked</Key><Code>AccessDenied</Code>"), std::string::npos)
      << r.body;

  r = Do("POST", "/b/k?uploads");
  EXPECT_NE(r.body.find("<UploadId>2~upload</UploadId>"), std::string::npos);
  r = Do("POST", "/b/k?uploadId=2~upload",
         "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
         "</CompleteMultipartUpload>");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(gw.last_parts.size(), 1u);
  EXPECT_NE(r.body.find("<Location>http://localhost/b/k</Location>"), std::string::npos) << r.body;
  r = Do("DELETE", "/b/k?uploadId=nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("NoSuchUpload"), std::string::npos);
}

TEST_F(S3HandlerTest, TaggingAndVirtualHost) {
  auto r = Do("PUT", "/b/k?tagging",
              "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(gw.last_tags.at("a"), "1");
  r = Do("GET", "/b/k?tagging");
  EXPECT_NE(r.body.find("<Tag><Key>k</Key><Value>v</Value></Tag>"), std::string::npos);
  r = Do("GET", "/b?tagging");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("<Code>NoSuchTagSet"), std::string::npos) << r.body;

  // Virtual-host style: the bucket comes from Host.
  gw.buckets["vb"];
  http::HttpRequest req;
  req.method = "PUT";
  req.raw_path = "/obj";
  req.headers = {{"Host", "vb.localhost"}};
  req.content_length = 2;
  FakeBody body("hi");
  FakeWriter out;
  handler.Handle(req, body, out);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(gw.buckets["vb"]["obj"].data, "hi");
}

TEST_F(S3HandlerTest, XmlBodyLimit) {
  std::string big((1 << 20) + 1, 'x');
  auto r = Do("PUT", "/b/k?tagging", big);
  EXPECT_EQ(r.status, 400);
}

}  // namespace
}  // namespace kelp::s3
