// Basic ops, guards, versions, pools and persistence of the embedded engine.
#include "store/embedded/embedded_store.h"

#include <unistd.h>

#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::CountDataFiles;
using testing::MustOpen;
using testing::Pattern;
using testing::TempDir;

class EmbeddedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->CreatePool("pool").ok());
  }
  void Reopen() {
    store_.reset();
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
  }
  Status Write(const std::string& oid, const WriteOp& op, uint64_t* v = nullptr) {
    return store_->Operate(Id(oid), op, v);
  }
  Status Read(const std::string& oid, const ReadOp& op) { return store_->Operate(Id(oid), op); }
  static ObjectId Id(const std::string& oid) { return ObjectId{"pool", "", oid, ""}; }
  std::string ReadAll(const std::string& oid) {
    std::string out;
    Status st = Read(oid, ReadOp().Read(0, 0, &out));
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  ObjectStat StatOf(const std::string& oid) {
    ObjectStat st;
    Status s = Read(oid, ReadOp().Stat(&st));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return st;
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(EmbeddedStoreTest, PoolsAreCreatedListedNumberedAndPersisted) {
  EXPECT_TRUE(store_->CreatePool("another").ok());
  EXPECT_TRUE(store_->CreatePool("pool").IsExists());
  EXPECT_TRUE(*store_->PoolExists("another"));
  EXPECT_FALSE(*store_->PoolExists("nope"));
  EXPECT_EQ(*store_->ListPools(), (std::vector<std::string>{"another", "pool"}));
  EXPECT_EQ(*store_->PoolId("pool"), 1);
  EXPECT_EQ(*store_->PoolId("another"), 2);
  EXPECT_TRUE(store_->PoolId("nope").status().IsNotFound());
  uint64_t instance = store_->InstanceId();

  Reopen();
  EXPECT_EQ(*store_->ListPools(), (std::vector<std::string>{"another", "pool"}));
  EXPECT_EQ(*store_->PoolId("another"), 2);
  ASSERT_TRUE(store_->CreatePool("third").ok());
  EXPECT_EQ(*store_->PoolId("third"), 3);
  EXPECT_GT(store_->InstanceId(), instance);
}

TEST_F(EmbeddedStoreTest, OperateOnMissingPoolFails) {
  Status st = store_->Operate(ObjectId{"nopool", "", "o", ""}, WriteOp().WriteFull("x"));
  EXPECT_TRUE(st.IsNotFound());
  EXPECT_NE(st.message().find("pool nopool does not exist"), std::string::npos) << st.message();
  std::string out;
  EXPECT_TRUE(
      store_->Operate(ObjectId{"nopool", "", "o", ""}, ReadOp().Read(0, 0, &out)).IsNotFound());
}

TEST_F(EmbeddedStoreTest, WriteFullThenReadRangesAndStat) {
  CephTime before = CephTime::Now();
  uint64_t v = 0;
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("hello world"), &v).ok());
  EXPECT_GT(v, 0u);
  std::string part;
  ASSERT_TRUE(Read("o", ReadOp().Read(6, 3, &part)).ok());
  EXPECT_EQ(part, "wor");
  ASSERT_TRUE(Read("o", ReadOp().Read(6, 100, &part)).ok());
  EXPECT_EQ(part, "world");
  ASSERT_TRUE(Read("o", ReadOp().Read(50, 3, &part)).ok());
  EXPECT_EQ(part, "");
  ObjectStat st = StatOf("o");
  EXPECT_EQ(st.size, 11u);
  EXPECT_EQ(st.version, v);
  EXPECT_GE(st.mtime, before);
  EXPECT_LE(st.mtime, CephTime::Now());
}

