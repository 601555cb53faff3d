// rgw_gc queue: golden bytes of radosgw 16.2.15's gc.N objects (an
// initialized empty shard, and gc.9 holding one entry) and the ring's
// behaviour (list, expiry, remove, wrap, full).
#include "store/cls/rgw_gc/methods.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/cls/rgw_gc/types.h"
#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw_gc {
namespace {

using testing::Exec;
using testing::MemObject;

// "gc.<n>" in default.rgw.log ns gc (hex-named folders of the dump).
std::string GoldenGcData(int shard) {
  std::string oid = "gc." + std::to_string(shard);
  auto dir = std::filesystem::path(testing::PublicDir()) / "objects" / "default.rgw.log" / "gc" /
             testing::HexEncode(oid);
  return testing::ReadAll(dir / "data");
}

nlohmann::json GoldenGcList() {
  auto p = std::filesystem::path(testing::PublicDir()) / "decoded" / "global" /
           "gc_list_include_all.json";
  return nlohmann::json::parse(testing::ReadAll(p));
}

ListRet List(MemObject& o, bool expired_only, CephTime now, uint32_t max = 0,
             const std::string& marker = "") {
  ListOp op;
  op.expired_only = expired_only;
  op.max = max;
  op.marker = marker;
  std::string out;
  Status st = Exec(o, "rgw_gc", "rgw_gc_queue_list_entries", EncodeToString(op), &out, now, true);
  EXPECT_TRUE(st.ok()) << st.ToString();
  ListRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r;
}

Status Enqueue(MemObject& o, const std::string& tag, uint32_t wait, CephTime now) {
  SetEntryOp op;
  op.expiration_secs = wait;
  op.info.tag = tag;
  op.info.chain.push_back(ChainObj{"data", rgw::ObjKey("oid-" + tag), ""});
  return Exec(o, "rgw_gc", "rgw_gc_queue_enqueue", EncodeToString(op), nullptr, now);
}

Status RemoveEntries(MemObject& o, uint64_t n) {
  return Exec(o, "rgw_gc", "rgw_gc_queue_remove_entries", EncodeToString(QueueRemoveEntriesOp{n}));
}

MemObject NewQueue(uint64_t size) {
  MemObject o;
  o.exists = true;  // radosgw's init op starts with create(false)
  Status st = Exec(o, "rgw_gc", "rgw_gc_queue_init", EncodeToString(QueueInitOp{size, 50}));
  EXPECT_TRUE(st.ok()) << st.ToString();
  return o;
}

TEST(ClsRgwGc, InitWritesRadosgwsEmptyShardBytes) {
  // radosgw's defaults: rgw_gc_max_queue_size 134213632, rgw_gc_max_deferred 50.
  MemObject o = NewQueue(134213632);
  std::string golden = GoldenGcData(0);
  ASSERT_EQ(golden.size(), 110u);
  EXPECT_EQ(testing::HexEncode(o.data), testing::HexEncode(golden));
  // A second init fails: radosgw's init op then fails as a whole.
  EXPECT_TRUE(Exec(o, "rgw_gc", "rgw_gc_queue_init", EncodeToString(QueueInitOp{1, 0})).IsExists());
  // Without the object, as the OSD: ENOENT.
  MemObject missing;
  EXPECT_TRUE(
      Exec(missing, "rgw_gc", "rgw_gc_queue_init", EncodeToString(QueueInitOp{1, 0})).IsNotFound());
}

TEST(ClsRgwGc, GoldenShardWithOneEntryDecodesAndRoundTrips) {
  std::string data = GoldenGcData(9);
  QueueHead head;
  ASSERT_TRUE(DecodeQueueHeadBlock(data, &head).ok());
  EXPECT_EQ(head.max_head_size, 4096u);
  EXPECT_EQ(head.front, (QueueMarker{4096, 0}));
  EXPECT_EQ(head.tail.gen, 0u);
  EXPECT_EQ(head.tail.offset, data.size());
  EXPECT_EQ(head.queue_size, 134213632u + 4096u);
  EXPECT_EQ(head.max_urgent_data_size, 3072u);
  UrgentData urgent;
  ASSERT_TRUE(DecodeFromString(head.bl_urgent_data, urgent).ok());
  EXPECT_EQ(urgent.num_urgent_data_entries, 50u);
  EXPECT_TRUE(urgent.urgent_data_map.empty());
  std::string block = EncodeQueueHeadBlock(head);
  EXPECT_EQ(testing::HexEncode(block), testing::HexEncode(data.substr(0, block.size())));

  // The entry: u16 0xBEEF, u64 size, cls_rgw_gc_obj_info.
  Decoder d(std::string_view(data).substr(4096));
  EXPECT_EQ(d.U16(), kQueueEntryStart);
  uint64_t size = d.U64();
  std::string raw = std::string(d.Take(size));
  ASSERT_TRUE(d.AtEnd());
  GcObjInfo info;
  ASSERT_TRUE(DecodeFromString(raw, info).ok());
  EXPECT_EQ(EncodeToString(info), raw);

  nlohmann::json golden = GoldenGcList();
  ASSERT_EQ(golden.size(), 1u);
  EXPECT_EQ(info.tag, golden[0]["tag"].get<std::string>());
  ASSERT_EQ(info.chain.size(), golden[0]["objs"].size());
  const ChainObj& obj = info.chain.front();
  EXPECT_EQ(obj.pool, golden[0]["objs"][0]["pool"].get<std::string>());
  EXPECT_EQ(obj.key.name, golden[0]["objs"][0]["oid"].get<std::string>());
  EXPECT_EQ(obj.loc, golden[0]["objs"][0]["key"].get<std::string>());
  EXPECT_EQ(obj.key.instance, golden[0]["objs"][0]["instance"].get<std::string>());
}

TEST(ClsRgwGc, ListsExpiresAndRemovesTheGoldenEntry) {
  MemObject o;
  o.exists = true;
  o.data = GoldenGcData(9);
  QueueHead head;
  ASSERT_TRUE(DecodeQueueHeadBlock(o.data, &head).ok());

  ListRet all = List(o, false, CephTime::Now());
  ASSERT_EQ(all.entries.size(), 1u);
  EXPECT_FALSE(all.truncated);
  EXPECT_EQ(all.next_marker, "");
  const CephTime expiry = all.entries.front().time;
  EXPECT_TRUE(List(o, true, CephTime{expiry.sec - 1, 0}).entries.empty());
  EXPECT_EQ(List(o, true, expiry).entries.size(), 1u);

  ASSERT_TRUE(RemoveEntries(o, 1).ok());
  EXPECT_TRUE(List(o, false, CephTime::Now()).entries.empty());
  QueueHead after;
  ASSERT_TRUE(DecodeQueueHeadBlock(o.data, &after).ok());
  EXPECT_EQ(after.front, head.tail);  // front moved past the entry
  EXPECT_EQ(after.tail, head.tail);
  EXPECT_EQ(o.data.substr(4096), std::string(o.data.size() - 4096, '\0'));  // zeroed
}

TEST(ClsRgwGc, EnqueueStampsExpiryAndListPagesWithMarkers) {
  MemObject o = NewQueue(1 << 20);
  const CephTime now{1700000000, 5};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Enqueue(o, "t" + std::to_string(i), 100, now).ok());
  ListRet page = List(o, false, now, 2);
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries.front().tag, "t0");
  EXPECT_EQ(page.entries.front().time, (CephTime{1700000100, 5}));
  EXPECT_EQ(page.entries.front().chain.front().key.name, "oid-t0");
  EXPECT_TRUE(page.truncated);
  ListRet rest = List(o, false, now, 10, page.next_marker);
  ASSERT_EQ(rest.entries.size(), 3u);
  EXPECT_EQ(rest.entries.front().tag, "t2");
  EXPECT_FALSE(rest.truncated);
  // Not yet expired; then expired.
  EXPECT_TRUE(List(o, true, now).entries.empty());
  EXPECT_EQ(List(o, true, CephTime{1700000100, 5}).entries.size(), 5u);
  // Remove the first three: t3, t4 stay.
  ASSERT_TRUE(RemoveEntries(o, 3).ok());
  ListRet left = List(o, false, now);
  ASSERT_EQ(left.entries.size(), 2u);
  EXPECT_EQ(left.entries.front().tag, "t3");
}

