// Versioned-bucket index ops, driven in radosgw's order: prepare/complete
// on the instance key, then link_olh; deletes via delete markers and
// unlink_instance. The resulting layout matches the golden dump's
// versioned-bucket (VER_MARKER plain key, list keys newest first, OLH).
#include <gtest/gtest.h>

#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw {
namespace {

using testing::Exec;
using testing::MemObject;

const CephTime kNow{1700000000, 0};
const std::string kName = "doc.txt";
const std::string kOlhTag = "olhtag";

template <typename T>
T Get(const MemObject& o, const std::string& key) {
  T e;
  auto it = o.omap.find(key);
  EXPECT_NE(it, o.omap.end());
  if (it != o.omap.end()) {
    EXPECT_TRUE(DecodeFromString(it->second, e).ok());
  }
  return e;
}

class OlhTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Exec(o_, "rgw", "bucket_init_index", "", nullptr, kNow).ok());
  }

  void PutVersion(const std::string& inst, uint64_t size) {
    ObjKey key(kName, inst);
    PrepareOp p;
    p.op = kOpAdd;
    p.key = key;
    p.tag = "t" + inst;
    ASSERT_TRUE(Exec(o_, "rgw", "bucket_prepare_op", EncodeToString(p), nullptr, kNow).ok());
    CompleteOp c;
    c.op = kOpAdd;
    c.key = key;
    c.tag = p.tag;
    c.ver = {7, 9};
    c.meta.category = kCategoryMain;
    c.meta.size = c.meta.accounted_size = size;
    c.meta.owner = "tester";
    ASSERT_TRUE(Exec(o_, "rgw", "bucket_complete_op", EncodeToString(c), nullptr, kNow).ok());
    Link(key, false);
  }
  Status Link(const ObjKey& key, bool delete_marker) {
    LinkOlhOp l;
    l.key = key;
    l.olh_tag = kOlhTag;
    l.delete_marker = delete_marker;
    l.op_tag = "op" + key.instance;
    l.meta.owner = "tester";
    l.meta.owner_display_name = "Tester One";
    l.log_op = true;
    Status s = Exec(o_, "rgw", "bucket_link_olh", EncodeToString(l), nullptr, kNow);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s;
  }
  Status Unlink(const std::string& inst) {
    UnlinkInstanceOp u;
    u.key = ObjKey(kName, inst);
    u.op_tag = "rm" + inst;
    u.olh_tag = kOlhTag;
    return Exec(o_, "rgw", "bucket_unlink_instance", EncodeToString(u), nullptr, kNow);
  }
  std::vector<ObjKey> ListVersions() {
    ListOp op;
    op.num_entries = 100;
    op.list_versions = true;
    std::string out;
    EXPECT_TRUE(Exec(o_, "rgw", "bucket_list", EncodeToString(op), &out).ok());
    ListRet r;
    EXPECT_TRUE(DecodeFromString(out, r).ok());
    std::vector<ObjKey> keys;
    for (const auto& [k, e] : r.dir.m) keys.push_back(e.key);
    return keys;
  }
  size_t VisibleCount() {
    ListOp op;
    op.num_entries = 100;
    std::string out;
    EXPECT_TRUE(Exec(o_, "rgw", "bucket_list", EncodeToString(op), &out).ok());
    ListRet r;
    EXPECT_TRUE(DecodeFromString(out, r).ok());
    return r.dir.m.size();
  }

  MemObject o_;
};

TEST_F(OlhTest, TwoVersionsAndDeleteMarkerMatchRadosgwLayout) {
  PutVersion("A", 20);
  PutVersion("B", 35);
  ASSERT_TRUE(Link(ObjKey(kName, "C"), true).ok());

  EXPECT_EQ(Get<DirEntry>(o_, kName).flags, DirEntry::kFlagVerMarker);
  DirEntry dm = Get<DirEntry>(o_, ListIndexKey(kName, 4, "C"));
  EXPECT_EQ(dm.flags, 7);  // VER | CURRENT | DELETE_MARKER
  EXPECT_EQ(dm.tag, "delete-marker");
  EXPECT_FALSE(dm.exists);
  EXPECT_EQ(dm.meta.owner_display_name, "Tester One");
  EXPECT_EQ(Get<DirEntry>(o_, ListIndexKey(kName, 3, "B")).flags, DirEntry::kFlagVer);
  DirEntry a = Get<DirEntry>(o_, ListIndexKey(kName, 2, "A"));
  EXPECT_EQ(a.flags, DirEntry::kFlagVer);
  EXPECT_EQ(a.versioned_epoch, 2u);
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(Get<DirEntry>(o_, InstanceKey(ObjKey(kName, "A"))), a);
  OlhEntry olh = Get<OlhEntry>(o_, OlhKey(kName));
  EXPECT_EQ(olh.key, ObjKey(kName, "C"));
  EXPECT_TRUE(olh.delete_marker);
  EXPECT_EQ(olh.epoch, 4u);
  EXPECT_TRUE(olh.exists);
  EXPECT_EQ(olh.tag, kOlhTag);
  EXPECT_EQ(olh.pending_log.size(), 3u);

  EXPECT_EQ(VisibleCount(), 0u);  // current version is a delete marker
  EXPECT_EQ(ListVersions(),
            (std::vector<ObjKey>{{kName, "C"}, {kName, "B"}, {kName, "A"}}));

  // Stats count the two data versions only.
  DirHeader h;
  ASSERT_TRUE(DecodeFromString(o_.omap_header, h).ok());
  EXPECT_EQ(h.stats[kCategoryMain].num_entries, 2u);
  EXPECT_EQ(h.stats[kCategoryMain].total_size, 55u);
  // Each link logged a versioned bilog entry.
  size_t bilog = 0;
  for (const auto& [k, v] : o_.omap) {
    if (k.rfind(BilogPrefix(), 0) != 0) continue;
    BiLogEntry e;
    ASSERT_TRUE(DecodeFromString(v, e).ok());
    EXPECT_TRUE(e.bilog_flags & kBilogFlagVersionedOp);
    ++bilog;
  }
  EXPECT_EQ(bilog, 3u);

  // A second delete marker on top of one is refused.
  LinkOlhOp again;
  again.key = ObjKey(kName, "D");
  again.olh_tag = kOlhTag;
  again.delete_marker = true;
  EXPECT_TRUE(Exec(o_, "rgw", "bucket_link_olh", EncodeToString(again)).IsNotFound());
}