TEST_F(EmbeddedStoreTest, PartialWritesAppendTruncate) {
  ASSERT_TRUE(Write("o", WriteOp().Write(4, "abcd")).ok());
  EXPECT_EQ(ReadAll("o"), std::string("\0\0\0\0abcd", 8));
  ASSERT_TRUE(Write("o", WriteOp().Write(1, "XY").Append("tail")).ok());
  EXPECT_EQ(ReadAll("o"), std::string("\0XY\0abcdtail", 12));
  ASSERT_TRUE(Write("o", WriteOp().Truncate(3)).ok());
  EXPECT_EQ(ReadAll("o"), std::string("\0XY", 3));
  ASSERT_TRUE(Write("o", WriteOp().Truncate(5)).ok());
  EXPECT_EQ(ReadAll("o"), std::string("\0XY\0\0", 5));
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("new")).ok());
  EXPECT_EQ(ReadAll("o"), "new");
}

TEST_F(EmbeddedStoreTest, VersionsIncreaseAndSurviveRecreate) {
  uint64_t v1 = 0, v2 = 0, v3 = 0, v4 = 0, vnoop = 0;
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("a"), &v1).ok());
  ASSERT_TRUE(Write("o", WriteOp().SetXattr("k", "v"), &v2).ok());
  EXPECT_GT(v2, v1);
  EXPECT_EQ(StatOf("o").version, v2);
  // An op that changes nothing leaves the version alone.
  ASSERT_TRUE(Write("o", WriteOp().Create(false), &vnoop).ok());
  EXPECT_EQ(vnoop, v2);
  EXPECT_EQ(StatOf("o").version, v2);
  ASSERT_TRUE(Write("o", WriteOp().Remove(), &v3).ok());
  EXPECT_GT(v3, v2);
  Reopen();
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("b"), &v4).ok());
  EXPECT_GT(v4, v3);  // never reused, even across remove + reopen
  EXPECT_EQ(StatOf("o").version, v4);
}

TEST_F(EmbeddedStoreTest, CreateAssertExistsAndRemoveGuards) {
  EXPECT_TRUE(Write("o", WriteOp().AssertExists().WriteFull("x")).IsNotFound());
  EXPECT_TRUE(Read("o", ReadOp().Stat(nullptr)).IsNotFound());
  EXPECT_TRUE(Write("o", WriteOp().Remove()).IsNotFound());
  EXPECT_TRUE(Write("o", WriteOp().Remove(/*failok=*/true)).ok());

  ASSERT_TRUE(Write("o", WriteOp().Create(true)).ok());
  EXPECT_EQ(StatOf("o").size, 0u);
  Status st = Write("o", WriteOp().Create(true));
  EXPECT_TRUE(st.IsExists()) << st.ToString();
  EXPECT_TRUE(Write("o", WriteOp().Create(false)).ok());
  EXPECT_TRUE(Write("o", WriteOp().AssertExists().Append("z")).ok());
  EXPECT_EQ(ReadAll("o"), "z");

  // Remove drops everything: a recreated object starts empty.
  ASSERT_TRUE(Write("o", WriteOp().SetXattr("a", "1").OmapSet("k", "v").OmapSetHeader("h")).ok());
  ASSERT_TRUE(Write("o", WriteOp().Remove()).ok());
  EXPECT_TRUE(Read("o", ReadOp().Stat(nullptr)).IsNotFound());
  ASSERT_TRUE(Write("o", WriteOp().Create(true)).ok());
  std::map<std::string, std::string> xattrs, omap;
  std::string header = "unset";
  ASSERT_TRUE(
      Read("o", ReadOp().GetXattrs(&xattrs).OmapGetVals("", "", 0, &omap).OmapGetHeader(&header))
          .ok());
  EXPECT_TRUE(xattrs.empty());
  EXPECT_TRUE(omap.empty());
  EXPECT_EQ(header, "");
  EXPECT_EQ(ReadAll("o"), "");
}

TEST_F(EmbeddedStoreTest, RemoveThenWriteInOneOp) {
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("old").SetXattr("a", "1").OmapSet("k", "v")).ok());
  ASSERT_TRUE(Write("o", WriteOp().Remove().SetXattr("b", "2")).ok());
  std::map<std::string, std::string> xattrs, omap;
  ASSERT_TRUE(Read("o", ReadOp().GetXattrs(&xattrs).OmapGetVals("", "", 0, &omap)).ok());
  EXPECT_EQ(xattrs, (std::map<std::string, std::string>{{"b", "2"}}));
  EXPECT_TRUE(omap.empty());
  EXPECT_EQ(ReadAll("o"), "");
}

