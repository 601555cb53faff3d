#include "rgw/meta/zone_service.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "base/crypto.h"
#include "rgw/meta/sysobj.h"
#include "rgw/meta/testing/temp_store.h"

namespace kelp::rgw {
namespace {

using ZoneTest = testing::TempStoreTest;

TEST_F(ZoneTest, FirstStartCreatesRadosgwsPoolsZoneAndControlObjects) {
  auto pools = store_->ListPools();
  ASSERT_TRUE(pools.ok());
  for (const char* p :
       {".rgw.root", "default.rgw.log", "default.rgw.control", "default.rgw.meta",
        "default.rgw.buckets.index", "default.rgw.buckets.data", "default.rgw.buckets.non-ec"}) {
    EXPECT_NE(std::find(pools->begin(), pools->end(), p), pools->end()) << p;
  }
  const ZoneService& zone = svc_->zone();
  EXPECT_EQ(zone.zone_id().size(), 36u);  // a UUID like radosgw's
  EXPECT_EQ(zone.params().name(), "default");
  EXPECT_EQ(zone.bucket_index_max_shards(), 11u);
  EXPECT_EQ(zone.default_placement(), "default-placement");
  auto placement = zone.Placement("");
  ASSERT_TRUE(placement.ok());
  EXPECT_EQ(placement->index_pool.name, "default.rgw.buckets.index");
  EXPECT_FALSE(zone.Placement("no-such-rule").ok());

  // The four .rgw.root objects of the golden dump, no objv xattrs.
  std::string next;
  auto root = store_->List(".rgw.root", "", "", 100, &next);
  ASSERT_TRUE(root.ok());
  std::set<std::string> names;
  for (const auto& e : *root) names.insert(e.oid);
  EXPECT_EQ(names, (std::set<std::string>{"zone_info." + zone.zone_id(), "zone_names.default",
                                          "zonegroup_info." + zone.zonegroup().id(),
                                          "zonegroups_names.default"}));
  auto zn = GetSysObj(*store_, {".rgw.root", "", "zone_names.default", ""});
  ASSERT_TRUE(zn.ok());
  EXPECT_TRUE(zn->attrs.empty());
  EXPECT_EQ(zn->data.size(), 6u + 4u + 36u);  // ENC(1,1){str id}

  auto ctl = store_->List("default.rgw.control", "", "", 100, &next);
  ASSERT_TRUE(ctl.ok());
  EXPECT_EQ(ctl->size(), 8u);
}

TEST_F(ZoneTest, RestartReadsTheSameZone) {
  std::string zone_id = svc_->zone().zone_id();
  std::string zg_id = svc_->zone().zonegroup().id();
  Reopen();
  EXPECT_EQ(svc_->zone().zone_id(), zone_id);
  EXPECT_EQ(svc_->zone().zonegroup().id(), zg_id);
  std::string next;
  auto root = store_->List(".rgw.root", "", "", 100, &next);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->size(), 4u);
}

TEST_F(ZoneTest, ReadsTheGoldenZoneObjects) {
  // Replace our zone with the bytes radosgw 16.2.15 wrote and read them back.
  namespace fs = std::filesystem;
  fs::path root = fs::path(KELP_FIXTURES_DIR) / "public/objects/.rgw.root/_default";
  std::string cursor;
  auto ours = store_->List(".rgw.root", "", "", 100, &cursor);
  ASSERT_TRUE(ours.ok());
  for (const auto& e : *ours) {
    ASSERT_TRUE(store_->Operate({".rgw.root", "", e.oid, ""}, store::WriteOp().Remove()).ok());
  }
  for (const auto& dir : fs::directory_iterator(root)) {
    std::string oid;
    ASSERT_TRUE(HexDecode(dir.path().filename().string(), &oid));
    std::ifstream in(dir.path() / "data", std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), {});
    ASSERT_TRUE(store_->Operate({".rgw.root", "", oid, ""}, store::WriteOp().WriteFull(data)).ok());
  }
  Reopen();
  EXPECT_EQ(svc_->zone().zone_id(), "d3ca3b7a-ed20-483a-8df2-7a346b20d6aa");
  EXPECT_EQ(svc_->zone().zonegroup().id(), "62fa305a-069a-4646-a3f7-f4a0851e0ff5");
  EXPECT_EQ(svc_->zone().params().user_uid_pool.ToString(), "default.rgw.meta:users.uid");
  EXPECT_EQ(svc_->zone().bucket_index_max_shards(), 11u);
  // Re-encoding what we read gives radosgw's bytes back.
  auto zi = GetSysObj(*store_, {".rgw.root", "", "zone_info." + svc_->zone().zone_id(), ""});
  ASSERT_TRUE(zi.ok());
  EXPECT_EQ(EncodeToString(svc_->zone().params()), zi->data);
}

}  // namespace
}  // namespace kelp::rgw
