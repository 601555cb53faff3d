#include "rgw/types/multipart.h"

#include <gtest/gtest.h>

#include "rgw/types/olh.h"
#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

// Every unfinished upload's meta object: data and every part record decode
// and re-encode byte for byte; each part's manifest is what ForMultipartPart
// builds and names part objects that exist with the part's size.
TEST(MultipartGoldenTest, MetaObjectsAndPartsRoundTrip) {
  std::map<std::string, uint64_t> sizes;
  for (const auto& o : fx::ListObjects("default.rgw.buckets.data")) sizes[o.oid] = o.data.size();
  int metas = 0, parts = 0;
  for (const auto& o : fx::ListObjects("default.rgw.buckets.non-ec")) {
    SCOPED_TRACE(o.oid);
    size_t us = o.oid.find('_');
    ASSERT_NE(us, std::string::npos);
    ObjKey meta_key;
    ASSERT_TRUE(ObjKey::ParseRawOid(o.oid.substr(us + 1), &meta_key));
    ASSERT_EQ(meta_key.ns, kObjNsMultipart);
    MultipartUploadInfo info;
    ASSERT_TRUE(DecodeFromString(o.data, info).ok());
    EXPECT_EQ(EncodeToString(info), o.data);
    EXPECT_FALSE(info.dest_placement.name.empty());
    ++metas;
    for (const auto& [k, v] : o.omap) {
      UploadPartInfo part;
      ASSERT_TRUE(DecodeFromString(v, part).ok()) << k;
      EXPECT_EQ(EncodeToString(part), v) << k;
      EXPECT_EQ(PartOmapKey(part.num), k);
      EXPECT_EQ(part.size, part.manifest.obj_size);
      EXPECT_EQ(part.accounted_size, part.size);
      const ObjManifest& m = part.manifest;
      // "<key>.<upload>.meta" == part prefix + ".meta".
      EXPECT_EQ(m.prefix + ".meta", meta_key.name);
      auto gen = ObjManifest::ForMultipartPart(m.obj, m.tail_placement.placement_rule, m.prefix,
                                               part.num, part.size,
                                               m.rules.begin()->second.stripe_max_size);
      gen.head_placement_rule = m.head_placement_rule;
      EXPECT_EQ(EncodeToString(gen), EncodeToString(m));
      uint64_t total = 0;
      for (const auto& s : m.Stripes()) {
        ASSERT_TRUE(sizes.count(s.obj.GetOid())) << s.obj.GetOid();
        EXPECT_EQ(sizes[s.obj.GetOid()], s.size);
        total += s.size;
      }
      EXPECT_EQ(total, part.size);
      ++parts;
    }
  }
  EXPECT_GT(metas, 0);
  EXPECT_GT(parts, 0);
}

TEST(MultipartTest, Names) {
  EXPECT_EQ(PartOmapKey(7), "part.00000007");
  std::string id = NewUploadId();
  EXPECT_EQ(id.substr(0, 2), "2~");
  EXPECT_EQ(id.size(), 34u);
  EXPECT_EQ(MultipartMetaName("k", "2~x"), "k.2~x.meta");
  MultipartUploadInfo info{PlacementRule{"default-placement", ""}};
  // 27 bytes: envelope (6) + u32 len + "default-placement".
  EXPECT_EQ(EncodeToString(info).size(), 27u);
}

// Every OLH xattr decodes and re-encodes; a live target names an existing
// version object of the same bucket.
TEST(OlhGoldenTest, OlhInfoRoundTrips) {
  std::map<std::string, bool> exists;
  auto objs = fx::ListObjects("default.rgw.buckets.data");
  for (const auto& o : objs) exists[o.oid] = true;
  int n = 0;
  for (const auto& o : objs) {
    auto it = o.xattrs.find("user.rgw.olh.info");
    if (it == o.xattrs.end()) continue;
    SCOPED_TRACE(o.oid);
    OlhInfo info;
    ASSERT_TRUE(DecodeFromString(it->second, info).ok());
    EXPECT_EQ(EncodeToString(info), it->second);
    EXPECT_EQ(o.oid.substr(0, info.target.bucket.marker.size()), info.target.bucket.marker);
    if (!info.removed) {
      EXPECT_TRUE(exists.count(info.target.GetOid())) << info.target.GetOid();
    }
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace kelp::rgw
