#include <gtest/gtest.h>

#include <cstring>

#include "store/cls/rgw/json.h"
#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"
#include "store/cls/user/types.h"

namespace kelp::store::cls::user {
namespace {

using testing::Exec;
using testing::MemObject;

BucketEntry Entry(const std::string& name, const std::string& id, uint64_t size = 0,
                  uint64_t count = 0) {
  BucketEntry e;
  e.bucket.name = name;
  e.bucket.marker = id;
  e.bucket.bucket_id = id;
  e.size = size;
  e.size_rounded = (size + 4095) / 4096 * 4096;
  e.count = count;
  e.creation_time = CephTime{1700000000, 42};
  return e;
}

UserHeader Header(MemObject& o) {
  std::string out;
  EXPECT_TRUE(Exec(o, "user", "get_header", EncodeToString(GetHeaderOp{}), &out).ok());
  GetHeaderRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r.header;
}

Status SetInfo(MemObject& o, std::list<BucketEntry> entries, bool add, CephTime t) {
  SetBucketsOp op{std::move(entries), add, t};
  return Exec(o, "user", "set_buckets_info", EncodeToString(op));
}

ListBucketsRet List(MemObject& o, const std::string& marker, int32_t max,
                    const std::string& end = "") {
  std::string out;
  EXPECT_TRUE(Exec(o, "user", "list_buckets", EncodeToString(ListBucketsOp{marker, max, end}),
                   &out).ok());
  ListBucketsRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r;
}

TEST(ClsUser, LinkUpdateStatsListAndRemove) {
  MemObject o;
  ASSERT_TRUE(SetInfo(o, {Entry("b1", "id1"), Entry("b2", "id2")}, true, {100, 0}).ok());
  EXPECT_EQ(o.omap.size(), 2u);
  EXPECT_EQ(Header(o).last_stats_update, (CephTime{100, 0}));

  // Stats update (add=false) for b1 and for a bucket no longer linked.
  ASSERT_TRUE(SetInfo(o, {Entry("b1", "ignored", 5000, 3), Entry("gone", "x", 1, 1)}, false,
                      {90, 0}).ok());
  UserHeader h = Header(o);
  EXPECT_EQ(h.stats.total_entries, 3u);
  EXPECT_EQ(h.stats.total_bytes, 5000u);
  EXPECT_EQ(h.stats.total_bytes_rounded, 8192u);
  EXPECT_EQ(h.last_stats_update, (CephTime{100, 0}));  // never goes back
  EXPECT_EQ(o.omap.count("gone"), 0u);
  BucketEntry b1;
  ASSERT_TRUE(DecodeFromString(o.omap["b1"], b1).ok());
  EXPECT_EQ(b1.bucket.bucket_id, "id1");  // stats update keeps the id
  EXPECT_TRUE(b1.user_stats_sync);

  // Re-linking an existing bucket changes only id and creation time.
  BucketEntry relink = Entry("b1", "id1-new");
  relink.creation_time = {200, 0};
  ASSERT_TRUE(SetInfo(o, {relink}, true, {200, 0}).ok());
  ASSERT_TRUE(DecodeFromString(o.omap["b1"], b1).ok());
  EXPECT_EQ(b1.bucket.bucket_id, "id1-new");
  EXPECT_EQ(b1.size, 5000u);
  EXPECT_EQ(Header(o).stats.total_bytes, 5000u);

  ListBucketsRet all = List(o, "", 100);
  ASSERT_EQ(all.entries.size(), 2u);
  EXPECT_FALSE(all.truncated);
  ListBucketsRet page = List(o, "", 1);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.marker, "b1");
  EXPECT_EQ(List(o, page.marker, 1).entries.front().bucket.name, "b2");
  EXPECT_TRUE(List(o, "", 100, "b2").entries.size() == 1);

