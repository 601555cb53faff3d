// Behaviour of the bucket-index write path (prepare/complete) and shard
// header, as radosgw drives it against cls_rgw.
#include <gtest/gtest.h>

#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw {
namespace {

using testing::Exec;
using testing::MemObject;

const CephTime kNow{1700000000, 5000};

DirHeader Header(const MemObject& o) {
  DirHeader h;
  EXPECT_TRUE(DecodeFromString(o.omap_header, h).ok());
  return h;
}

DirEntry Entry(const MemObject& o, const std::string& key) {
  DirEntry e;
  auto it = o.omap.find(key);
  EXPECT_NE(it, o.omap.end()) << key;
  if (it != o.omap.end()) {
    EXPECT_TRUE(DecodeFromString(it->second, e).ok());
  }
  return e;
}

Status Prepare(MemObject& o, const ObjKey& key, const std::string& tag, uint8_t op = kOpAdd) {
  PrepareOp p;
  p.op = op;
  p.key = key;
  p.tag = tag;
  return Exec(o, "rgw", "bucket_prepare_op", EncodeToString(p), nullptr, kNow);
}

CompleteOp MakeComplete(const ObjKey& key, const std::string& tag, uint64_t size,
                        uint64_t epoch, uint8_t op = kOpAdd) {
  CompleteOp c;
  c.op = op;
  c.key = key;
  c.tag = tag;
  c.ver = BucketEntryVer{7, epoch};
  c.meta.category = op == kOpAdd ? kCategoryMain : kCategoryNone;
  c.meta.size = size;
  c.meta.accounted_size = size;
  c.meta.mtime = kNow;
  c.meta.etag = "etag";
  return c;
}

Status Complete(MemObject& o, const CompleteOp& c) {
  return Exec(o, "rgw", "bucket_complete_op", EncodeToString(c), nullptr, kNow);
}

// A full PUT as radosgw does it: prepare, write head, complete.
void Put(MemObject& o, const std::string& name, uint64_t size, uint64_t epoch) {
  std::string tag = "tag-" + name + "-" + std::to_string(epoch);
  ASSERT_TRUE(Prepare(o, ObjKey(name), tag).ok());
  ASSERT_TRUE(Complete(o, MakeComplete(ObjKey(name), tag, size, epoch)).ok());
}

MemObject NewIndex() {
  MemObject o;
  EXPECT_TRUE(Exec(o, "rgw", "bucket_init_index", "", nullptr, kNow).ok());
  return o;
}

TEST(RgwIndex, InitWritesHeaderOnceAndRefusesSecondInit) {
  MemObject o = NewIndex();
  DirHeader h = Header(o);
  EXPECT_EQ(h.ver, 1u);
  EXPECT_TRUE(h.stats.empty());
  // 54 bytes, like the empty shards radosgw writes.
  EXPECT_EQ(o.omap_header.size(), 54u);
  EXPECT_EQ(Exec(o, "rgw", "bucket_init_index", "", nullptr, kNow).code(), Code::kInvalid);
}

TEST(RgwIndex, PrepareRecordsPendingOnlyThenCompleteAccounts) {
  MemObject o = NewIndex();
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "t1").ok());
  DirEntry e = Entry(o, "a");
  EXPECT_FALSE(e.exists);
  ASSERT_EQ(e.pending_map.size(), 1u);
  EXPECT_EQ(e.pending_map.begin()->first, "t1");
  EXPECT_EQ(e.pending_map.begin()->second.timestamp, kNow);
  EXPECT_EQ(e.ver, BucketEntryVer());
  EXPECT_EQ(Header(o).ver, 1u);  // prepare does not touch the header

  ASSERT_TRUE(Complete(o, MakeComplete(ObjKey("a"), "t1", 5000, 3)).ok());
  e = Entry(o, "a");
  EXPECT_TRUE(e.exists);
  EXPECT_TRUE(e.pending_map.empty());
  EXPECT_EQ(e.meta.size, 5000u);
  EXPECT_EQ(e.tag, "t1");
  EXPECT_EQ(e.ver, (BucketEntryVer{7, 3}));
  EXPECT_EQ(e.index_ver, 1u);  // header ver before the completion's bump
  DirHeader h = Header(o);
  EXPECT_EQ(h.ver, 2u);
  ASSERT_EQ(h.stats.count(kCategoryMain), 1u);
  EXPECT_EQ(h.stats[kCategoryMain].num_entries, 1u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size, 5000u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size_rounded, 8192u);
  EXPECT_EQ(h.stats[kCategoryMain].actual_size, 5000u);
}