TEST(ClsRgwGc, RingWrapsAroundAndReportsFull) {
  // A tiny ring: entries are ~90 bytes, so ~5 fit.
  MemObject o = NewQueue(500);
  const CephTime now{1700000000, 0};
  int n = 0;
  Status st;
  while ((st = Enqueue(o, "tag" + std::to_string(n), 0, now)).ok()) ++n;
  EXPECT_TRUE(st.Is(Code::kNoSpace)) << st.ToString();
  ASSERT_GE(n, 3);
  ASSERT_EQ(List(o, false, now).entries.size(), static_cast<size_t>(n));
  // Free two, then the next entries wrap past the ring's end.
  ASSERT_TRUE(RemoveEntries(o, 2).ok());
  ASSERT_TRUE(Enqueue(o, "wrapped-a", 0, now).ok());
  QueueHead head;
  ASSERT_TRUE(DecodeQueueHeadBlock(o.data, &head).ok());
  EXPECT_EQ(head.tail.gen, 1u);
  ListRet all = List(o, false, now);
  ASSERT_EQ(all.entries.size(), static_cast<size_t>(n - 1));
  EXPECT_EQ(all.entries.front().tag, "tag2");
  EXPECT_EQ(all.entries.back().tag, "wrapped-a");
  // Drain everything, including the wrapped entry.
  ASSERT_TRUE(RemoveEntries(o, 100).ok());
  EXPECT_TRUE(List(o, false, now).entries.empty());
  ASSERT_TRUE(DecodeQueueHeadBlock(o.data, &head).ok());
  EXPECT_EQ(head.front, head.tail);
  EXPECT_EQ(head.front.gen, 1u);
}

TEST(ClsRgwGc, UninitializedObjectIsInvalid) {
  MemObject o;
  o.exists = true;
  std::string out;
  EXPECT_TRUE(Exec(o, "rgw_gc", "rgw_gc_queue_list_entries", EncodeToString(ListOp{}), &out)
                  .Is(Code::kInvalid));
  EXPECT_TRUE(Enqueue(o, "x", 0, CephTime::Now()).Is(Code::kInvalid));
}

TEST(ClsRgwGc, MarkerText) {
  QueueMarker m;
  ASSERT_TRUE(QueueMarker::FromString("3/4425", &m));
  EXPECT_EQ(m, (QueueMarker{4425, 3}));
  EXPECT_EQ(m.ToString(), "3/4425");
  EXPECT_FALSE(QueueMarker::FromString("", &m));
  EXPECT_FALSE(QueueMarker::FromString("1/", &m));
  EXPECT_FALSE(QueueMarker::FromString("x/2", &m));
}

}  // namespace
}  // namespace kelp::store::cls::rgw_gc
