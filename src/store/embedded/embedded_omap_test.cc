// Omap range queries of the embedded engine over thousands of keys.
#include <cstdio>

#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::MustOpen;
using testing::TempDir;
using Map = std::map<std::string, std::string>;

std::string Key(const char* prefix, int i) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%05d", prefix, i);
  return buf;
}

class EmbeddedOmapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->CreatePool("p").ok());
    // 3000 "a" keys, 2000 "b" keys, in a few ops.
    for (int batch = 0; batch < 5; ++batch) {
      Map kv;
      for (int i = batch * 1000; i < (batch + 1) * 1000; ++i) {
        kv[i < 3000 ? Key("a", i) : Key("b", i - 3000)] = "v" + std::to_string(i);
      }
      ASSERT_TRUE(store_->Operate(id_, WriteOp().OmapSet(std::move(kv))).ok());
    }
  }
  Map GetVals(const std::string& after, const std::string& prefix, uint64_t max,
              bool* more = nullptr) {
    Map out;
    Status st = store_->Operate(id_, ReadOp().OmapGetVals(after, prefix, max, &out, more));
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
  ObjectId id_{"p", "", "index", ""};
};

TEST_F(EmbeddedOmapTest, PrefixStartAfterAndMax) {
  bool more = false;
  Map m = GetVals("", "b", 10, &more);
  ASSERT_EQ(m.size(), 10u);
  EXPECT_EQ(m.begin()->first, "b00000");
  EXPECT_EQ(m.rbegin()->first, "b00009");
  EXPECT_EQ(m.begin()->second, "v3000");
  EXPECT_TRUE(more);

  m = GetVals("b01995", "b", 10, &more);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m.begin()->first, "b01996");
  EXPECT_FALSE(more);

  // start_after before the prefix range: the prefix bounds it.
  m = GetVals("a00005", "b", 2, &more);
  EXPECT_EQ(m.begin()->first, "b00000");
  // start_after past the prefix range: nothing.
  m = GetVals("c", "b", 2, &more);
  EXPECT_TRUE(m.empty());
  EXPECT_FALSE(more);

  // No prefix: everything after start_after, across the a/b boundary.
  m = GetVals("a02998", "", 3, &more);
  EXPECT_EQ(m, (Map{{"a02999", "v2999"}, {"b00000", "v3000"}, {"b00001", "v3001"}}));
  EXPECT_TRUE(more);
  // max 0 = no limit.
  EXPECT_EQ(GetVals("", "a", 0, &more).size(), 3000u);
  EXPECT_FALSE(more);
  // Exactly max remaining: more is false.
  m = GetVals("b01989", "b", 10, &more);
  EXPECT_EQ(m.size(), 10u);
  EXPECT_FALSE(more);
}

TEST_F(EmbeddedOmapTest, PagingVisitsEveryKeyOnceInOrder) {
  std::string after;
  std::vector<std::string> seen;
  bool more = true;
  int pages = 0;
  while (more) {
    Map m = GetVals(after, "a", 128, &more);
    for (const auto& [k, v] : m) seen.push_back(k);
    if (!m.empty()) after = m.rbegin()->first;
    ASSERT_LT(++pages, 100);
  }
  ASSERT_EQ(seen.size(), 3000u);
  for (int i = 0; i < 3000; ++i) EXPECT_EQ(seen[i], Key("a", i));
}

