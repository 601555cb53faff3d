// SigV4 header authentication against AWS's published vectors: the SigV4
// test suite (botocore's copy, testdata/aws4_testsuite) and the S3 examples
// of "Authenticating Requests (AWS Signature Version 4)".
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include "auth/test_util.h"
#include "base/crypto.h"

namespace kelp::auth {
namespace {

using testing::OptionsAt;

constexpr char kS3Key[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kS3Date[] = "20130524T000000Z";
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

MapSecrets S3Secrets() { return MapSecrets({{kS3Key, kS3Secret}}); }

std::string Auth(const std::string& signed_headers, const std::string& sig) {
  return std::string("AWS4-HMAC-SHA256 Credential=") + kS3Key +
         "/20130524/us-east-1/s3/aws4_request,SignedHeaders=" + signed_headers +
         ",Signature=" + sig;
}

// --- AWS SigV4 test suite -------------------------------------------------
// (get-vanilla-with-session-token is left out: its .sreq carries
// get-vanilla's signature, not one over the token it signs.)

class Aws4TestSuite : public ::testing::TestWithParam<const char*> {};

TEST_P(Aws4TestSuite, Verifies) {
  std::string body;
  SignedRequest req = testing::ParseRawRequest(
      testing::ReadFile(std::string(KELP_SOURCE_DIR) + "/src/auth/testdata/aws4_testsuite/" +
                        GetParam() + ".sreq"),
      &body);
  ASSERT_FALSE(req.method.empty());
  // S3 takes the payload hash from x-amz-content-sha256 (unsigned by these
  // vectors, and exempt from the signed-header policy).
  req.headers.emplace_back("x-amz-content-sha256", HexEncode(Sha256(body)));
  MapSecrets secrets({{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}});
  auto r = Authenticate(req, secrets, OptionsAt("20150830T123600Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->anonymous);
  EXPECT_EQ(r->version, SignatureVersion::kV4);
  EXPECT_EQ(r->access_key, "AKIDEXAMPLE");
  EXPECT_EQ(r->payload, PayloadMode::kSignedSha256);
  EXPECT_EQ(r->expected_sha256, HexEncode(Sha256(body)));

  // One flipped bit of the signature fails.
  for (auto& [name, value] : req.headers) {
    if (name == "Authorization") value.back() = value.back() == '0' ? '1' : '0';
  }
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt("20150830T123600Z"))
                  .status()
                  .Is(Code::kSignatureDoesNotMatch));
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, Aws4TestSuite,
    ::testing::Values("get-vanilla", "get-vanilla-query", "get-vanilla-query-order-key-case",
                      "get-vanilla-query-order-key", "get-vanilla-query-order-value",
                      "get-vanilla-query-order-encoded", "get-vanilla-empty-query-key",
                      "get-vanilla-query-unreserved", "get-vanilla-utf8-query", "get-unreserved",
                      "get-utf8", "get-header-value-trim", "get-header-key-duplicate",
                      "get-header-value-order", "post-vanilla", "post-vanilla-query",
                      "post-vanilla-empty-query-value", "post-x-www-form-urlencoded",
                      "post-x-www-form-urlencoded-parameters", "post-header-key-case",
                      "post-header-key-sort", "post-header-value-case", "get-space"),
    [](const auto& info) {
      std::string n = info.param;
      for (char& c : n) {
        if (c == '-') c = '_';
      }
      return n;
    });

// --- S3 examples ----------------------------------------------------------

TEST(SigV4S3Examples, GetObjectWithRange) {
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/test.txt";
  req.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmpty},
      {"x-amz-date", kS3Date},
      {"Authorization", Auth("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")}};
  auto secrets = S3Secrets();
  auto r = Authenticate(req, secrets, OptionsAt(kS3Date));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->access_key, kS3Key);
  EXPECT_EQ(r->payload, PayloadMode::kSignedSha256);
  EXPECT_EQ(r->expected_sha256, kEmpty);
  EXPECT_FALSE(r->presigned);

  // The same request for another range is another request.
  req.headers[1].second = "bytes=0-10";
  EXPECT_TRUE(
      Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kSignatureDoesNotMatch));
}

