// bucket_list and bi_list over many keys: byte order, prefix, delimiter,
// markers, versions, and the 0x80 namespace being skipped.
#include <gtest/gtest.h>

#include <cstdio>

#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw {
namespace {

using testing::Exec;
using testing::MemObject;

const CephTime kNow{1700000000, 0};

void PutEntry(MemObject& o, const std::string& name) {
  PrepareOp p;
  p.op = kOpAdd;
  p.key = ObjKey(name);
  p.tag = "t-" + name;
  ASSERT_TRUE(Exec(o, "rgw", "bucket_prepare_op", EncodeToString(p), nullptr, kNow).ok());
  CompleteOp c;
  c.op = kOpAdd;
  c.key = p.key;
  c.tag = p.tag;
  c.meta.category = kCategoryMain;
  c.meta.size = 1;
  c.meta.accounted_size = 1;
  ASSERT_TRUE(Exec(o, "rgw", "bucket_complete_op", EncodeToString(c), nullptr, kNow).ok());
}

void RawPut(MemObject& o, const std::string& idx, const std::string& data, uint8_t type) {
  BiPutOp op;
  op.entry = BiEntry{type, idx, data};
  ASSERT_TRUE(Exec(o, "rgw", "bi_put", EncodeToString(op)).ok());
}

ListRet List(MemObject& o, const ListOp& op) {
  std::string out;
  Status s = Exec(o, "rgw", "bucket_list", EncodeToString(op), &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  ListRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r;
}

// Pages through a listing the way radosgw does (marker = last key).
std::vector<std::string> ListAll(MemObject& o, ListOp op, int* calls = nullptr) {
  std::vector<std::string> names;
  for (int i = 0; i < 1000; ++i) {
    ListRet r = List(o, op);
    for (const auto& [k, e] : r.dir.m) {
      names.push_back(e.IsCommonPrefix() ? "[" + e.key.name + "]" : e.key.name);
      op.start_obj = e.key;
    }
    if (calls) ++*calls;
    if (!r.is_truncated) break;
    if (r.dir.m.empty()) op.start_obj = r.marker;
  }
  return names;
}

class RgwListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Exec(o_, "rgw", "bucket_init_index", "", nullptr, kNow).ok());
    names_ = {"a", "b/1", "b/2", "b/c/3", "c", "dir/sub/file.txt", "zz",
              "\xc3\xbcni/x", "\xe6\x97\xa5.txt", "_multipart_m.2~x.meta"};
    for (int i = 0; i < 150; ++i) {
      char buf[16];
      snprintf(buf, sizeof(buf), "k%03d", i);
      names_.push_back(buf);
    }
    for (const auto& n : names_) PutEntry(o_, n);
    // Special entries in the 0x80 namespace that listings must skip.
    DirEntry inst;
    inst.key = ObjKey("zz", "v1");
    inst.exists = true;
    RawPut(o_, InstanceKey(inst.key), EncodeToString(inst), kBiInstance);
    OlhEntry olh;
    olh.key = inst.key;
    RawPut(o_, OlhKey("zz"), EncodeToString(olh), kBiOlh);
    std::sort(names_.begin(), names_.end());
  }
  MemObject o_;
  std::vector<std::string> names_;
};

TEST_F(RgwListTest, AllEntriesInByteOrderSkippingSpecialNamespace) {
  ListOp op;
  op.num_entries = 1000;
  ListRet r = List(o_, op);
  EXPECT_FALSE(r.is_truncated);
  std::vector<std::string> got;
  for (const auto& [k, e] : r.dir.m) got.push_back(k);
  EXPECT_EQ(got, names_);
  EXPECT_EQ(r.dir.header.stats[kCategoryMain].num_entries, names_.size());
}

TEST_F(RgwListTest, MarkerPagingReturnsEverythingOnce) {
  ListOp op;
  op.num_entries = 7;
  int calls = 0;
  EXPECT_EQ(ListAll(o_, op, &calls), names_);
  EXPECT_GE(calls, static_cast<int>(names_.size() / 7));
}

TEST_F(RgwListTest, PrefixFilters) {
  ListOp op;
  op.num_entries = 2;
  op.filter_prefix = "b/";
  EXPECT_EQ(ListAll(o_, op), (std::vector<std::string>{"b/1", "b/2", "b/c/3"}));
  op.filter_prefix = "\xc3\xbc";
  EXPECT_EQ(ListAll(o_, op), (std::vector<std::string>{"\xc3\xbcni/x"}));
}