TEST_F(EmbeddedStoreTest, Xattrs) {
  ASSERT_TRUE(Write("o", WriteOp().SetXattr("user.a", "1").SetXattr("user.b", "2")).ok());
  std::string v;
  ASSERT_TRUE(Read("o", ReadOp().GetXattr("user.a", &v)).ok());
  EXPECT_EQ(v, "1");
  Status st = Read("o", ReadOp().GetXattr("user.zz", &v));
  EXPECT_TRUE(st.IsNotFound()) << st.ToString();
  ASSERT_TRUE(
      Write("o", WriteOp().RmXattr("user.a").SetXattr("user.c", std::string("\0\1", 2))).ok());
  std::map<std::string, std::string> all;
  ASSERT_TRUE(Read("o", ReadOp().GetXattrs(&all)).ok());
  EXPECT_EQ(all, (std::map<std::string, std::string>{{"user.b", "2"},
                                                     {"user.c", std::string("\0\1", 2)}}));
}

TEST_F(EmbeddedStoreTest, CmpXattrGuards) {
  ASSERT_TRUE(Write("o", WriteOp().SetXattr("tag", "m")).ok());
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("tag", CmpOp::kEq, "m").SetXattr("x", "1")).ok());
  Status st = Write("o", WriteOp().CmpXattr("tag", CmpOp::kEq, "other").SetXattr("x", "2"));
  EXPECT_TRUE(st.IsCanceled()) << st.ToString();
  std::string x;
  ASSERT_TRUE(Read("o", ReadOp().GetXattr("x", &x)).ok());
  EXPECT_EQ(x, "1");
  // Ceph compares the given value against the stored one.
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("tag", CmpOp::kGt, "n")).ok());
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("tag", CmpOp::kGt, "l")).IsCanceled());
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("tag", CmpOp::kLte, "m")).ok());
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("tag", CmpOp::kNe, "m")).IsCanceled());
  // A missing xattr compares as empty; a missing object fails with NotFound and nothing is
  // created (what a Ceph OSD answers: ENOENT).
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("none", CmpOp::kEq, "")).ok());
  EXPECT_TRUE(Write("o", WriteOp().CmpXattr("none", CmpOp::kEq, "a")).IsCanceled());
  EXPECT_TRUE(Write("new", WriteOp().CmpXattr("tag", CmpOp::kEq, "").Create(true)).IsNotFound());
  EXPECT_TRUE(Read("new", ReadOp().Stat(nullptr)).IsNotFound());
  EXPECT_TRUE(Write("new", WriteOp().RmXattr("tag")).IsNotFound());
  EXPECT_TRUE(Read("new", ReadOp().Stat(nullptr)).IsNotFound());
  EXPECT_TRUE(Read("o", ReadOp().CmpXattr("tag", CmpOp::kEq, "m").Stat(nullptr)).ok());
  EXPECT_TRUE(Read("o", ReadOp().CmpXattr("tag", CmpOp::kEq, "q")).IsCanceled());
}

TEST_F(EmbeddedStoreTest, SetMtimeOverridesNow) {
  CephTime t{1600000000, 123};
  ASSERT_TRUE(Write("o", WriteOp().SetMtime(t).WriteFull("x")).ok());
  EXPECT_EQ(StatOf("o").mtime, t);
  ASSERT_TRUE(Write("o", WriteOp().Append("y")).ok());
  EXPECT_GT(StatOf("o").mtime, t);
}

