// The rgw class run over the index shards radosgw 16.2.15 wrote: listing
// reproduces `radosgw-admin bucket list`, and check_index agrees with the
// stored header stats.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/cls/rgw/json.h"
#include "store/cls/rgw/ops.h"
#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw {
namespace {

namespace fs = std::filesystem;
using testing::Exec;
using testing::MemObject;

MemObject ToMem(const testing::DumpedObject& d) {
  MemObject o;
  o.exists = true;
  o.omap = d.omap;
  o.omap_header = d.header;
  o.xattrs = d.xattrs;
  return o;
}

TEST(RgwMethodsGolden, BucketListMatchesAdminAndCheckIndexIsClean) {
  auto shards = testing::LoadPool("default.rgw.buckets.index", "_default");
  size_t buckets = 0;
  for (const auto& d : fs::directory_iterator(testing::PublicDir() + "/decoded/bucket")) {
    auto stats = testing::ParseAdminJson(d.path() / "stats.json");
    std::string base = ".dir." + stats["id"].get<std::string>();
    std::vector<std::pair<std::string, nlohmann::json>> got;
    for (const auto& s : shards) {
      if (s.oid != base && s.oid.rfind(base + ".", 0) != 0) continue;
      MemObject o = ToMem(s);
      ListOp op;
      op.num_entries = 1000;
      op.list_versions = true;
      std::string out;
      ASSERT_TRUE(Exec(o, "rgw", "bucket_list", EncodeToString(op), &out).ok()) << s.oid;
      ListRet r;
      ASSERT_TRUE(DecodeFromString(out, r).ok());
      EXPECT_FALSE(r.is_truncated);
      for (const auto& [k, e] : r.dir.m) got.emplace_back(k, testing::Normalize(ToJson(e)));

      ASSERT_TRUE(Exec(o, "rgw", "bucket_check_index", "", &out).ok());
      CheckIndexRet c;
      ASSERT_TRUE(DecodeFromString(out, c).ok());
      for (const auto& [cat, st] : c.existing_header.stats) {
        if (st.num_entries == 0 && st.total_size == 0) continue;
        EXPECT_EQ(c.calculated_header.stats[cat], st) << s.oid << " category " << int(cat);
      }
    }
    std::sort(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    nlohmann::json want = testing::ParseAdminJson(d.path() / "list.json");
    ASSERT_EQ(got.size(), want.size()) << d.path();
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].second, want[i]) << d.path();
    ++buckets;
  }
  EXPECT_GT(buckets, 0u);
}

}  // namespace
}  // namespace kelp::store::cls::rgw