TEST_F(RgwListTest, DelimiterRollsUpCommonPrefixes) {
  ListOp op;
  op.num_entries = 1000;
  op.delimiter = "/";
  ListRet r = List(o_, op);
  ASSERT_TRUE(r.dir.m.count("b/"));
  EXPECT_TRUE(r.dir.m["b/"].IsCommonPrefix());
  EXPECT_EQ(r.dir.m["b/"].flags, DirEntry::kFlagCommonPrefix);
  EXPECT_FALSE(r.dir.m.count("b/1"));
  std::vector<std::string> want;
  for (const auto& n : names_) {
    size_t pos = n.find('/');
    std::string item = pos == std::string::npos ? n : "[" + n.substr(0, pos + 1) + "]";
    if (want.empty() || want.back() != item) want.push_back(item);
  }
  // Small pages cross prefixes the same way.
  op.num_entries = 3;
  EXPECT_EQ(ListAll(o_, op), want);
  // Inside a prefix, the next level rolls up.
  op.filter_prefix = "b/";
  EXPECT_EQ(ListAll(o_, op), (std::vector<std::string>{"b/1", "b/2", "[b/c/]"}));
}

TEST(RgwList, VersionsOnlyWithListVersions) {
  MemObject o;
  ASSERT_TRUE(Exec(o, "rgw", "bucket_init_index", "", nullptr, kNow).ok());
  // What link_olh leaves for "v" with versions i2 (old) and i3 (current).
  DirEntry marker;
  marker.key = ObjKey("v");
  marker.flags = DirEntry::kFlagVerMarker;
  RawPut(o, "v", EncodeToString(marker), kBiPlain);
  for (auto [inst, epoch, current] : {std::tuple{"i2", 2, false}, std::tuple{"i3", 3, true}}) {
    DirEntry e;
    e.key = ObjKey("v", inst);
    e.exists = true;
    e.versioned_epoch = epoch;
    e.flags = DirEntry::kFlagVer | (current ? DirEntry::kFlagCurrent : 0);
    RawPut(o, ListIndexKey("v", epoch, inst), EncodeToString(e), kBiPlain);
    RawPut(o, InstanceKey(e.key), EncodeToString(e), kBiInstance);
  }
  PutEntry(o, "w");
  ListOp op;
  op.num_entries = 100;
  ListRet r = List(o, op);
  ASSERT_EQ(r.dir.m.size(), 2u);
  EXPECT_EQ(r.dir.m.begin()->second.key, ObjKey("v", "i3"));
  op.list_versions = true;
  r = List(o, op);
  std::vector<ObjKey> keys;
  for (const auto& [k, e] : r.dir.m) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<ObjKey>{{"v", "i3"}, {"v", "i2"}, {"w", ""}}));
  // Resuming after a version (marker with instance).
  op.start_obj = ObjKey("v", "i3");
  r = List(o, op);
  ASSERT_EQ(r.dir.m.size(), 2u);
  EXPECT_EQ(r.dir.m.begin()->second.key, ObjKey("v", "i2"));
}

TEST_F(RgwListTest, BiListWalksNamespacesInOrder) {
  BiListOp op;
  op.max = 1000;
  std::string out;
  ASSERT_TRUE(Exec(o_, "rgw", "bi_list", EncodeToString(op), &out).ok());
  BiListRet r;
  ASSERT_TRUE(DecodeFromString(out, r).ok());
  EXPECT_FALSE(r.is_truncated);
  std::vector<uint8_t> types;
  for (const auto& e : r.entries) {
    if (types.empty() || types.back() != e.type) types.push_back(e.type);
  }
  EXPECT_EQ(types, (std::vector<uint8_t>{kBiPlain, kBiInstance, kBiOlh, kBiPlain}));
  EXPECT_EQ(r.entries.size(), names_.size() + 2);
  EXPECT_EQ(r.entries.back().idx, "\xe6\x97\xa5.txt");  // high plain region last

  // By name: the plain entry plus its instance and OLH entries.
  op.name_filter = "zz";
  ASSERT_TRUE(Exec(o_, "rgw", "bi_list", EncodeToString(op), &out).ok());
  ASSERT_TRUE(DecodeFromString(out, r).ok());
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries.front().idx, "zz");

  // Small pages are truncated.
  op.name_filter.clear();
  op.max = 10;
  ASSERT_TRUE(Exec(o_, "rgw", "bi_list", EncodeToString(op), &out).ok());
  ASSERT_TRUE(DecodeFromString(out, r).ok());
  EXPECT_EQ(r.entries.size(), 10u);
  EXPECT_TRUE(r.is_truncated);
}

TEST_F(RgwListTest, BiGetByNamespace) {
  BiGetOp op;
  op.key = ObjKey("zz", "v1");
  op.type = kBiInstance;
  std::string out;
  ASSERT_TRUE(Exec(o_, "rgw", "bi_get", EncodeToString(op), &out).ok());
  BiGetRet r;
  ASSERT_TRUE(DecodeFromString(out, r).ok());
  EXPECT_EQ(r.entry.idx, InstanceKey(op.key));
  op.type = kBiOlh;
  ASSERT_TRUE(Exec(o_, "rgw", "bi_get", EncodeToString(op), &out).ok());
  op.key = ObjKey("nope");
  op.type = kBiPlain;
  EXPECT_TRUE(Exec(o_, "rgw", "bi_get", EncodeToString(op), &out).IsNotFound());
}

}  // namespace
}  // namespace kelp::store::cls::rgw
