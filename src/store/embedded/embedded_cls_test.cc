// Object-class calls inside embedded-engine ops: staging, atomicity, errors.
#include <cstdio>

#include "store/cls/cls.h"
#include "store/cls/version/types.h"
#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::CountDataFiles;
using testing::MustOpen;
using testing::Pattern;
using testing::TempDir;
using Map = std::map<std::string, std::string>;

void RegisterTestClasses() {
  auto& r = cls::ClsRegistry::Instance();
  r.Register("ktest", "echo", [](cls::ClsContext&, const std::string& in, std::string* out) {
    *out = in;
    return Status::OK();
  });
  // Sets xattr "seen" to the input.
  r.Register("ktest", "mark", [](cls::ClsContext& ctx, const std::string& in, std::string*) {
    return ctx.SetXattr("seen", in);
  });
  // Writes, then fails: none of it may survive.
  r.Register("ktest", "write_then_fail",
             [](cls::ClsContext& ctx, const std::string&, std::string*) {
               RETURN_IF_ERROR(ctx.WriteFull("from cls"));
               RETURN_IF_ERROR(ctx.OmapSet("cls", "1"));
               return Status(Code::kInvalid, "refused by test class");
             });
  r.Register("ktest", "version", [](cls::ClsContext& ctx, const std::string&, std::string* out) {
    *out = std::to_string(ctx.CurrentVersion());
    return Status::OK();
  });
  // Input "N": removes keys 0..N-1 step 2, adds "new" keys, then lists with a
  // small max in pages through the context and returns the keys seen.
  r.Register("ktest", "omap_overlay",
             [](cls::ClsContext& ctx, const std::string& in, std::string* out) {
               int n = std::stoi(in);
               for (int i = 0; i < n; i += 2) {
                 char k[16];
                 std::snprintf(k, sizeof(k), "k%05d", i);
                 RETURN_IF_ERROR(ctx.OmapRm(k));
               }
               RETURN_IF_ERROR(ctx.OmapSet("k00001x", "added"));
               RETURN_IF_ERROR(ctx.OmapSet("k00003", "changed"));
               std::string after;
               bool more = true;
               while (more) {
                 ASSIGN_OR_RETURN(auto page, ctx.OmapGetVals(after, "k", 7, &more));
                 for (const auto& [k, v] : page) *out += k + "=" + v + ";";
                 if (!page.empty()) after = page.rbegin()->first;
               }
               ASSIGN_OR_RETURN(std::string v, ctx.OmapGet("k00003"));
               if (v != "changed") return Status::Internal("OmapGet does not see staged value");
               if (ctx.OmapGet("k00000").ok()) return Status::Internal("staged removal not seen");
               return Status::OK();
             });
  r.Register("ktest", "stat", [](cls::ClsContext& ctx, const std::string&, std::string* out) {
    ASSIGN_OR_RETURN(ObjectStat st, ctx.Stat());
    ASSIGN_OR_RETURN(std::string data, ctx.Read(0, 0));
    *out = std::to_string(st.size) + ":" + data;
    return Status::OK();
  });
}

class EmbeddedClsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { RegisterTestClasses(); }
  void SetUp() override {
    store_ = MustOpen(dir_.path());
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->CreatePool("p").ok());
  }
  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
  ObjectId id_{"p", "", "o", ""};
};

TEST_F(EmbeddedClsTest, UnknownMethodIsNotImplemented) {
  Status st = store_->Operate(id_, WriteOp().Exec("nope", "m", ""));
  EXPECT_EQ(st.code(), Code::kNotImplemented);
  EXPECT_NE(st.message().find("class nope method m not found"), std::string::npos) << st.message();
}

TEST_F(EmbeddedClsTest, OutputAndLaterStepsSeeClassWrites) {
  std::string out;
  ASSERT_TRUE(store_
                  ->Operate(id_, WriteOp()
                                     .Exec("ktest", "echo", "ping", &out)
                                     .Exec("ktest", "mark", "tagged")
                                     .CmpXattr("seen", CmpOp::kEq, "tagged")
                                     .Append("x"))
                  .ok());
  EXPECT_EQ(out, "ping");
  std::string seen;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().GetXattr("seen", &seen)).ok());
  EXPECT_EQ(seen, "tagged");
  // A class sees the op's earlier steps too.
  ASSERT_TRUE(
      store_->Operate(id_, WriteOp().WriteFull("abc").Exec("ktest", "stat", "", &out)).ok());
  EXPECT_EQ(out, "3:abc");
}

