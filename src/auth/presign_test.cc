// SigV4 presigned URLs: AWS's S3 example, expiry and skew with injected time.
#include "auth/presign.h"

#include <gtest/gtest.h>

#include "auth/signer.h"
#include "auth/test_util.h"
#include "auth/uri.h"

namespace kelp::auth {
namespace {

using testing::OptionsAt;

constexpr char kKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

SignedRequest AwsExample() {
  SignedRequest r;
  r.method = "GET";
  r.raw_path = "/test.txt";
  r.raw_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-"
      "east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-"
      "SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  return r;
}

TEST(PresignV4, AwsExample) {
  MapSecrets secrets({{kKey, kSecret}});
  auto r = Authenticate(AwsExample(), secrets, OptionsAt("20130524T120000Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->presigned);
  EXPECT_EQ(r->version, SignatureVersion::kV4);
  EXPECT_EQ(r->access_key, kKey);
  EXPECT_EQ(r->payload, PayloadMode::kUnsigned);

  // Our presigner reproduces the published URL.
  V4SignRequest s;
  s.raw_path = "/test.txt";
  s.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  s.time = *ParseAmzDate("20130524T000000Z");
  EXPECT_EQ(PresignV4(s, {kKey, kSecret}, 86400), AwsExample().raw_query);
}

TEST(PresignV4, ExpiresAtDatePlusExpires) {
  MapSecrets secrets({{kKey, kSecret}});
  auto o = OptionsAt("20130524T000000Z");
  o.now += std::chrono::seconds(86399);
  EXPECT_TRUE(Authenticate(AwsExample(), secrets, o).ok());
  o.now += std::chrono::seconds(1);
  auto r = Authenticate(AwsExample(), secrets, o);
  EXPECT_TRUE(r.status().Is(Code::kAccessDenied));
  EXPECT_EQ(r.status().message(), "Request has expired");
}

TEST(PresignV4, NotValidBeforeItsDateBeyondSkew) {
  MapSecrets secrets({{kKey, kSecret}});
  auto o = OptionsAt("20130524T000000Z");
  o.now -= std::chrono::minutes(10);  // within the skew: fine
  EXPECT_TRUE(Authenticate(AwsExample(), secrets, o).ok());
  o.now -= std::chrono::minutes(10);
  EXPECT_TRUE(Authenticate(AwsExample(), secrets, o).status().Is(Code::kAccessDenied));
}

TEST(PresignV4, ExpiresLimitedToSevenDays) {
  MapSecrets secrets({{kKey, kSecret}});
  V4SignRequest s;
  s.raw_path = "/b/k";
  s.headers = {{"Host", "localhost"}};
  s.time = *ParseAmzDate("20240101T000000Z");
  SignedRequest req;
  req.method = "GET";
  req.raw_path = "/b/k";
  req.headers = s.headers;
  req.raw_query = PresignV4(s, {kKey, kSecret}, 604800);
  EXPECT_TRUE(Authenticate(req, secrets, OptionsAt("20240107T000000Z")).ok());
  req.raw_query = PresignV4(s, {kKey, kSecret}, 604801);
  EXPECT_TRUE(
      Authenticate(req, secrets, OptionsAt("20240101T000000Z")).status().Is(Code::kAccessDenied));
  req.raw_query = PresignV4(s, {kKey, kSecret}, 0);
  EXPECT_TRUE(
      Authenticate(req, secrets, OptionsAt("20240101T000000Z")).status().Is(Code::kAccessDenied));
}

TEST(PresignV4, MissingParametersAndTampering) {
  MapSecrets secrets({{kKey, kSecret}});
  auto at = OptionsAt("20130524T000000Z");
  for (const char* drop : {"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                           "X-Amz-Signature"}) {
    SignedRequest r = AwsExample();
    std::string q;
    for (auto& p : ParseQuery(r.raw_query)) {
      if (p.name == drop) continue;
      if (!q.empty()) q += "&";
      q += p.name + "=" + UriEncode(p.value, true);
    }
    r.raw_query = q;
    EXPECT_TRUE(Authenticate(r, secrets, at).status().Is(Code::kAccessDenied)) << drop;
  }
  SignedRequest extra = AwsExample();
  extra.raw_query += "&versionId=2";  // a parameter added after signing
  EXPECT_TRUE(Authenticate(extra, secrets, at).status().Is(Code::kSignatureDoesNotMatch));
  // X-Amz-* names are recognised case-insensitively (radosgw lower-cases
  // them), but the name as sent is what the canonical query signs.
  SignedRequest lower = AwsExample();
  lower.raw_query = "x-amz-algorithm=AWS4-HMAC-SHA256&" + lower.raw_query.substr(32);
  EXPECT_TRUE(Authenticate(lower, secrets, at).status().Is(Code::kSignatureDoesNotMatch));
  SignedRequest algo = AwsExample();
  algo.raw_query = "X-Amz-Algorithm=AWS4-HMAC-SHA1&" + algo.raw_query.substr(32);
  EXPECT_TRUE(Authenticate(algo, secrets, at).status().Is(Code::kInvalidArgument));
}

TEST(Anonymous, NoCredentialsAnywhere) {
  MapSecrets secrets;
  SignedRequest r;
  r.method = "GET";
  r.raw_path = "/bucket/key";
  r.raw_query = "versionId=1&X-Amz-Date=20130524T000000Z";
  r.headers = {{"Host", "localhost"}};
  auto res = Authenticate(r, secrets, AuthOptions{});
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->anonymous);
  EXPECT_EQ(res->version, SignatureVersion::kNone);
  EXPECT_EQ(res->payload, PayloadMode::kUnsigned);
}

}  // namespace
}  // namespace kelp::auth
