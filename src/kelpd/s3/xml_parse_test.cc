#include "kelpd/s3/xml_parse.h"

#include <gtest/gtest.h>

namespace kelp::s3 {
namespace {

TEST(ParseCreateBucketConfiguration, EmptyBodyAndLocation) {
  EXPECT_EQ(*ParseCreateBucketConfiguration(""), "");
  EXPECT_EQ(*ParseCreateBucketConfiguration(
                R"(<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
                "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"),
            "eu-west-1");
  EXPECT_EQ(ParseCreateBucketConfiguration("<CreateBucketConfiguration>").status().code(),
            Code::kMalformedXML);
  EXPECT_EQ(ParseCreateBucketConfiguration("<Other/>").status().code(), Code::kMalformedXML);
}

TEST(ParseCompleteMultipartUpload, PartsInOrder) {
  auto parts = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload>"
      "<Part><PartNumber>1</PartNumber><ETag>\"aa\"</ETag></Part>"
      "<Part><ETag>bb</ETag><PartNumber> 2 </PartNumber></Part>"
      "</CompleteMultipartUpload>");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].number, 1u);
  EXPECT_EQ((*parts)[0].etag, "\"aa\"");
  EXPECT_EQ((*parts)[1].number, 2u);
  EXPECT_EQ((*parts)[1].etag, "bb");
}

TEST(ParseCompleteMultipartUpload, Malformed) {
  for (const char* body :
       {"", "<CompleteMultipartUpload/>",
        "<CompleteMultipartUpload><Part><ETag>x</ETag></Part>"
        "</CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>x</ETag></Part>"
        "</CompleteMultipartUpload>",
        "not xml"}) {
    EXPECT_EQ(ParseCompleteMultipartUpload(body).status().code(), Code::kMalformedXML) << body;
  }
}

TEST(ParseDeleteObjects, QuietKeysVersions) {
  auto in = ParseDeleteObjects(
      R"(<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>)"
      "<Object><Key>a &amp; b</Key></Object><Object><Key>c</Key><VersionId>v1</VersionId>"
      "</Object></Delete>");
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(in->quiet);
  ASSERT_EQ(in->objects.size(), 2u);
  EXPECT_EQ(in->objects[0].key, "a & b");
  EXPECT_EQ(in->objects[0].version_id, "");
  EXPECT_EQ(in->objects[1].version_id, "v1");

  EXPECT_EQ(ParseDeleteObjects("<Delete></Delete>").status().code(), Code::kMalformedXML);
  EXPECT_EQ(ParseDeleteObjects("<Delete><Object/></Delete>").status().code(), Code::kMalformedXML);
  std::string many = "<Delete>";
  for (int i = 0; i < 1001; ++i) many += "<Object><Key>k</Key></Object>";
  many += "</Delete>";
  EXPECT_EQ(ParseDeleteObjects(many).status().code(), Code::kMalformedXML);
}

TEST(ParseTagging, TagsAndErrors) {
  auto tags = ParseTagging(
      "<Tagging><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag>"
      "<Tag><Key>k2</Key><Value></Value></Tag></TagSet></Tagging>");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->at("k1"), "v1");
  EXPECT_EQ(tags->at("k2"), "");

  EXPECT_EQ(*ParseTagging("<Tagging><TagSet/></Tagging>"), (std::map<std::string, std::string>{}));
  EXPECT_EQ(ParseTagging("<Tagging><TagSet><Tag><Key>k</Key></Tag><Tag><Key>k</Key></Tag>"
                         "</TagSet></Tagging>")
                .status()
                .code(),
            Code::kInvalidTag);
  EXPECT_EQ(ParseTagging("<Tagging/>").status().code(), Code::kMalformedXML);
  EXPECT_EQ(ParseTagging("<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>")
                .status()
                .code(),
            Code::kMalformedXML);
}

TEST(ParseVersioningConfiguration, StatusOrEmpty) {
  EXPECT_EQ(*ParseVersioningConfiguration(
                R"(<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
                "<Status>Enabled</Status></VersioningConfiguration>"),
            "Enabled");
  EXPECT_EQ(*ParseVersioningConfiguration("<VersioningConfiguration><MfaDelete>Disabled"
                                          "</MfaDelete></VersioningConfiguration>"),
            "");
  EXPECT_EQ(ParseVersioningConfiguration("<Versioning/>").status().code(), Code::kMalformedXML);
  EXPECT_EQ(ParseVersioningConfiguration("not xml").status().code(), Code::kMalformedXML);
}

}  // namespace
}  // namespace kelp::s3