TEST(SigV4S3Examples, PutObjectWithDollarInKey) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
  ASSERT_EQ(HexEncode(Sha256(body)), hash);
  SignedRequest req;
  req.method = "PUT";
  req.raw_path = "/test$file.text";  // sent unencoded; canonical form is /test%24file.text
  req.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
      {"x-amz-date", kS3Date},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", hash},
      {"Authorization", Auth("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                             "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")}};
  auto secrets = S3Secrets();
  auto r = Authenticate(req, secrets, OptionsAt(kS3Date));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->expected_sha256, hash);

  req.raw_path = "/test%24file.text";  // the encoded form signs the same
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).ok());
}

TEST(SigV4S3Examples, GetBucketLifecycle) {
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/";
  req.raw_query = "lifecycle";
  req.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-date", kS3Date},
      {"x-amz-content-sha256", kEmpty},
      {"Authorization", Auth("host;x-amz-content-sha256;x-amz-date",
                             "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")}};
  auto secrets = S3Secrets();
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).ok());
  req.raw_query = "lifecycle=";  // "lifecycle" canonicalises to "lifecycle=" either way
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).ok());
  req.raw_query = "policy";
  EXPECT_TRUE(
      Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kSignatureDoesNotMatch));
}

TEST(SigV4S3Examples, ListObjects) {
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/";
  req.raw_query = "max-keys=2&prefix=J";
  req.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-date", kS3Date},
      {"x-amz-content-sha256", kEmpty},
      {"Authorization", Auth("host;x-amz-content-sha256;x-amz-date",
                             "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")}};
  auto secrets = S3Secrets();
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).ok());
  req.raw_query = "prefix=J&max-keys=2";  // order does not matter
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).ok());
  req.raw_query = "prefix=K&max-keys=2";
  EXPECT_TRUE(
      Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kSignatureDoesNotMatch));
}

// --- canonicalisation -----------------------------------------------------

TEST(SigV4Canonical, Uri) {
  EXPECT_EQ(sigv4::CanonicalUri(""), "/");
  EXPECT_EQ(sigv4::CanonicalUri("/b/a b"), "/b/a%20b");
  EXPECT_EQ(sigv4::CanonicalUri("/b/a%20b"), "/b/a%20b");
  EXPECT_EQ(sigv4::CanonicalUri("/b/a+b"), "/b/a%2Bb");  // '+' in a path is a plus
  EXPECT_EQ(sigv4::CanonicalUri("/b/a%2bb"), "/b/a%2Bb");
  EXPECT_EQ(sigv4::CanonicalUri("/b/100%25"), "/b/100%25");    // not double-encoded
  EXPECT_EQ(sigv4::CanonicalUri("/b//./../x"), "/b//./../x");  // not normalised
  EXPECT_EQ(sigv4::CanonicalUri("/b/\xC3\xA9"), "/b/%C3%A9");
  EXPECT_EQ(sigv4::CanonicalUri("/b/~_-."), "/b/~_-.");
}

TEST(SigV4Canonical, Query) {
  EXPECT_EQ(sigv4::CanonicalQuery("", false), "");
  EXPECT_EQ(sigv4::CanonicalQuery("b=2&a=1&a=0", false), "a=0&a=1&b=2");
  EXPECT_EQ(sigv4::CanonicalQuery("uploads", false), "uploads=");
  EXPECT_EQ(sigv4::CanonicalQuery("prefix=a+b", false), "prefix=a%20b");  // '+' is a space
  EXPECT_EQ(sigv4::CanonicalQuery("prefix=a%2Bb", false), "prefix=a%2Bb");
  EXPECT_EQ(sigv4::CanonicalQuery("prefix=a/b", false), "prefix=a%2Fb");
  EXPECT_EQ(sigv4::CanonicalQuery("a=1&&b=2", false), "a=1&b=2");
  EXPECT_EQ(sigv4::CanonicalQuery("X-Amz-Signature=x&a=1", true), "a=1");
  // Sorted by encoded name: 'B' (0x42) sorts before 'a'.
  EXPECT_EQ(sigv4::CanonicalQuery("a=1&B=2", false), "B=2&a=1");
}

TEST(SigV4Canonical, HeaderValuesTrimmedAndCollapsed) {
  EXPECT_EQ(sigv4::TrimAll("  a   b \t c  "), "a b c");
  SignedRequest req;
  req.headers = {{"X-A", " 1 "}, {"x-a", "2"}, {"Host", "h"}};
  EXPECT_EQ(sigv4::CanonicalHeaders(req, {"x-a", "host"}), "host:h\nx-a:1,2\n");
}