TEST_F(OlhTest, OlhLogReadTrimAndTagChecks) {
  PutVersion("A", 1);
  PutVersion("B", 2);
  ReadOlhLogOp r{ObjKey(kName), 0, kOlhTag};
  std::string out;
  ASSERT_TRUE(Exec(o_, "rgw", "bucket_read_olh_log", EncodeToString(r), &out).ok());
  ReadOlhLogRet ret;
  ASSERT_TRUE(DecodeFromString(out, ret).ok());
  ASSERT_EQ(ret.log.size(), 2u);
  EXPECT_EQ(ret.log.begin()->second.front().op, kOlhOpLinkOlh);
  r.olh_tag = "wrong";
  EXPECT_TRUE(Exec(o_, "rgw", "bucket_read_olh_log", EncodeToString(r), &out).IsCanceled());
  r.olh = ObjKey(kName, "A");
  r.olh_tag = kOlhTag;
  EXPECT_EQ(Exec(o_, "rgw", "bucket_read_olh_log", EncodeToString(r), &out).code(),
            Code::kInvalid);

  TrimOlhLogOp t{ObjKey(kName), 2, kOlhTag};
  ASSERT_TRUE(Exec(o_, "rgw", "bucket_trim_olh_log", EncodeToString(t)).ok());
  EXPECT_EQ(Get<OlhEntry>(o_, OlhKey(kName)).pending_log.size(), 1u);
}

TEST_F(OlhTest, UnlinkPromotesPreviousVersionThenClearOlh) {
  PutVersion("A", 20);
  PutVersion("B", 35);
  ASSERT_TRUE(Link(ObjKey(kName, "C"), true).ok());

  // Removing the delete marker makes B current again.
  ASSERT_TRUE(Unlink("C").ok());
  EXPECT_EQ(o_.omap.count(InstanceKey(ObjKey(kName, "C"))), 0u);
  OlhEntry olh = Get<OlhEntry>(o_, OlhKey(kName));
  EXPECT_EQ(olh.key, ObjKey(kName, "B"));
  EXPECT_FALSE(olh.delete_marker);
  EXPECT_EQ(VisibleCount(), 1u);
  EXPECT_EQ(ListVersions(), (std::vector<ObjKey>{{kName, "B"}, {kName, "A"}}));
  DirEntry b = Get<DirEntry>(o_, InstanceKey(ObjKey(kName, "B")));
  EXPECT_EQ(b.flags, DirEntry::kFlagVer | DirEntry::kFlagCurrent);

  ASSERT_TRUE(Unlink("B").ok());
  EXPECT_EQ(Get<OlhEntry>(o_, OlhKey(kName)).key, ObjKey(kName, "A"));
  EXPECT_TRUE(Unlink("B").ok());  // already gone: no-op
  ASSERT_TRUE(Unlink("A").ok());
  olh = Get<OlhEntry>(o_, OlhKey(kName));
  EXPECT_FALSE(olh.exists);
  EXPECT_TRUE(olh.pending_removal);
  EXPECT_TRUE(ListVersions().empty());

  ClearOlhOp c{ObjKey(kName), kOlhTag};
  ASSERT_TRUE(Exec(o_, "rgw", "bucket_clear_olh", EncodeToString(c)).ok());
  EXPECT_EQ(o_.omap.count(OlhKey(kName)), 0u);
  EXPECT_EQ(o_.omap.count(kName), 0u);
}

TEST_F(OlhTest, PlainObjectBecomesNullVersionWhenVersioningStarts) {
  // Written before versioning: a plain entry.
  PrepareOp p;
  p.op = kOpAdd;
  p.key = ObjKey(kName);
  p.tag = "plain";
  ASSERT_TRUE(Exec(o_, "rgw", "bucket_prepare_op", EncodeToString(p), nullptr, kNow).ok());
  CompleteOp c;
  c.key = p.key;
  c.tag = "plain";
  c.meta.category = kCategoryMain;
  c.meta.size = c.meta.accounted_size = 16;
  ASSERT_TRUE(Exec(o_, "rgw", "bucket_complete_op", EncodeToString(c), nullptr, kNow).ok());
  PutVersion("V", 17);
  EXPECT_EQ(Get<DirEntry>(o_, kName).flags, DirEntry::kFlagVerMarker);
  DirEntry null_version = Get<DirEntry>(o_, ListIndexKey(kName, 1, ""));
  EXPECT_EQ(null_version.versioned_epoch, 1u);
  EXPECT_EQ(null_version.meta.size, 16u);
  EXPECT_EQ(null_version.flags, DirEntry::kFlagVer);  // demoted
  EXPECT_EQ(ListVersions(), (std::vector<ObjKey>{{kName, "V"}, {kName, ""}}));
}

}  // namespace
}  // namespace kelp::store::cls::rgw
