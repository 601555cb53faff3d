// Every OpStep type through the remote store gives what the same op gives on
// an embedded store directly: same statuses (codes and messages), same
// outputs, same versions. Two fresh stores run the same script, one through
// a StoreServer, one in-process.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include "store/cls/rgw/ops.h"
#include "store/cls/version/types.h"
#include "store/remote/remote_test_util.h"

namespace kelp::store::remote {
namespace {

using embedded::testing::MustOpen;
using embedded::testing::Pattern;
using embedded::testing::TempDir;
using Map = std::map<std::string, std::string>;

std::string Show(const Status& st) { return st.ok() ? "OK" : st.ToString(); }
std::string Show(const Map& m) {
  std::string s = "{";
  for (const auto& [k, v] : m) s += k + "=" + v + ",";
  return s + "}";
}
std::string Show(const ObjectStat& st) {
  return "size=" + std::to_string(st.size) + " mtime=" + std::to_string(st.mtime.ToNanos()) +
         " v=" + std::to_string(st.version);
}

// Runs a script of ops on one store and returns its transcript.
using Script = std::function<void(ObjectStore&, std::ostringstream&)>;

void ExpectSameTranscript(const Script& script) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  TempDir direct_dir;
  auto direct = MustOpen(direct_dir.path());
  std::ostringstream via_remote, via_direct;
  script(*remote, via_remote);
  script(*direct, via_direct);
  EXPECT_EQ(via_remote.str(), via_direct.str());
  EXPECT_NE(via_remote.str(), "");
}

const ObjectId kObj{"pool", "ns", "obj", ""};

TEST(RemoteOps, WriteStepsAndGuards) {
  ExpectSameTranscript([](ObjectStore& s, std::ostringstream& out) {
    out << "missing pool: " << Show(s.Operate(kObj, WriteOp().Create(false))) << "\n";
    out << Show(s.CreatePool("pool")) << Show(s.CreatePool("pool")) << "\n";
    uint64_t v = 0;
    out << "assert missing: " << Show(s.Operate(kObj, WriteOp().AssertExists().Append("x"), &v))
        << "\n";
    out << "create: " << Show(s.Operate(kObj, WriteOp().Create(true), &v)) << v << "\n";
    out << "create excl again: " << Show(s.Operate(kObj, WriteOp().Create(true), &v)) << v << "\n";
    WriteOp w;
    w.WriteFull("hello world")
        .Write(6, "WORLD")
        .Append("!!")
        .Truncate(12)
        .SetXattr("a", "1")
        .SetXattr("b", "2")
        .RmXattr("b")
        .OmapSetHeader("hdr")
        .OmapSet({{"k1", "v1"}, {"k2", "v2"}, {"k3", "v3"}, {"p1", "x"}})
        .OmapSet("k4", "v4")
        .OmapRmKeys({"k2"})
        .SetMtime(CephTime{1700000000, 5});
    out << "compound: " << Show(s.Operate(kObj, w, &v)) << v << "\n";
    out << "cmpxattr pass: "
        << Show(s.Operate(kObj,
                          WriteOp()
                              .CmpXattr("a", CmpOp::kEq, "1")
                              .SetXattr("c", "3")
                              .SetMtime(CephTime{1700000000, 6}),
                          &v))
        << v << "\n";
    v = 77;
    out << "cmpxattr fail: "
        << Show(s.Operate(kObj, WriteOp().CmpXattr("a", CmpOp::kGt, "1").SetXattr("d", "4"), &v))
        << v << "\n";
    out << "cmpxattr gt: "
        << Show(s.Operate(kObj, WriteOp().CmpXattr("a", CmpOp::kGt, "0").SetXattr("e", "5"), &v))
        << "\n";

    ObjectStat st;
    std::string all, part, xa, hdr;
    Map xattrs, vals, vals2, keys, bykeys;
    bool more = true, more2 = true, more3 = true;
    ReadOp r;
    r.AssertExists()
        .CmpXattr("a", CmpOp::kEq, "1")
        .Stat(&st)
        .Read(0, 0, &all)
        .Read(2, 3, &part)
        .GetXattr("a", &xa)
        .GetXattrs(&xattrs)
        .OmapGetHeader(&hdr)
        .OmapGetVals("", "k", 10, &vals, &more)
        .OmapGetVals("k1", "", 1, &vals2, &more2)
        .OmapGetKeys("", 2, &keys, &more3)
        .OmapGetValsByKeys({"k1", "k3", "zz"}, &bykeys);
    out << "read: " << Show(s.Operate(kObj, r)) << " " << Show(st) << " [" << all << "] [" << part
        << "] " << xa << Show(xattrs) << hdr << Show(vals) << more << Show(vals2) << more2
        << Show(keys) << more3 << Show(bykeys) << "\n";

    // A failing step: what ran before it is reported, nothing after.
    ObjectStat st2;
    std::string never = "untouched";
    out << "read missing xattr: "
        << Show(s.Operate(kObj, ReadOp().Stat(&st2).GetXattr("nope", &never).Read(0, 0, &never)))
        << " " << Show(st2) << " " << never << "\n";
    out << "read cmp fail: " << Show(s.Operate(kObj, ReadOp().CmpXattr("a", CmpOp::kNe, "1")))
        << "\n";
    out << "read missing obj: "
        << Show(s.Operate(ObjectId{"pool", "", "nobody", ""}, ReadOp().Stat(&st2))) << "\n";

    out << "omap clear: " << Show(s.Operate(kObj, WriteOp().OmapClear(), &v)) << v;
    Map after;
    out << Show(s.Operate(kObj, ReadOp().OmapGetVals("", "", 0, &after))) << Show(after) << "\n";
    out << "omap clear missing: "
        << Show(s.Operate(ObjectId{"pool", "", "nobody", ""}, WriteOp().OmapClear())) << "\n";
    out << "remove: " << Show(s.Operate(kObj, WriteOp().Remove(), &v)) << v << "\n";
    out << "remove again: " << Show(s.Operate(kObj, WriteOp().Remove())) << "\n";
    out << "remove failok: " << Show(s.Operate(kObj, WriteOp().Remove(true))) << "\n";
    // A locator makes a distinct object.
    ObjectId loc = kObj;
    loc.locator = "L";
    out << Show(s.Operate(loc, WriteOp().WriteFull("located"), &v)) << v;
    std::string got;
    out << Show(s.Operate(loc, ReadOp().Read(0, 0, &got))) << got
        << Show(s.Operate(kObj, ReadOp().Read(0, 0, &got))) << "\n";
  });
}

TEST(RemoteOps, ExecOfRealObjectClasses) {
  ExpectSameTranscript([](ObjectStore& s, std::ostringstream& out) {
    ASSERT_TRUE(s.CreatePool("pool").ok());
    namespace ver = cls::version;
    // cls_version: set, read back, check_conds failing with Canceled.
    ver::SetOp set;
    set.objv = ver::ObjVersion{7, "tag-abc"};
    std::string unused = "unused";
    out << "set: "
        << Show(s.Operate(
               kObj, WriteOp().Create(false).Exec("version", "set", EncodeToString(set), &unused)))
        << unused << "\n";
    std::string read_out;
    out << "read: " << Show(s.Operate(kObj, ReadOp().Exec("version", "read", "", &read_out)));
    ver::ReadRet ret;
    EXPECT_TRUE(DecodeFromString(read_out, ret).ok());
    EXPECT_EQ(ret.objv.ver, 7u);
    EXPECT_EQ(ret.objv.tag, "tag-abc");
    out << ret.objv.ver << ret.objv.tag << "\n";
    ver::CheckOp check;
    check.conds.push_back(ver::ObjVersionCond{ver::ObjVersion{8, "tag-abc"}, ver::kCondEq});
    out << "check fails: "
        << Show(s.Operate(kObj, WriteOp()
                                    .Exec("version", "check_conds", EncodeToString(check))
                                    .SetXattr("after", "x")))
        << "\n";
    Map xattrs;
    out << Show(s.Operate(kObj, ReadOp().GetXattrs(&xattrs))) << xattrs.count("after") << "\n";
    out << "unknown: " << Show(s.Operate(kObj, WriteOp().Exec("version", "nope", ""))) << "\n";
    out << "bad input: " << Show(s.Operate(kObj, WriteOp().Exec("version", "set", "\x01"))) << "\n";

    // cls_rgw: a bucket index shard initialised and listed.
    ObjectId index{"pool", "", ".dir.bucket-marker.0", ""};
    out << "init index: "
        << Show(s.Operate(index, WriteOp().Create(true).Exec("rgw", "bucket_init_index", "")))
        << "\n";
    cls::rgw::ListOp list;
    list.num_entries = 100;
    std::string listed;
    out << "bucket_list: "
        << Show(
               s.Operate(index, ReadOp().Exec("rgw", "bucket_list", EncodeToString(list), &listed)))
        << listed.size() << "\n";
    cls::rgw::ListRet lr;
    EXPECT_TRUE(DecodeFromString(listed, lr).ok());
    EXPECT_TRUE(lr.dir.m.empty());
    out << "init again: " << Show(s.Operate(index, WriteOp().Exec("rgw", "bucket_init_index", "")))
        << "\n";
  });
}

TEST(RemoteOps, PoolsAndIds) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  ASSERT_TRUE(remote->CreatePool("a").ok());
  EXPECT_TRUE(remote->CreatePool("a").IsExists());
  EXPECT_TRUE(remote->CreatePool("").Is(Code::kInvalid));
  ASSERT_TRUE(served.store->CreatePool("b").ok());
  auto pools = remote->ListPools();
  ASSERT_TRUE(pools.ok());
  EXPECT_EQ(*pools, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(*remote->PoolExists("b"));
  EXPECT_FALSE(*remote->PoolExists("c"));
  EXPECT_EQ(*remote->PoolId("b"), *served.store->PoolId("b"));
  EXPECT_TRUE(remote->PoolId("c").status().IsNotFound());

  // Instance ids: distinct from the server's and from each other's, and from
  // the ids of stores opened on the same directory later.
  auto second = served.Connect();
  ASSERT_NE(second, nullptr);
  std::set<uint64_t> ids{served.store->InstanceId(), remote->InstanceId(), second->InstanceId()};
  EXPECT_EQ(ids.size(), 3u);
  uint64_t highest = *ids.rbegin();
  served.server.reset();
  served.store.reset();
  auto reopened = MustOpen(served.dir.path());
  EXPECT_GT(reopened->InstanceId(), highest);
}

TEST(RemoteOps, LargeObjectAndListPaging) {
  testing::ServedStore served;
  auto remote = served.Connect();
  ASSERT_NE(remote, nullptr);
  ASSERT_TRUE(remote->CreatePool("p").ok());
  const std::string big = Pattern(6 << 20, 42);
  uint64_t v = 0;
  ASSERT_TRUE(remote->Operate(ObjectId{"p", "", "big", ""}, WriteOp().WriteFull(big), &v).ok());
  std::string back, stripe;
  ASSERT_TRUE(remote
                  ->Operate(ObjectId{"p", "", "big", ""},
                            ReadOp().Read(0, 0, &back).Read(4 << 20, 4 << 20, &stripe))
                  .ok());
  EXPECT_TRUE(back == big);
  EXPECT_TRUE(stripe == big.substr(4 << 20));
  std::string direct;
  ASSERT_TRUE(
      served.store->Operate(ObjectId{"p", "", "big", ""}, ReadOp().Read(0, 0, &direct)).ok());
  EXPECT_TRUE(direct == big);

  for (int i = 0; i < 25; ++i) {
    std::string ns = i % 2 ? "odd" : "";
    ASSERT_TRUE(
        remote->Operate(ObjectId{"p", ns, "o" + std::to_string(i), ""}, WriteOp().Create(false))
            .ok());
  }
  // Page through every namespace 7 at a time; same pages as the direct store.
  std::string cursor, dcursor;
  size_t total = 0;
  do {
    auto page = remote->List("p", kAllNamespaces, cursor, 7, &cursor);
    auto dpage = served.store->List("p", kAllNamespaces, dcursor, 7, &dcursor);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_EQ(page->size(), dpage->size());
    for (size_t i = 0; i < page->size(); ++i) {
      EXPECT_EQ((*page)[i].oid, (*dpage)[i].oid);
      EXPECT_EQ((*page)[i].ns, (*dpage)[i].ns);
    }
    EXPECT_EQ(cursor, dcursor);
    total += page->size();
  } while (!cursor.empty());
  EXPECT_EQ(total, 26u);
  auto odd = remote->List("p", "odd", "", 0, &cursor);
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->size(), 12u);
  EXPECT_TRUE(remote->List("p", "", "zz", 5, &cursor).status().Is(Code::kInvalid));
  EXPECT_TRUE(remote->List("nope", "", "", 5, &cursor).status().IsNotFound());
}

}  // namespace
}  // namespace kelp::store::remote