TEST_F(EmbeddedStoreTest, LargeDataLivesInFilesThatAreReplacedAndRemoved) {
  std::string big = Pattern(1 << 20, 1);
  ASSERT_TRUE(Write("big", WriteOp().WriteFull(big)).ok());
  EXPECT_EQ(CountDataFiles(dir_.path()), 1u);
  std::string part;
  ASSERT_TRUE(Read("big", ReadOp().Read(500000, 70000, &part)).ok());
  EXPECT_EQ(part, big.substr(500000, 70000));
  ASSERT_TRUE(Read("big", ReadOp().Read((1 << 20) - 10, 100, &part)).ok());
  EXPECT_EQ(part, big.substr((1 << 20) - 10));

  // A partial write rewrites into a new file and drops the old one.
  ASSERT_TRUE(Write("big", WriteOp().Write(1000, "PATCH")).ok());
  big.replace(1000, 5, "PATCH");
  EXPECT_EQ(ReadAll("big"), big);
  EXPECT_EQ(CountDataFiles(dir_.path()), 1u);

  // Shrinking below the inline limit moves the data into RocksDB.
  ASSERT_TRUE(Write("big", WriteOp().Truncate(100)).ok());
  EXPECT_EQ(CountDataFiles(dir_.path()), 0u);
  EXPECT_EQ(ReadAll("big"), big.substr(0, 100));

  ASSERT_TRUE(Write("big", WriteOp().WriteFull(Pattern(65537, 2))).ok());
  EXPECT_EQ(CountDataFiles(dir_.path()), 1u);
  Reopen();
  EXPECT_EQ(ReadAll("big"), Pattern(65537, 2));
  EXPECT_EQ(CountDataFiles(dir_.path()), 1u);
  ASSERT_TRUE(Write("big", WriteOp().Remove()).ok());
  EXPECT_EQ(CountDataFiles(dir_.path()), 0u);
}

TEST_F(EmbeddedStoreTest, EverythingPersistsAcrossReopen) {
  std::string big = Pattern(300000, 3);
  ASSERT_TRUE(
      Write("a", WriteOp().WriteFull("small").SetXattr("x", "1").OmapSetHeader("hdr").OmapSet(
                     {{"k1", "v1"}, {"k2", "v2"}}))
          .ok());
  ASSERT_TRUE(Write("b", WriteOp().WriteFull(big)).ok());
  uint64_t va = StatOf("a").version;
  Reopen();
  std::string data, header, x;
  std::map<std::string, std::string> omap;
  ObjectStat st;
  ASSERT_TRUE(Read("a", ReadOp()
                            .Stat(&st)
                            .Read(0, 0, &data)
                            .GetXattr("x", &x)
                            .OmapGetHeader(&header)
                            .OmapGetVals("", "", 0, &omap))
                  .ok());
  EXPECT_EQ(data, "small");
  EXPECT_EQ(x, "1");
  EXPECT_EQ(header, "hdr");
  EXPECT_EQ(omap, (std::map<std::string, std::string>{{"k1", "v1"}, {"k2", "v2"}}));
  EXPECT_EQ(st.version, va);
  EXPECT_EQ(ReadAll("b"), big);
}

TEST_F(EmbeddedStoreTest, FailingGuardLateInOpLeavesNothing) {
  // New object: nothing of the op may appear, not even a data file.
  Status st = Write("o", WriteOp()
                             .WriteFull(Pattern(200000, 4))
                             .SetXattr("a", "1")
                             .OmapSet("k", "v")
                             .CmpXattr("a", CmpOp::kEq, "2"));
  EXPECT_TRUE(st.IsCanceled()) << st.ToString();
  EXPECT_TRUE(Read("o", ReadOp().Stat(nullptr)).IsNotFound());
  EXPECT_EQ(CountDataFiles(dir_.path()), 0u);

  // Existing object: its previous state stays whole.
  uint64_t v = 0;
  ASSERT_TRUE(Write("o", WriteOp().WriteFull("keep").SetXattr("a", "1"), &v).ok());
  st = Write("o", WriteOp().Remove().WriteFull("lost").Create(true));
  EXPECT_TRUE(st.IsExists()) << st.ToString();
  EXPECT_EQ(ReadAll("o"), "keep");
  EXPECT_EQ(StatOf("o").version, v);
  std::string a;
  ASSERT_TRUE(Read("o", ReadOp().GetXattr("a", &a)).ok());
  EXPECT_EQ(a, "1");
}

