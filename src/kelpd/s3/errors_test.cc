#include "kelpd/s3/errors.h"

#include <gtest/gtest.h>

namespace kelp::s3 {
namespace {

TEST(S3ErrorsTest, TableMatchesRadosgw) {
  struct Row {
    Code code;
    int status;
    const char* s3;
  };
  const Row rows[] = {
      {Code::kNoSuchBucket, 404, "NoSuchBucket"},
      {Code::kNoSuchKey, 404, "NoSuchKey"},
      {Code::kNotFound, 404, "NoSuchKey"},
      {Code::kAccessDenied, 403, "AccessDenied"},
      {Code::kSignatureDoesNotMatch, 403, "SignatureDoesNotMatch"},
      {Code::kInvalidAccessKeyId, 403, "InvalidAccessKeyId"},
      {Code::kAccountProblem, 403, "UserSuspended"},
      {Code::kRequestTimeTooSkewed, 403, "RequestTimeTooSkewed"},
      {Code::kInvalidBucketName, 400, "InvalidBucketName"},
      {Code::kBucketAlreadyOwnedByYou, 409, "BucketAlreadyOwnedByYou"},
      {Code::kBucketAlreadyExists, 409, "BucketAlreadyExists"},
      {Code::kBucketNotEmpty, 409, "BucketNotEmpty"},
      {Code::kMalformedXML, 400, "MalformedXML"},
      {Code::kBadDigest, 400, "BadDigest"},
      {Code::kInvalidDigest, 400, "InvalidDigest"},
      {Code::kEntityTooSmall, 400, "EntityTooSmall"},
      {Code::kIncompleteBody, 400, "IncompleteBody"},
      {Code::kInvalidRange, 416, "InvalidRange"},
      {Code::kPreconditionFailed, 412, "PreconditionFailed"},
      {Code::kNotModified, 304, "NotModified"},
      {Code::kNotImplemented, 501, "NotImplemented"},
      {Code::kMissingContentLength, 411, "MissingContentLength"},
      {Code::kMethodNotAllowed, 405, "MethodNotAllowed"},
      {Code::kNoSuchTagSet, 404, "NoSuchTagSet"},
      {Code::kRequestTimeout, 400, "RequestTimeout"},
      {Code::kRequestHeaderSectionTooLarge, 431, "RequestHeaderSectionTooLarge"},
      {Code::kInvalid, 400, "InvalidArgument"},
      {Code::kExists, 409, "BucketAlreadyExists"},
      {Code::kInternal, 500, "InternalError"},
      {Code::kIOError, 500, "InternalError"},
      {Code::kCorruption, 500, "InternalError"},
      {Code::kBusy, 503, "ServiceUnavailable"},
      {Code::kServiceUnavailable, 503, "ServiceUnavailable"},
  };
  for (const Row& row : rows) {
    const S3ErrorInfo& e = S3ErrorFor(row.code);
    EXPECT_EQ(e.http_status, row.status) << CodeName(row.code);
    EXPECT_STREQ(e.code, row.s3) << CodeName(row.code);
    EXPECT_NE(std::string(e.message), "") << CodeName(row.code);
  }
}

TEST(S3ErrorsTest, EveryErrorCodeHasAnEntry) {
  for (int c = 1; c <= static_cast<int>(Code::kLastCode); ++c) {
    const S3ErrorInfo& e = S3ErrorFor(static_cast<Code>(c));
    EXPECT_GE(e.http_status, 300) << c;
    EXPECT_NE(std::string(e.code), "") << c;
  }
}

TEST(S3ErrorsTest, RendersEscapedXml) {
  Status st(Code::kNoSuchKey, "");
  EXPECT_EQ(RenderS3Error(st, "/b/a&b<c>", "tx0001", "host"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
            "<Message>The specified key does not exist.</Message>"
            "<Resource>/b/a&amp;b&lt;c&gt;</Resource><RequestId>tx0001</RequestId>"
            "<HostId>host</HostId></Error>");
  std::string xml = RenderS3Error(Status(Code::kInvalidArgument, "bad \"x\" & 'y'"), "/", "r");
  EXPECT_NE(xml.find("<Message>bad &quot;x&quot; &amp; &apos;y&apos;</Message>"),
            std::string::npos)
      << xml;
  // A message longer than any small-string buffer survives rendering.
  std::string long_message(200, 'm');
  xml = RenderS3Error(Status(Code::kInvalidRequest, long_message), "/", "r");
  EXPECT_NE(xml.find("<Message>" + long_message + "</Message>"), std::string::npos) << xml;
  xml = RenderS3Error(Status(Code::kInvalidRequest, ""), "/", "r");
  EXPECT_NE(xml.find("<Message>Invalid Request</Message>"), std::string::npos) << xml;
}

}  // namespace
}  // namespace kelp::s3

namespace kelp::s3 {
namespace {

// Records what SendS3Error sends.
class RecordingWriter : public http::ResponseWriter {
 public:
  void SetStatus(int code) override { status = code; }
  void AddHeader(std::string, std::string) override {}
  Status SendHead(std::optional<uint64_t>) override {
    sent = true;
    return Status::OK();
  }
  Status Write(std::string_view data) override {
    body.append(data);
    return Status::OK();
  }
  Status Finish() override { return Status::OK(); }
  bool head_sent() const override { return sent; }
  int status = 0;
  bool sent = false;
  std::string body;
};

TEST(S3ErrorsTest, ServerSideErrorsAreLoggedWithTheRequestId) {
  http::HttpRequest req;
  req.method = "PUT";
  req.target = "/b/k";
  req.request_id = "tx000000000000000000abc-0000000001-kelp";
  RecordingWriter out;
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(SendS3Error(req, out, Status(Code::kIOError, "write op on pool/x: timed out"),
                          "/b/k").ok());
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.status, 500);
  EXPECT_NE(out.body.find("<Code>InternalError</Code>"), std::string::npos);
  EXPECT_NE(log.find("500 InternalError for PUT /b/k (request " + req.request_id + ")"),
            std::string::npos) << log;
  EXPECT_NE(log.find("timed out"), std::string::npos) << log;

  RecordingWriter out404;
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(SendS3Error(req, out404, Status(Code::kNoSuchKey, ""), "/b/k").ok());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");  // a client's error is no news
  EXPECT_EQ(out404.status, 404);
}

}  // namespace
}  // namespace kelp::s3
