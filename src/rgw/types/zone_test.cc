#include "rgw/types/zone.h"

#include <gtest/gtest.h>

#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// Every object of the root pool decodes, re-encodes byte for byte, dumps
// like `radosgw-admin zone get` / `zonegroup get`, and equals what
// DefaultZoneParams / DefaultZoneGroup build from the ids.
TEST(ZoneGoldenTest, RootPoolObjectsMatchDefaultsAndAdminJson) {
  int zones = 0, groups = 0, names = 0;
  std::string zone_id;
  for (const auto& o : fx::ListObjects(".rgw.root")) {
    if (StartsWith(o.oid, "zone_info.")) zone_id = o.oid.substr(10);
  }
  ASSERT_FALSE(zone_id.empty());
  for (const auto& o : fx::ListObjects(".rgw.root")) {
    SCOPED_TRACE(o.oid);
    if (StartsWith(o.oid, "zone_info.")) {
      ZoneParams z;
      ASSERT_TRUE(DecodeFromString(o.data, z).ok());
      EXPECT_EQ(EncodeToString(z), o.data);
      EXPECT_EQ(ZoneInfoOid(z.id()), o.oid);
      EXPECT_EQ(ToJson(z), fx::LoadDecoded("global/zone_get.json")) << ToJson(z).dump(1);
      EXPECT_EQ(EncodeToString(DefaultZoneParams(z.id(), z.name())), o.data);
      ++zones;
    } else if (StartsWith(o.oid, "zonegroup_info.")) {
      ZoneGroup g;
      ASSERT_TRUE(DecodeFromString(o.data, g).ok());
      EXPECT_EQ(EncodeToString(g), o.data);
      EXPECT_EQ(ZoneGroupInfoOid(g.id()), o.oid);
      EXPECT_EQ(ToJson(g), fx::LoadDecoded("global/zonegroup_get.json")) << ToJson(g).dump(1);
      EXPECT_EQ(EncodeToString(DefaultZoneGroup(g.id(), zone_id, g.name())), o.data);
      ++groups;
    } else if (StartsWith(o.oid, "zone_names.") || StartsWith(o.oid, "zonegroups_names.")) {
      NameToId n;
      ASSERT_TRUE(DecodeFromString(o.data, n).ok());
      EXPECT_EQ(EncodeToString(n), o.data);
      EXPECT_FALSE(n.obj_id.empty());
      ++names;
    }
  }
  EXPECT_EQ(zones, 1);
  EXPECT_EQ(groups, 1);
  EXPECT_EQ(names, 2);
}

TEST(ZoneParamsTest, DefaultsNameThePools) {
  ZoneParams z = DefaultZoneParams("zid", "east");
  EXPECT_EQ(z.domain_root.ToString(), "east.rgw.meta:root");
  EXPECT_EQ(z.placement_pools.at(kDefaultPlacement).DataPool().ToString(), "east.rgw.buckets.data");
  EXPECT_EQ(z.placement_pools.at(kDefaultPlacement).DataPool("COLD").ToString(),
            "east.rgw.buckets.data");
  ZoneGroup g = DefaultZoneGroup("gid", "zid");
  EXPECT_EQ(g.zones.at("zid").bucket_index_max_shards, 11u);
  EXPECT_EQ(g.placement_targets.at(kDefaultPlacement).EffectiveStorageClasses(),
            std::set<std::string>{"STANDARD"});
}

}  // namespace
}  // namespace kelp::rgw