TEST(RgwIndex, OverwriteReplacesStatsAndDeleteRemovesEntry) {
  MemObject o = NewIndex();
  Put(o, "a", 100, 1);
  Put(o, "a", 300, 2);
  Put(o, "b", 10, 3);
  DirHeader h = Header(o);
  EXPECT_EQ(h.stats[kCategoryMain].num_entries, 2u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size, 310u);

  ASSERT_TRUE(Prepare(o, ObjKey("a"), "del", kOpDel).ok());
  ASSERT_TRUE(Complete(o, MakeComplete(ObjKey("a"), "del", 0, 9, kOpDel)).ok());
  EXPECT_EQ(o.omap.count("a"), 0u);
  h = Header(o);
  EXPECT_EQ(h.stats[kCategoryMain].num_entries, 1u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size, 10u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size_rounded, 4096u);
}

TEST(RgwIndex, DeleteWithAnotherPendingOpKeepsEntryAsNonexistent) {
  MemObject o = NewIndex();
  Put(o, "a", 100, 1);
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "other").ok());
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "del", kOpDel).ok());
  ASSERT_TRUE(Complete(o, MakeComplete(ObjKey("a"), "del", 0, 9, kOpDel)).ok());
  DirEntry e = Entry(o, "a");
  EXPECT_FALSE(e.exists);
  EXPECT_EQ(e.pending_map.count("other"), 1u);
  EXPECT_EQ(Header(o).stats[kCategoryMain].num_entries, 0u);
}

TEST(RgwIndex, DeleteOfUnknownEntryIsNotFoundAndChangesNothing) {
  MemObject o = NewIndex();
  MemObject before = o;
  // With an object version the missing entry reads as "already newer" and
  // the completion is skipped (upstream); without one it is ENOENT.
  EXPECT_TRUE(Complete(o, MakeComplete(ObjKey("ghost"), "", 0, 1, kOpDel)).ok());
  Status s = Complete(o, MakeComplete(ObjKey("ghost"), "", 0, 0, kOpDel));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(o.omap, before.omap);
  EXPECT_EQ(o.omap_header, before.omap_header);
}

TEST(RgwIndex, CancelDropsPendingWithoutHeaderWrite) {
  MemObject o = NewIndex();
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "t1").ok());
  CompleteOp c = MakeComplete(ObjKey("a"), "t1", 0, 0, kOpCancel);
  c.ver = BucketEntryVer{-1, 0};
  ASSERT_TRUE(Complete(o, c).ok());
  DirEntry e = Entry(o, "a");
  EXPECT_TRUE(e.pending_map.empty());
  EXPECT_FALSE(e.exists);
  EXPECT_EQ(Header(o).ver, 1u);
  EXPECT_TRUE(Header(o).stats.empty());
}

TEST(RgwIndex, CompleteWithUnknownTagIsInvalidAndAtomic) {
  MemObject o = NewIndex();
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "t1").ok());
  MemObject before = o;
  EXPECT_EQ(Complete(o, MakeComplete(ObjKey("a"), "nope", 1, 1)).code(), Code::kInvalid);
  EXPECT_EQ(o.omap, before.omap);
  EXPECT_EQ(o.version, before.version);
}

TEST(RgwIndex, OlderEpochCompletionIsSkipped) {
  MemObject o = NewIndex();
  Put(o, "a", 100, 5);
  ASSERT_TRUE(Prepare(o, ObjKey("a"), "late").ok());
  ASSERT_TRUE(Complete(o, MakeComplete(ObjKey("a"), "late", 999, 4)).ok());
  DirEntry e = Entry(o, "a");
  EXPECT_EQ(e.meta.size, 100u);
  EXPECT_TRUE(e.pending_map.empty());
  EXPECT_EQ(Header(o).stats[kCategoryMain].total_size, 100u);
}