TEST_F(EmbeddedClsTest, FailingClassLateInOpLeavesNothing) {
  ASSERT_TRUE(store_->Operate(id_, WriteOp().WriteFull("before").OmapSet("k", "v")).ok());
  uint64_t v0 = 0;
  ObjectStat st0;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().Stat(&st0)).ok());
  v0 = st0.version;
  Status st = store_->Operate(id_, WriteOp()
                                       .WriteFull(Pattern(500000, 9))
                                       .SetXattr("a", "1")
                                       .OmapClear()
                                       .Exec("ktest", "write_then_fail", ""));
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("refused by test class"), std::string::npos);
  std::string data;
  Map omap, xattrs;
  ObjectStat st1;
  ASSERT_TRUE(store_
                  ->Operate(id_, ReadOp()
                                     .Stat(&st1)
                                     .Read(0, 0, &data)
                                     .OmapGetVals("", "", 0, &omap)
                                     .GetXattrs(&xattrs))
                  .ok());
  EXPECT_EQ(data, "before");
  EXPECT_EQ(omap, (Map{{"k", "v"}}));
  EXPECT_TRUE(xattrs.empty());
  EXPECT_EQ(st1.version, v0);
  EXPECT_EQ(CountDataFiles(dir_.path()), 0u);
}

TEST_F(EmbeddedClsTest, CurrentVersionIsTheCommittedVersion) {
  std::string out;
  uint64_t v = 0;
  ASSERT_TRUE(store_
                  ->Operate(id_,
                            WriteOp().Exec("ktest", "mark", "x").Exec("ktest", "version", "", &out),
                            &v)
                  .ok());
  EXPECT_EQ(out, std::to_string(v));
  ASSERT_TRUE(store_->Operate(id_, ReadOp().Exec("ktest", "version", "", &out)).ok());
  EXPECT_EQ(out, std::to_string(v));
}

TEST_F(EmbeddedClsTest, ReadOpContextIsReadOnly) {
  ASSERT_TRUE(store_->Operate(id_, WriteOp().WriteFull("data")).ok());
  Status st = store_->Operate(id_, ReadOp().Exec("ktest", "mark", "x", nullptr));
  EXPECT_EQ(st.code(), Code::kInvalid);
  std::string out;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().Exec("ktest", "stat", "", &out)).ok());
  EXPECT_EQ(out, "4:data");
  // A read op on a missing object fails before any class runs, as on an OSD.
  EXPECT_TRUE(
      store_->Operate(ObjectId{"p", "", "missing", ""}, ReadOp().Exec("ktest", "echo", "", &out))
          .IsNotFound());
}

TEST_F(EmbeddedClsTest, OmapReadsOverlayStagedChangesOnCommittedKeys) {
  Map kv;
  for (int i = 0; i < 3000; ++i) {
    char k[16];
    std::snprintf(k, sizeof(k), "k%05d", i);
    kv[k] = "v";
  }
  kv["other"] = "x";
  ASSERT_TRUE(store_->Operate(id_, WriteOp().OmapSet(kv)).ok());
  std::string out;
  ASSERT_TRUE(store_->Operate(id_, WriteOp().Exec("ktest", "omap_overlay", "3000", &out)).ok());
  // Expected view: odd keys, k00003 changed, k00001x added; "other" excluded by prefix.
  std::string want;
  for (int i = 1; i < 3000; i += 2) {
    char k[16];
    std::snprintf(k, sizeof(k), "k%05d", i);
    want += std::string(k) + "=" + (i == 3 ? "changed" : "v") + ";";
    if (i == 1) want += "k00001x=added;";
  }
  EXPECT_EQ(out, want);
  // And it committed the same view.
  Map after;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().OmapGetVals("", "", 0, &after)).ok());
  EXPECT_EQ(after.size(), 1500u + 1 + 1);
  EXPECT_EQ(after["k00003"], "changed");
  EXPECT_EQ(after.count("k00000"), 0u);
}

TEST_F(EmbeddedClsTest, BuiltinClassesAreRegisteredAtOpen) {
  // cls_version as RGWObjVersionTracker uses it: bump with the write, read back.
  std::string inc = EncodeToString(cls::version::IncOp{});
  ASSERT_TRUE(store_->Operate(id_, WriteOp().Exec("version", "inc", inc).WriteFull("meta")).ok());
  std::string out;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().Exec("version", "read", "", &out)).ok());
  cls::version::ReadRet ret;
  Decoder d(out);
  Decode(d, ret);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(ret.objv.ver, 1u);
  // A failed condition cancels the whole op.
  cls::version::IncOp guarded;
  guarded.conds.push_back({cls::version::ObjVersion{7, ret.objv.tag}, cls::version::kCondEq});
  Status st = store_->Operate(
      id_, WriteOp().WriteFull("lost").Exec("version", "inc_conds", EncodeToString(guarded)));
  EXPECT_TRUE(st.IsCanceled()) << st.ToString();
  std::string data;
  ASSERT_TRUE(store_->Operate(id_, ReadOp().Read(0, 0, &data)).ok());
  EXPECT_EQ(data, "meta");
}

}  // namespace
}  // namespace kelp::store::embedded
