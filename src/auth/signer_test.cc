// The client signer reproduces AWS's published signatures and round-trips
// through Authenticate() for awkward paths and queries.
#include "auth/signer.h"

#include <gtest/gtest.h>

#include "auth/test_util.h"
#include "auth/uri.h"
#include "base/crypto.h"

namespace kelp::auth {
namespace {

using testing::OptionsAt;

TEST(SignV4, ReproducesAwsGetObjectExample) {
  V4SignRequest r;
  r.raw_path = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
  r.time = *ParseAmzDate("20130524T000000Z");
  V4Signature s = SignV4(r, {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(
      s.canonical_request,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SignV4, ReproducesAwsChunkedSeedAndChunks) {
  V4SignRequest r;
  r.method = "PUT";
  r.raw_path = "/examplebucket/chunkObject.txt";
  r.headers = {{"Host", "s3.amazonaws.com"},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"Content-Encoding", "aws-chunked"},
               {"x-amz-decoded-content-length", "66560"},
               {"Content-Length", "66824"}};
  r.payload_hash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  r.time = *ParseAmzDate("20130524T000000Z");
  V4Signature s = SignV4(r, {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
  EXPECT_EQ(s.signature, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  ChunkedSigner c(s);
  EXPECT_EQ(
      c.Chunk(std::string(65536, 'a')).substr(0, 86),
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  EXPECT_EQ(c.Chunk(std::string(1024, 'a')).substr(0, 84),
            "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  EXPECT_EQ(
      c.Final(),
      "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
  EXPECT_EQ(ChunkedSigner::EncodedLength(66560, 65536), 66824u);
}

TEST(SignV4, SessionTokenIsSignedAndReported) {
  V4SignRequest r;
  r.raw_path = "/b";
  r.headers = {{"Host", "h"}, {"x-amz-security-token", "tok/en+="}};
  r.time = *ParseAmzDate("20240301T101010Z");
  V4Signature s = SignV4(r, {"AK", "SK"});
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/b";
  req.headers = r.headers;
  req.headers.insert(req.headers.end(), s.headers.begin(), s.headers.end());
  MapSecrets secrets({{"AK", "SK"}});
  auto a = Authenticate(req, secrets, OptionsAt("20240301T101010Z"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->session_token, "tok/en+=");
  req.headers[1].second = "other";
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt("20240301T101010Z"))
                  .status()
                  .Is(Code::kSignatureDoesNotMatch));
}

class RoundTrip : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(RoundTrip, HeaderAndPresigned) {
  const auto [key, query] = GetParam();
  const std::string body = "payload for " + std::string(key);
  V4SignRequest r;
  r.method = "PUT";
  r.raw_path = "/bucket/" + UriEncode(key, false);
  r.raw_query = query;
  r.headers = {{"Host", "127.0.0.1:8000"}, {"x-amz-meta-k", "v  with   runs"}};
  r.payload_hash = HexEncode(Sha256(body));
  r.region = "kelp-zone";
  r.time = *ParseAmzDate("20240301T101010Z");
  V4Signature s = SignV4(r, {"AK", "S/K+="});

  SignedRequest req;
  req.method = r.method;
  req.raw_path = r.raw_path;
  req.raw_query = r.raw_query;
  req.headers = r.headers;
  req.headers.insert(req.headers.end(), s.headers.begin(), s.headers.end());
  MapSecrets secrets({{"AK", "S/K+="}});
  auto a = Authenticate(req, secrets, OptionsAt("20240301T101010Z"));
  ASSERT_TRUE(a.ok()) << a.status().ToString() << "\n" << s.canonical_request;
  EXPECT_EQ(a->expected_sha256, HexEncode(Sha256(body)));

  V4SignRequest p = r;
  p.payload_hash.clear();
  p.headers = {{"Host", "127.0.0.1:8000"}};
  SignedRequest preq;
  preq.method = p.method;
  preq.raw_path = p.raw_path;
  preq.raw_query = PresignV4(p, {"AK", "S/K+="}, 300);
  preq.headers = p.headers;
  auto pa = Authenticate(preq, secrets, OptionsAt("20240301T101110Z"));
  ASSERT_TRUE(pa.ok()) << pa.status().ToString();
  EXPECT_TRUE(pa->presigned);
  EXPECT_EQ(pa->payload, PayloadMode::kUnsigned);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, RoundTrip,
    ::testing::Values(std::pair{"plain", ""}, std::pair{"a b+c", "uploads"},
                      std::pair{"\xE6\x97\xA5\xE6\x9C\xAC/\xC3\xA9", "versionId=x%20y"},
                      std::pair{"100%", "partNumber=1&uploadId=a%2Fb"},
                      std::pair{"_under/score", "prefix=a+b&delimiter=%2F"},
                      std::pair{"//x/./y/../z", ""}, std::pair{"~!*'();:@&=+$,?#[]", "acl"}));

}  // namespace
}  // namespace kelp::auth