  RemoveBucketOp rm;
  rm.bucket.name = "b1";
  ASSERT_TRUE(Exec(o, "user", "remove_bucket", EncodeToString(rm)).ok());
  EXPECT_EQ(o.omap.count("b1"), 0u);
  EXPECT_EQ(Header(o).stats.total_bytes, 0u);
  EXPECT_TRUE(Exec(o, "user", "remove_bucket", EncodeToString(rm)).ok());  // idempotent
}

TEST(ClsUser, ResetStatsAndCompleteSync) {
  MemObject o;
  ASSERT_TRUE(SetInfo(o, {Entry("a", "1", 10, 1), Entry("b", "2", 20, 2)}, true, {5, 0}).ok());
  UserHeader h = Header(o);
  h.stats.total_bytes = 999;
  o.omap_header = EncodeToString(h);
  ASSERT_TRUE(Exec(o, "user", "reset_user_stats", EncodeToString(ResetStatsOp{{77, 0}})).ok());
  h = Header(o);
  EXPECT_EQ(h.stats.total_bytes, 30u);
  EXPECT_EQ(h.stats.total_entries, 3u);
  EXPECT_EQ(h.last_stats_update, (CephTime{77, 0}));
  ASSERT_TRUE(Exec(o, "user", "complete_stats_sync",
                   EncodeToString(CompleteStatsSyncOp{{80, 1}})).ok());
  EXPECT_EQ(Header(o).last_stats_sync, (CephTime{80, 1}));
}

TEST(ClsUser, PlacementIdSelectsNewerBucketEncoding) {
  UserBucket b{"n", "m", "id", "", "", "", ""};
  EXPECT_EQ(EncodeToString(b)[0], 7);
  b.placement_id = "default-placement";
  std::string bytes = EncodeToString(b);
  EXPECT_EQ(bytes[0], 9);
  UserBucket back;
  ASSERT_TRUE(DecodeFromString(bytes, back).ok());
  EXPECT_EQ(back, b);
}

// users.uid/<uid>.buckets objects: header and entries round-trip and match
// `radosgw-admin user stats` / `bucket list --uid`.
TEST(ClsUserGolden, BucketListsRoundTripAndMatchAdmin) {
  namespace fs = std::filesystem;
  size_t users = 0;
  for (const auto& o : testing::LoadPool("default.rgw.meta", "users.uid")) {
    const std::string suffix = ".buckets";
    if (o.oid.size() <= suffix.size() ||
        o.oid.compare(o.oid.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    std::string uid = o.oid.substr(0, o.oid.size() - suffix.size());
    ASSERT_TRUE(o.has_header) << uid;
    UserHeader h;
    ASSERT_TRUE(DecodeFromString(o.header, h).ok()) << uid;
    EXPECT_EQ(EncodeToString(h), o.header) << uid;
    std::vector<std::string> names;
    for (const auto& [k, v] : o.omap) {
      BucketEntry e;
      ASSERT_TRUE(DecodeFromString(v, e).ok()) << uid << " " << k;
      EXPECT_EQ(EncodeToString(e), v) << uid << " " << k;
      EXPECT_EQ(e.bucket.name, k);
      uint32_t mt;  // the u32 time_t copy after envelope, "" and size
      memcpy(&mt, v.data() + 6 + 4 + 8, 4);
      EXPECT_EQ(e.creation_time.sec, mt);
      names.push_back(k);
    }
    fs::path dir = fs::path(testing::PublicDir()) / "decoded/user" / testing::HexEncode(uid);
    auto stats = testing::ParseAdminJson(dir / "stats.json");
    EXPECT_EQ(stats["stats"]["size"].get<uint64_t>(), h.stats.total_bytes);
    EXPECT_EQ(stats["stats"]["size_actual"].get<uint64_t>(), h.stats.total_bytes_rounded);
    EXPECT_EQ(stats["stats"]["num_objects"].get<uint64_t>(), h.stats.total_entries);
    EXPECT_EQ(stats["last_stats_sync"].get<std::string>(), rgw::FormatUtime(h.last_stats_sync));
    EXPECT_EQ(stats["last_stats_update"].get<std::string>(),
              rgw::FormatUtime(h.last_stats_update));
    auto list = testing::ParseAdminJson(dir / "bucket_list.json");
    EXPECT_EQ(list.get<std::vector<std::string>>(), names) << uid;
    ++users;
  }
  EXPECT_GT(users, 0u);
}

}  // namespace
}  // namespace kelp::store::cls::user
