#include "rgw/types/obj_tags.h"

#include <gtest/gtest.h>

#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

// Every tagging xattr (objects and bucket instances) round-trips and holds
// the tags the workload sent.
TEST(ObjTagsGoldenTest, TaggingXattrsRoundTripAndMatchWorkload) {
  auto workload = fx::LoadJson(fx::DumpDir() / "workload.json");
  std::vector<std::map<std::string, std::string>> sent;
  auto collect = [&](const nlohmann::json& tags) {
    if (!tags.is_object()) return;
    std::map<std::string, std::string> m;
    for (auto& [k, v] : tags.items()) m[k] = v;
    sent.push_back(m);
  };
  for (const auto& o : workload["objects"]) {
    if (o.contains("tagging")) collect(o["tagging"]);
  }
  for (const auto& b : workload["buckets"]) collect(b["tagging"]);
  int n = 0;
  for (const char* pool : {"default.rgw.buckets.data", "default.rgw.meta"}) {
    for (const auto& o : fx::ListObjects(pool)) {
      auto it = o.xattrs.find("user.rgw.x-amz-tagging");
      if (it == o.xattrs.end()) continue;
      SCOPED_TRACE(o.oid);
      ObjTags tags;
      ASSERT_TRUE(DecodeFromString(it->second, tags).ok());
      EXPECT_EQ(EncodeToString(tags), it->second);
      std::map<std::string, std::string> got(tags.tag_map.begin(), tags.tag_map.end());
      EXPECT_NE(std::find(sent.begin(), sent.end(), got), sent.end());
      ++n;
    }
  }
  EXPECT_GE(n, 2);
}

TEST(ObjTagsTest, XmlRoundTripAndLimits) {
  auto t = ObjTags::FromXml(
      "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
      "<Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag>"
      "</TagSet></Tagging>");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tag_map.size(), 2u);
  auto back = ObjTags::FromXml(t->ToXml());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *t);
  EXPECT_NE(t->ToXml().find("<Tag><Key>a</Key><Value>1</Value></Tag>"), std::string::npos);

  EXPECT_EQ(ObjTags::FromXml("<Tagging><TagSet>").status().code(), Code::kMalformedXML);
  EXPECT_EQ(ObjTags::FromXml("<Other/>").status().code(), Code::kMalformedXML);
  std::string many = "<Tagging><TagSet>";
  for (int i = 0; i < 11; ++i) {
    many += "<Tag><Key>k" + std::to_string(i) + "</Key><Value>v</Value></Tag>";
  }
  many += "</TagSet></Tagging>";
  EXPECT_EQ(ObjTags::FromXml(many).status().code(), Code::kInvalidTag);
  EXPECT_TRUE(ObjTags::FromXml(many, ObjTags::kMaxBucketTags).ok());
  ObjTags x;
  EXPECT_EQ(x.Add(std::string(129, 'k'), "v").code(), Code::kInvalidTag);
  EXPECT_EQ(x.Add("k", std::string(257, 'v')).code(), Code::kInvalidTag);
  EXPECT_EQ(x.Add("", "v").code(), Code::kInvalidTag);
  EXPECT_TRUE(x.Add(std::string(128, 'k'), std::string(256, 'v')).ok());

  auto h = ObjTags::FromHeader("project=kelp&tier=gold%20plus");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->tag_map.find("tier")->second, "gold plus");
}

}  // namespace
}  // namespace kelp::rgw
