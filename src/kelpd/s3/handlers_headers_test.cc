#include "kelpd/s3/handlers_headers.h"

#include <gtest/gtest.h>

namespace kelp::s3 {
namespace {

TEST(ParseRange, Forms) {
  auto r = ParseRange("bytes=0-99");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->first, 0u);
  EXPECT_EQ(*r->last, 99u);
  EXPECT_FALSE(r->suffix);

  r = ParseRange("bytes=100-");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->first, 100u);
  EXPECT_FALSE(r->last);

  r = ParseRange("bytes=-500");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->first);
  EXPECT_EQ(*r->suffix, 500u);
}

TEST(ParseRange, InvalidSyntaxIsIgnored) {
  EXPECT_FALSE(ParseRange("items=0-1"));
  EXPECT_FALSE(ParseRange("bytes=5-2"));
  EXPECT_FALSE(ParseRange("bytes=0-1,3-4"));
  EXPECT_FALSE(ParseRange("bytes=a-b"));
  EXPECT_FALSE(ParseRange("bytes=-"));
  EXPECT_FALSE(ParseRange(""));
}

TEST(ParseCopySourceRange, NeedsBothEnds) {
  auto r = ParseCopySourceRange("bytes=0-5242879");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->first, 0u);
  EXPECT_EQ(*r->last, 5242879u);
  EXPECT_EQ(ParseCopySourceRange("bytes=10-").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseCopySourceRange("bytes=-10").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseCopySourceRange("junk").status().code(), Code::kInvalidArgument);
}

TEST(ParseHttpTime, AcceptsTheHttpFormsAndIso8601) {
  // 1994-11-06 08:49:37 UTC
  constexpr uint32_t kT = 784111777;
  EXPECT_EQ(ParseHttpTime("Sun, 06 Nov 1994 08:49:37 GMT")->sec, kT);
  EXPECT_EQ(ParseHttpTime("Sunday, 06-Nov-94 08:49:37 GMT")->sec, kT);
  EXPECT_EQ(ParseHttpTime("Sun Nov  6 08:49:37 1994")->sec, kT);
  EXPECT_EQ(ParseHttpTime("1994-11-06T08:49:37Z")->sec, kT);
  EXPECT_EQ(ParseHttpTime("1994-11-06T08:49:37.123Z")->sec, kT);
  EXPECT_FALSE(ParseHttpTime("yesterday"));
}

TEST(ParseConditions, PlainAndCopySource) {
  HeaderList h = {{"If-Match", "\"abc\""},
                  {"If-None-Match", "*"},
                  {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"},
                  {"If-Unmodified-Since", "not a date"},
                  {"x-amz-copy-source-if-match", "\"src\""}};
  api::Conditions c = ParseConditions(h);
  EXPECT_EQ(c.if_match, "\"abc\"");
  EXPECT_EQ(c.if_none_match, "*");
  ASSERT_TRUE(c.if_modified_since);
  EXPECT_EQ(c.if_modified_since->sec, 784111777u);
  EXPECT_FALSE(c.if_unmodified_since);  // unparsable dates are ignored

  api::Conditions cs = ParseConditions(h, "x-amz-copy-source-");
  EXPECT_EQ(cs.if_match, "\"src\"");
  EXPECT_EQ(cs.if_none_match, "");
}

TEST(ParseCopySource, DecodesAndSplitsVersion) {
  auto cs = ParseCopySource("/src-bucket/dir/a%20b%3Fc.txt?versionId=v1%2B");
  ASSERT_TRUE(cs.ok());
  EXPECT_EQ(cs->bucket, "src-bucket");
  EXPECT_EQ(cs->key, "dir/a b?c.txt");
  EXPECT_EQ(cs->version_id, "v1+");

  cs = ParseCopySource("bucket/key+plus");
  ASSERT_TRUE(cs.ok());
  EXPECT_EQ(cs->key, "key+plus");
  EXPECT_EQ(cs->version_id, "");

  EXPECT_EQ(ParseCopySource("bucket-only").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseCopySource("/bucket/").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseCopySource("//key").status().code(), Code::kInvalidArgument);
}

TEST(ExtractHeaders, StoredMetadataGrantsRecorded) {
  HeaderList h = {{"Content-Type", "text/plain"},
                  {"Content-Encoding", "aws-chunked,gzip"},
                  {"Cache-Control", "max-age=3600"},
                  {"X-Amz-Meta-Color", "blue"},
                  {"x-amz-meta-empty", ""},
                  {"x-amz-meta-color", "red"},
                  {"x-amz-grant-read", "id=\"u1\""},
                  {"x-amz-grant-full-control", "emailAddress=\"a@b\""},
                  {"x-amz-date", "20261123T012416Z"},
                  {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"},
                  {"x-amz-copy-source", "/b/k"},
                  {"x-amz-tagging", "a=b"},
                  {"x-amz-storage-class", "STANDARD"},
                  {"Host", "localhost"}};
  auto stored = ExtractStoredHeaders(h);
  EXPECT_EQ(stored.at("content-type"), "text/plain");
  EXPECT_EQ(stored.at("content-encoding"), "gzip");
  EXPECT_EQ(stored.at("cache-control"), "max-age=3600");
  EXPECT_EQ(stored.size(), 3u);

  auto meta = ExtractUserMetadata(h);
  EXPECT_EQ(meta.at("color"), "blue,red");
  EXPECT_EQ(meta.at("empty"), "");
  EXPECT_EQ(meta.size(), 2u);

  auto grants = ExtractGrantHeaders(h);
  EXPECT_EQ(grants.at("read"), "id=\"u1\"");
  EXPECT_EQ(grants.at("full-control"), "emailAddress=\"a@b\"");
  EXPECT_EQ(grants.size(), 2u);

  auto recorded = ExtractRecordedAmzHeaders(h);
  EXPECT_EQ(recorded.at("x-amz-date"), "20261123T012416Z");
  EXPECT_EQ(recorded.at("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(recorded.at("x-amz-grant-read"), "id=\"u1\"");  // radosgw records grants too
  EXPECT_FALSE(recorded.count("x-amz-meta-color"));
  EXPECT_FALSE(recorded.count("x-amz-copy-source"));
  EXPECT_FALSE(recorded.count("x-amz-tagging"));
  EXPECT_FALSE(recorded.count("x-amz-storage-class"));
}

TEST(ExtractHeaders, OnlyAwsChunkedEncodingIsDropped) {
  auto stored = ExtractStoredHeaders({{"Content-Encoding", "aws-chunked"}});
  EXPECT_FALSE(stored.count("content-encoding"));
}

TEST(QueryParams, DecodesAndFindsValuelessParams) {
  QueryParams q("uploads&prefix=a%2Fb+c&max-keys=5");
  EXPECT_TRUE(q.Has("uploads"));
  EXPECT_EQ(q.Get("uploads"), "");
  EXPECT_EQ(q.Get("prefix"), "a/b c");
  EXPECT_EQ(q.GetOr("max-keys", "1000"), "5");
  EXPECT_FALSE(q.Has("marker"));
}

TEST(CheckContentMd5, WantsBase64Of16Bytes) {
  EXPECT_TRUE(CheckContentMd5("1B2M2Y8AsgTpgAmY7PhCfg==").ok());  // md5("")
  EXPECT_EQ(CheckContentMd5("not base64!").code(), Code::kInvalidDigest);
  EXPECT_EQ(CheckContentMd5("YWJj").code(), Code::kInvalidDigest);  // 3 bytes
}

}  // namespace
}  // namespace kelp::s3