// --- errors ---------------------------------------------------------------

SignedRequest Vanilla() {
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/test.txt";
  req.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", kEmpty},
      {"x-amz-date", kS3Date},
      {"Authorization", Auth("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")}};
  return req;
}

void SetHeader(SignedRequest* req, const std::string& name, const std::string& value) {
  for (auto& [n, v] : req->headers) {
    if (EqualsIgnoreCase(n, name)) {
      v = value;
      return;
    }
  }
  req->headers.emplace_back(name, value);
}

TEST(SigV4Errors, UnknownKey) {
  MapSecrets secrets({{"OTHER", "x"}});
  EXPECT_TRUE(
      Authenticate(Vanilla(), secrets, OptionsAt(kS3Date)).status().Is(Code::kInvalidAccessKeyId));
}

TEST(SigV4Errors, WrongSecret) {
  MapSecrets secrets({{kS3Key, "not-the-secret"}});
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, OptionsAt(kS3Date))
                  .status()
                  .Is(Code::kSignatureDoesNotMatch));
}

TEST(SigV4Errors, Skew) {
  auto secrets = S3Secrets();
  AuthOptions o = OptionsAt(kS3Date);
  o.now += std::chrono::minutes(15);
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, o).ok());  // exactly at the limit
  o.now += std::chrono::seconds(1);
  auto r = Authenticate(Vanilla(), secrets, o);
  EXPECT_TRUE(r.status().Is(Code::kRequestTimeTooSkewed)) << r.status().ToString();
  o = OptionsAt(kS3Date);
  o.now -= std::chrono::minutes(16);  // request from the future
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, o).status().Is(Code::kRequestTimeTooSkewed));
}

TEST(SigV4Errors, MissingOrBadDate) {
  auto secrets = S3Secrets();
  SignedRequest req = Vanilla();
  req.headers.erase(req.headers.begin() + 3);  // x-amz-date
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kAccessDenied));
  req = Vanilla();
  SetHeader(&req, "x-amz-date", "Fri, 24 May 2013 00:00:00 GMT");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kAccessDenied));
}

TEST(SigV4Errors, MalformedAuthorization) {
  auto secrets = S3Secrets();
  SignedRequest req = Vanilla();
  SetHeader(&req, "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date))
                  .status()
                  .Is(Code::kAuthorizationHeaderMalformed));
  SetHeader(&req, "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, "
            "SignedHeaders=host, Signature=00");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date))
                  .status()
                  .Is(Code::kAuthorizationHeaderMalformed));
  SetHeader(&req, "Authorization", "Bearer abc");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kInvalidArgument));
  SetHeader(&req, "Authorization", "AWS4-HMAC-SHA512 Credential=x");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kInvalidArgument));
}

TEST(SigV4Errors, BadContentSha256) {
  auto secrets = S3Secrets();
  SignedRequest req = Vanilla();
  SetHeader(&req, "x-amz-content-sha256", "abc");
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt(kS3Date)).status().Is(Code::kInvalidArgument));
}

TEST(SigV4Policy, AnyRegionByDefaultButCheckableOnRequest) {
  auto secrets = S3Secrets();
  AuthOptions o = OptionsAt(kS3Date);
  o.region = "us-east-1";
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, o).ok());
  o.region = "eu-west-1";
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, o).status().Is(Code::kAuthorizationHeaderMalformed));
  o.region.clear();
  o.service = "sts";
  EXPECT_TRUE(Authenticate(Vanilla(), secrets, o).status().Is(Code::kAuthorizationHeaderMalformed));
}

TEST(SigV4Policy, UnsignedAmzHeaderRejectedWhenStrict) {
  auto secrets = S3Secrets();
  SignedRequest req = Vanilla();
  req.headers.emplace_back("x-amz-acl", "public-read-write");  // injected after signing
  auto r = Authenticate(req, secrets, OptionsAt(kS3Date));
  EXPECT_TRUE(r.status().Is(Code::kAccessDenied)) << r.status().ToString();
  AuthOptions lax = OptionsAt(kS3Date);
  lax.strict_signed_headers = false;  // radosgw 16.2 behaviour
  EXPECT_TRUE(Authenticate(req, secrets, lax).ok());
}

}  // namespace
}  // namespace kelp::auth
