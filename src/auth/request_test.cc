// SignedRequest helpers, percent-coding and request dates.
#include "auth/request.h"

#include <gtest/gtest.h>

#include "auth/amz_time.h"
#include "auth/uri.h"

namespace kelp::auth {
namespace {

TEST(Uri, EncodeDecode) {
  EXPECT_EQ(UriEncode("a b/c~d_e-f.g", false), "a%20b/c~d_e-f.g");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b%2Fc");
  EXPECT_EQ(UriEncode("+%*\xC3\xA9", true), "%2B%25%2A%C3%A9");
  EXPECT_EQ(UriDecode("a%20b+c%2b%2F", false), "a b+c+/");
  EXPECT_EQ(UriDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(UriDecode("100%", false), "100%");  // dangling '%' stays
  EXPECT_EQ(UriDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(UriRecode("/a%2a*b", false), "/a%2A%2Ab");
}

TEST(SignedRequest, HeadersCaseInsensitiveAndJoined) {
  SignedRequest r;
  r.headers = {{"X-Amz-Meta-A", "1"}, {"x-amz-meta-a", "2"}, {"Content-Type", "t"}};
  EXPECT_EQ(r.Header("x-amz-meta-a"), "1");
  EXPECT_EQ(r.HeaderJoined("X-AMZ-META-A"), "1,2");
  EXPECT_FALSE(r.Header("host").has_value());
  r.host = "h:1";
  EXPECT_EQ(r.Header("Host"), "h:1");  // falls back to the host field
  EXPECT_TRUE(r.HasHeader("content-type"));
}

TEST(SignedRequest, QueryParsing) {
  auto q = ParseQuery("acl&prefix=a+b%2Bc&&empty=&%C3%A9=%E2%82%AC");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].name, "acl");
  EXPECT_FALSE(q[0].has_value);
  EXPECT_EQ(q[1].value, "a b+c");
  EXPECT_TRUE(q[2].has_value);
  EXPECT_EQ(q[2].value, "");
  EXPECT_EQ(q[3].name, "\xC3\xA9");
  EXPECT_EQ(q[3].value, "\xE2\x82\xAC");
  SignedRequest r;
  r.raw_query = "x-amz-date=1&X-Amz-Date=2";
  EXPECT_EQ(r.Param("X-Amz-Date"), "2");
  EXPECT_EQ(r.Param("X-Amz-Date", true), "1");
  EXPECT_FALSE(r.Param("missing").has_value());
}

TEST(AmzTime, ParseAndFormat) {
  EXPECT_EQ(ParseAmzDate("20130524T000000Z"), 1369353600);
  EXPECT_EQ(ParseAmzDate("19700101T000000Z"), 0);
  EXPECT_FALSE(ParseAmzDate("20130524T000000").has_value());
  EXPECT_FALSE(ParseAmzDate("2013-05-24T00:00:00Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20131324T000000Z").has_value());
  EXPECT_EQ(ParseHttpDate("Fri, 24 May 2013 00:00:00 GMT"), 1369353600);
  EXPECT_EQ(ParseHttpDate("Tue, 27 Mar 2007 19:36:42 +0000"), 1175024202);
  EXPECT_EQ(ParseHttpDate("Friday, 24-May-13 00:00:00 GMT"), 1369353600);
  EXPECT_FALSE(ParseHttpDate("Fri, 24 Foo 2013 00:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Fri, 24 May 2013 00:00:00 +0200").has_value());
  EXPECT_EQ(FormatAmzDate(1369353600), "20130524T000000Z");
  EXPECT_EQ(FormatHttpDate(1369353600), "Fri, 24 May 2013 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(1709287810), "Fri, 01 Mar 2024 10:10:10 GMT");
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{4102444799}}) {
    EXPECT_EQ(ParseAmzDate(FormatAmzDate(t)), t);
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), t);
  }
}

}  // namespace
}  // namespace kelp::auth