TEST_F(EmbeddedOmapTest, GetKeysByKeysRmKeysAndClear) {
  Map keys;
  bool more = false;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().OmapGetKeys("b01997", 10, &keys, &more)).ok());
  EXPECT_EQ(keys, (Map{{"b01998", ""}, {"b01999", ""}}));
  EXPECT_FALSE(more);

  Map some;
  ASSERT_TRUE(
      store_->Operate(id_, ReadOp().OmapGetValsByKeys({"a00001", "zz", "b00002"}, &some)).ok());
  EXPECT_EQ(some, (Map{{"a00001", "v1"}, {"b00002", "v3002"}}));

  ASSERT_TRUE(store_->Operate(id_, WriteOp().OmapRmKeys({"a00001", "a00002", "nope"})).ok());
  Map m = GetVals("a00000", "a", 2);
  EXPECT_EQ(m, (Map{{"a00003", "v3"}, {"a00004", "v4"}}));

  // Clear (5000 keys: the range-tombstone path) drops the header too.
  ASSERT_TRUE(store_->Operate(id_, WriteOp().OmapSetHeader("h")).ok());
  ASSERT_TRUE(store_->Operate(id_, WriteOp().OmapClear().OmapSet("fresh", "1")).ok());
  std::string header = "unset";
  Map all;
  ASSERT_TRUE(
      store_->Operate(id_, ReadOp().OmapGetHeader(&header).OmapGetVals("", "", 0, &all)).ok());
  EXPECT_EQ(header, "");
  EXPECT_EQ(all, (Map{{"fresh", "1"}}));

  // On a missing object, as Ceph: ENOENT rather than an implicit create.
  ObjectId missing{"p", "", "missing", ""};
  EXPECT_TRUE(store_->Operate(missing, WriteOp().OmapRmKeys({"x"})).IsNotFound());
  EXPECT_TRUE(store_->Operate(missing, WriteOp().OmapClear()).IsNotFound());
  EXPECT_TRUE(store_->Operate(missing, ReadOp().Stat(nullptr)).IsNotFound());
}

TEST_F(EmbeddedOmapTest, NeighbouringObjectsDoNotShareOmap) {
  // Names where one is a prefix of the other, and one with a NUL byte.
  ObjectId a{"p", "", "ind", ""}, b{"p", "", std::string("ind\0x", 5), ""}, c{"p", "", "inde", ""};
  ASSERT_TRUE(store_->Operate(a, WriteOp().OmapSet("k", "a").SetXattr("x", "a")).ok());
  ASSERT_TRUE(store_->Operate(b, WriteOp().OmapSet("k", "b").SetXattr("x", "b")).ok());
  ASSERT_TRUE(store_->Operate(c, WriteOp().OmapSet("k", "c").SetXattr("x", "c")).ok());
  ASSERT_TRUE(store_->Operate(a, WriteOp().Remove()).ok());
  for (auto [id, want] : {std::pair{b, "b"}, {c, "c"}}) {
    Map m, x;
    ASSERT_TRUE(store_->Operate(id, ReadOp().OmapGetVals("", "", 0, &m).GetXattrs(&x)).ok());
    EXPECT_EQ(m, (Map{{"k", want}}));
    EXPECT_EQ(x, (Map{{"x", want}}));
  }
  // The big omap of "index" is untouched by all this.
  EXPECT_EQ(GetVals("", "", 0).size(), 5000u);
  // And removing it (range delete) leaves the others alone.
  ASSERT_TRUE(store_->Operate(id_, WriteOp().Remove()).ok());
  Map m;
  ASSERT_TRUE(store_->Operate(c, ReadOp().OmapGetVals("", "", 0, &m)).ok());
  EXPECT_EQ(m, (Map{{"k", "c"}}));
}

TEST_F(EmbeddedOmapTest, KeysSortAsBytes) {
  ObjectId o{"p", "", "bytes", ""};
  Map kv{{std::string("\xff", 1), "ff"}, {std::string("a\0b", 3), "nul"}, {"a", "a"}, {"B", "B"}};
  ASSERT_TRUE(store_->Operate(o, WriteOp().OmapSet(kv)).ok());
  Map m;
  ASSERT_TRUE(store_->Operate(o, ReadOp().OmapGetVals("a", "", 0, &m)).ok());
  EXPECT_EQ(m, (Map{{std::string("a\0b", 3), "nul"}, {std::string("\xff", 1), "ff"}}));
  ASSERT_TRUE(store_->Operate(o, ReadOp().OmapGetVals("", "a", 0, &m)).ok());
  EXPECT_EQ(m, (Map{{"a", "a"}, {std::string("a\0b", 3), "nul"}}));
}

}  // namespace
}  // namespace kelp::store::embedded
