#include "rgw/types/bucket_info.h"

#include <gtest/gtest.h>

#include "rgw/types/acl.h"
#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

bool IsInstance(const std::string& oid) { return oid.rfind(".bucket.meta.", 0) == 0; }

TEST(BucketGoldenTest, EveryInstanceDecodesReencodesAndDumpsLikeRadosgwAdmin) {
  int n = 0;
  for (const auto& o : fx::ListObjects("default.rgw.meta", "root")) {
    if (!IsInstance(o.oid)) continue;
    SCOPED_TRACE(o.oid);
    BucketInfo info;
    ASSERT_TRUE(DecodeFromString(o.data, info).ok());
    EXPECT_EQ(EncodeToString(info), o.data);
    EXPECT_EQ(BucketInstanceOid(info.bucket), o.oid);
    EXPECT_EQ(info.layout.logs.size(), 1u);
    EXPECT_EQ(info.layout.logs[0].layout.in_index.layout, info.layout.current_index.layout.normal);

    auto want = fx::LoadDecoded("metadata/bucket.instance/" +
                                fx::Hex(info.bucket.GetInstanceKey()) + ".json");
    CephTime mtime;
    ASSERT_TRUE(ParseTime(std::string(want["mtime"]), &mtime));
    auto [ver, tag] = fx::ObjVersionOf(o);
    auto got = ToJsonMetadata(info, tag, ver, mtime, fx::RgwAttrs(o));
    EXPECT_EQ(got, want) << got.dump(1) << "\n" << want.dump(1);

    // The bucket's ACL attr names the owner.
    AccessControlPolicy acl;
    ASSERT_TRUE(DecodeFromString(o.xattrs.at("user.rgw.acl"), acl).ok());
    EXPECT_EQ(acl.owner.id, info.owner);
    ++n;
  }
  EXPECT_GT(n, 3);
}

TEST(BucketGoldenTest, EveryEntryPointDecodesReencodesAndDumpsLikeRadosgwAdmin) {
  int n = 0;
  for (const auto& o : fx::ListObjects("default.rgw.meta", "root")) {
    if (IsInstance(o.oid)) continue;
    SCOPED_TRACE(o.oid);
    BucketEntryPoint ep;
    ASSERT_TRUE(DecodeFromString(o.data, ep).ok());
    EXPECT_EQ(EncodeToString(ep), o.data);
    EXPECT_EQ(BucketEntryPointOid(ep.bucket), o.oid);
    EXPECT_TRUE(ep.linked);
    auto want = fx::LoadDecoded("metadata/bucket/" + fx::Hex(ep.bucket.GetKey()) + ".json");
    CephTime mtime;
    ASSERT_TRUE(ParseTime(std::string(want["mtime"]), &mtime));
    auto [ver, tag] = fx::ObjVersionOf(o);
    auto got = ToJsonMetadata(ep, tag, ver, mtime);
    EXPECT_EQ(got, want) << got.dump(1) << "\n" << want.dump(1);
    ++n;
  }
  EXPECT_GT(n, 3);
}

TEST(BucketInfoTest, LegacyV21SynthesisesLayout) {
  // Encode a v21-shaped record by hand: the pre-layout fields.
  std::string b;
  Encoder e(&b);
  Bucket bucket{"", "b", "m", "id", {}};
  e.Versioned(21, 4, [&] {
    Encode(e, bucket);
    e.Str("owner");
    e.U32(kBucketVersioned);
    e.Str("zg");
    e.U64(1000);
    e.Str("default-placement");
    Encode(e, false);
    Encode(e, QuotaInfo{});
    e.U32(7);  // num_shards
    e.U8(0);   // hash type
    Encode(e, false);  // requester_pays
    e.Str("");         // owner tenant
    Encode(e, false);  // website
    e.U32(0);          // index type
    Encode(e, false);  // swift versioning
    Encode(e, CephTime{1000, 5});
    Encode(e, std::map<std::string, uint32_t>{});
    e.U8(0);
    e.Str("");
    Encode(e, false);  // sync policy
  });
  BucketInfo info;
  ASSERT_TRUE(DecodeFromString(b, info).ok());
  EXPECT_EQ(info.num_shards(), 7u);
  EXPECT_EQ(info.layout, MakeDefaultBucketLayout(7));
  EXPECT_TRUE(info.versioning_enabled());
  EXPECT_EQ(info.creation_time, (CephTime{1000, 5}));
  EXPECT_EQ(info.owner.id, "owner");
}

}  // namespace
}  // namespace kelp::rgw