TEST(RgwIndex, RemoveObjsAndBilog) {
  MemObject o = NewIndex();
  Put(o, "_multipart_x.2~abc.meta", 0, 1);
  Put(o, "_multipart_x.2~abc.1", 5, 2);
  ASSERT_TRUE(Prepare(o, ObjKey("x"), "t").ok());
  CompleteOp c = MakeComplete(ObjKey("x"), "t", 5, 3);
  c.remove_objs = {ObjKey("_multipart_x.2~abc.meta"), ObjKey("_multipart_x.2~abc.1"),
                   ObjKey("missing")};
  c.log_op = true;
  ASSERT_TRUE(Complete(o, c).ok());
  EXPECT_EQ(o.omap.count("_multipart_x.2~abc.meta"), 0u);
  EXPECT_EQ(o.omap.count("_multipart_x.2~abc.1"), 0u);
  DirHeader h = Header(o);
  EXPECT_EQ(h.stats[kCategoryMain].num_entries, 1u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size, 5u);
  // One bilog entry for the add and one per removed entry.
  std::vector<BiLogEntry> log;
  for (const auto& [k, v] : o.omap) {
    if (k.rfind(BilogPrefix(), 0) != 0) continue;
    BiLogEntry e;
    ASSERT_TRUE(DecodeFromString(v, e).ok());
    EXPECT_EQ(k, BilogPrefix() + e.id);
    log.push_back(e);
  }
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].object, "x");
  EXPECT_EQ(log[0].op, kOpAdd);
  EXPECT_EQ(log[0].state, kStateComplete);
  EXPECT_EQ(log[1].op, kOpDel);
  EXPECT_EQ(h.max_marker, log.back().id);
}

TEST(RgwIndex, GuardFailsWhileResharding) {
  MemObject o = NewIndex();
  GuardReshardingOp g{-kErrBusyResharding};
  EXPECT_TRUE(Exec(o, "rgw", "guard_bucket_resharding", EncodeToString(g)).ok());
  DirHeader h = Header(o);
  h.new_instance.reshard_status = kReshardInProgress;
  o.omap_header = EncodeToString(h);
  EXPECT_EQ(Exec(o, "rgw", "guard_bucket_resharding", EncodeToString(g)).code(), Code::kBusy);
}

TEST(RgwIndex, CheckAndRebuildRecomputeStats) {
  MemObject o = NewIndex();
  Put(o, "a", 100, 1);
  Put(o, "b", 5000, 2);
  DirHeader h = Header(o);
  h.stats[kCategoryMain].num_entries = 42;
  o.omap_header = EncodeToString(h);
  std::string out;
  ASSERT_TRUE(Exec(o, "rgw", "bucket_check_index", "", &out).ok());
  CheckIndexRet r;
  ASSERT_TRUE(DecodeFromString(out, r).ok());
  EXPECT_EQ(r.existing_header.stats[kCategoryMain].num_entries, 42u);
  EXPECT_EQ(r.calculated_header.stats[kCategoryMain].num_entries, 2u);
  EXPECT_EQ(r.calculated_header.stats[kCategoryMain].total_size_rounded, 4096u + 8192u);
  ASSERT_TRUE(Exec(o, "rgw", "bucket_rebuild_index", "").ok());
  EXPECT_EQ(Header(o).stats[kCategoryMain].num_entries, 2u);
}

TEST(RgwIndex, SuggestChangesRepairsOnlySettledEntries) {
  MemObject o = NewIndex();
  Put(o, "gone", 100, 1);
  Put(o, "busy", 100, 2);
  ASSERT_TRUE(Prepare(o, ObjKey("busy"), "inflight").ok());
  SuggestedChange rm{kSuggestRemove, Entry(o, "gone")};
  SuggestedChange rm2{kSuggestRemove, Entry(o, "busy")};
  ASSERT_TRUE(Exec(o, "rgw", "dir_suggest_changes", EncodeSuggestedChanges({rm, rm2}), nullptr,
                   kNow).ok());
  EXPECT_EQ(o.omap.count("gone"), 0u);
  EXPECT_EQ(o.omap.count("busy"), 1u);  // pending op not yet timed out
  EXPECT_EQ(Header(o).stats[kCategoryMain].num_entries, 1u);
  // After the tag timeout the pending op is dropped and the change applies.
  CephTime later{kNow.sec + 121, 0};
  ASSERT_TRUE(Exec(o, "rgw", "dir_suggest_changes", EncodeSuggestedChanges({rm2}), nullptr,
                   later).ok());
  EXPECT_EQ(o.omap.count("busy"), 0u);
  EXPECT_EQ(Header(o).stats[kCategoryMain].num_entries, 0u);
}

TEST(RgwIndex, UnknownMethodIsNotImplemented) {
  MemObject o;
  EXPECT_EQ(Exec(o, "rgw", "no_such_method", "").code(), Code::kNotImplemented);
}

}  // namespace
}  // namespace kelp::store::cls::rgw