TEST_F(EmbeddedStoreTest, ReadOpFailsAtFirstFailingStep) {
  ASSERT_TRUE(Write("o", WriteOp().SetXattr("a", "1")).ok());
  std::string a, b = "untouched";
  Status st = Read("o", ReadOp().GetXattr("a", &a).GetXattr("b", &b));
  EXPECT_TRUE(st.IsNotFound()) << st.ToString();
  EXPECT_NE(st.message().find("xattr b"), std::string::npos) << st.message();
  EXPECT_EQ(b, "untouched");
}

TEST_F(EmbeddedStoreTest, SecondOpenInSameProcessIsBusy) {
  auto r = OpenEmbeddedStore(dir_.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kBusy);
  EXPECT_NE(r.status().message().find(dir_.path()), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(std::to_string(::getpid())), std::string::npos)
      << r.status().message();
  // Closing releases it.
  store_.reset();
  auto again = OpenEmbeddedStore(dir_.path());
  EXPECT_TRUE(again.ok()) << again.status().ToString();
}

TEST_F(EmbeddedStoreTest, ObjectsAreIdentifiedByNamespaceAndLocator) {
  ObjectId plain{"pool", "", "o", ""};
  ObjectId in_ns{"pool", "ns", "o", ""};
  ObjectId with_loc{"pool", "", "o", "loc"};
  ASSERT_TRUE(store_->Operate(plain, WriteOp().WriteFull("1")).ok());
  ASSERT_TRUE(store_->Operate(in_ns, WriteOp().WriteFull("2")).ok());
  ASSERT_TRUE(store_->Operate(with_loc, WriteOp().WriteFull("3")).ok());
  for (auto [id, want] : {std::pair{plain, "1"}, {in_ns, "2"}, {with_loc, "3"}}) {
    std::string got;
    ASSERT_TRUE(store_->Operate(id, ReadOp().Read(0, 0, &got)).ok());
    EXPECT_EQ(got, want) << id.ToString();
  }
}

TEST(EmbeddedFaultTest, FailedCommitLeavesOldStateAndNoNewFile) {
  TempDir dir;
  bool fail = false;
  std::string failed_at;
  EmbeddedOptions options;
  options.sync = false;
  options.fault_hook = [&](std::string_view point) {
    if (fail && point == "before_commit") {
      failed_at = point;
      return Status::IOError("injected");
    }
    return Status::OK();
  };
  auto store = OpenEmbeddedStore(dir.path(), options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->CreatePool("p").ok());
  ObjectId id{"p", "", "o", ""};
  ASSERT_TRUE((*store)->Operate(id, WriteOp().WriteFull(Pattern(100000, 1))).ok());
  fail = true;
  Status st = (*store)->Operate(id, WriteOp().WriteFull(Pattern(100000, 2)).SetXattr("a", "b"));
  EXPECT_EQ(st.code(), Code::kIOError);
  EXPECT_EQ(failed_at, "before_commit");
  EXPECT_EQ(CountDataFiles(dir.path()), 1u);
  std::string data;
  std::map<std::string, std::string> xattrs;
  ASSERT_TRUE((*store)->Operate(id, ReadOp().Read(0, 0, &data).GetXattrs(&xattrs)).ok());
  EXPECT_EQ(data, Pattern(100000, 1));
  EXPECT_TRUE(xattrs.empty());
  fail = false;
  ASSERT_TRUE((*store)->Operate(id, WriteOp().WriteFull(Pattern(100000, 2))).ok());
  ASSERT_TRUE((*store)->Operate(id, ReadOp().Read(0, 0, &data)).ok());
  EXPECT_EQ(data, Pattern(100000, 2));
}

}  // namespace
}  // namespace kelp::store::embedded
