// Object-class calls through RadosStore, run by the OSD's real cls_version
// and cls_rgw, with inputs/outputs encoded and decoded by our own
// store/cls types (so these also check our encoders against Ceph's).
#include <gtest/gtest.h>

#include "store/cls/rgw/ops.h"
#include "store/cls/version/types.h"
#include "store/rados/rados_store.h"
#include "store/rados/rados_test_util.h"

namespace kelp::store::rados {
namespace {

namespace ver = cls::version;
namespace crgw = cls::rgw;
using testing::CephConf;

// cls_version_inc_op as Ceph encodes it: ENCODE_START(1,1){obj_version objv;
// list<obj_version_cond> conds}. Our cls::version::IncOp lacks `objv`, so its
// bytes are refused by the real OSD class (EINVAL); encoded here by hand
// until that type is fixed (reported to the lead).
std::string CephIncOp(const std::list<ver::ObjVersionCond>& conds) {
  std::string s;
  Encoder e(&s);
  e.Versioned(1, 1, [&] {
    ver::Encode(e, ver::ObjVersion{});
    Encode(e, conds);
  });
  return s;
}

class RadosClsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!CephConf()) return;
    store_ = testing::OpenTestStore().release();
    pool_ = testing::UniqueName("kelp-rados-cls");
    if (store_) {
      ASSERT_TRUE(store_->CreatePool(pool_).ok());
    }
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    if (CephConf()) testing::DeletePool(pool_);
  }
  void SetUp() override {
    KELP_REQUIRE_CEPH();
    ASSERT_NE(store_, nullptr);
  }
  ObjectId Id(const std::string& oid) { return ObjectId{pool_, "", oid, ""}; }

  Result<ver::ObjVersion> ReadVersion(const ObjectId& id) {
    std::string out;
    RETURN_IF_ERROR(store_->Operate(id, ReadOp().Exec("version", "read", "", &out)));
    ver::ReadRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    return ret.objv;
  }

  static ObjectStore* store_;
  static std::string pool_;
};
ObjectStore* RadosClsTest::store_ = nullptr;
std::string RadosClsTest::pool_;

TEST_F(RadosClsTest, VersionIncReadAndConditionalGuard) {
  ObjectId id = Id("versioned");
  ver::SetOp set;
  set.objv = ver::ObjVersion{1, "tag-a"};
  ASSERT_TRUE(store_->Operate(id, WriteOp().Exec("version", "set", EncodeToString(set))).ok());
  Status inc = store_->Operate(id, WriteOp().Exec("version", "inc", CephIncOp({})));
  ASSERT_TRUE(inc.ok()) << inc.ToString();
  auto v = ReadVersion(id);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->ver, 2u);
  EXPECT_EQ(v->tag, "tag-a");

  // inc_conds guarded on a stale version fails with ECANCELED and the rest
  // of the op (the data write) does not happen.
  std::list<ver::ObjVersionCond> conds{{ver::ObjVersion{1, "tag-a"}, ver::kCondEq}};
  Status s =
      store_->Operate(id, WriteOp().Exec("version", "inc_conds", CephIncOp(conds)).WriteFull("x"));
  EXPECT_EQ(s.code(), Code::kCanceled) << s.ToString();
  ObjectStat st;
  ASSERT_TRUE(store_->Operate(id, ReadOp().Stat(&st)).ok());
  EXPECT_EQ(st.size, 0u);
  conds.front().ver.ver = 2;
  EXPECT_TRUE(store_->Operate(id, WriteOp().Exec("version", "inc_conds", CephIncOp(conds))).ok());
  EXPECT_EQ(ReadVersion(id)->ver, 3u);

  // check_conds (what radosgw's RGWObjVersionTracker guards reads/writes
  // with), through our CheckOp encoder.
  ver::CheckOp check;
  check.conds = {{ver::ObjVersion{3, "tag-a"}, ver::kCondEq}};
  EXPECT_TRUE(store_->Operate(id, ReadOp().Exec("version", "check_conds", EncodeToString(check),
                                                nullptr))
                  .ok());
  check.conds.front().ver.ver = 2;
  EXPECT_EQ(store_->Operate(id, WriteOp()
                                    .Exec("version", "check_conds", EncodeToString(check))
                                    .WriteFull("y"))
                .code(),
            Code::kCanceled);

  // The xattr the class keeps is visible to plain reads, in Ceph's encoding.
  std::string raw;
  ASSERT_TRUE(store_->Operate(id, ReadOp().GetXattr(ver::kVersionXattr, &raw)).ok());
  ver::ObjVersion decoded;
  ASSERT_TRUE(DecodeFromString(raw, decoded).ok());
  EXPECT_EQ(decoded.ver, 3u);

  // Class output from inside a write op (librados RETURNVEC).
  std::string out;
  ASSERT_TRUE(store_->Operate(id, WriteOp().Exec("version", "read", "", &out)).ok());
  ver::ReadRet ret;
  ASSERT_TRUE(DecodeFromString(out, ret).ok()) << "write-op exec output: " << out.size() << " B";
  EXPECT_EQ(ret.objv.ver, 3u);
}

TEST_F(RadosClsTest, BucketIndexPrepareCompleteList) {
  ObjectId idx = Id(".dir.test-bucket.1");
  ASSERT_TRUE(store_->Operate(idx, WriteOp().Create(true).Exec("rgw", "bucket_init_index", ""))
                  .ok());
  // A second init of the same shard is refused (EINVAL from cls_rgw... or
  // EEXIST from the exclusive create; either way the op fails).
  EXPECT_FALSE(store_->Operate(idx, WriteOp().Create(true).Exec("rgw", "bucket_init_index", ""))
                   .ok());

  for (const std::string name : {"b-obj", "a-obj"}) {
    crgw::PrepareOp p;
    p.op = crgw::kOpAdd;
    p.key = crgw::ObjKey(name);
    p.tag = "tag-" + name;
    ASSERT_TRUE(
        store_->Operate(idx, WriteOp().Exec("rgw", "bucket_prepare_op", EncodeToString(p))).ok());
    crgw::CompleteOp c;
    c.op = crgw::kOpAdd;
    c.key = crgw::ObjKey(name);
    c.tag = p.tag;
    c.ver = crgw::BucketEntryVer{static_cast<int64_t>(*store_->PoolId(pool_)), 5};
    c.meta.category = crgw::kCategoryMain;
    c.meta.size = 1000;
    c.meta.accounted_size = 1000;
    c.meta.mtime = CephTime{1700000000, 0};
    c.meta.etag = "etag-" + name;
    c.meta.owner = "alice";
    Status s = store_->Operate(idx, WriteOp().Exec("rgw", "bucket_complete_op", EncodeToString(c)));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  crgw::ListOp lop;
  lop.num_entries = 1;
  std::string out;
  ASSERT_TRUE(store_->Operate(idx, ReadOp().Exec("rgw", "bucket_list", EncodeToString(lop), &out))
                  .ok());
  crgw::ListRet page1;
  ASSERT_TRUE(DecodeFromString(out, page1).ok());
  ASSERT_EQ(page1.dir.m.size(), 1u);
  EXPECT_EQ(page1.dir.m.begin()->first, "a-obj");
  EXPECT_TRUE(page1.is_truncated);
  const crgw::DirEntry& e = page1.dir.m.begin()->second;
  EXPECT_TRUE(e.exists);
  EXPECT_EQ(e.meta.etag, "etag-a-obj");
  EXPECT_EQ(e.meta.size, 1000u);
  EXPECT_EQ(e.ver.epoch, 5u);
  EXPECT_EQ(page1.dir.header.stats[crgw::kCategoryMain].num_entries, 2u);
  EXPECT_EQ(page1.dir.header.stats[crgw::kCategoryMain].total_size, 2000u);

  lop.start_obj = crgw::ObjKey("a-obj");
  lop.num_entries = 10;
  ASSERT_TRUE(store_->Operate(idx, ReadOp().Exec("rgw", "bucket_list", EncodeToString(lop), &out))
                  .ok());
  crgw::ListRet page2;
  ASSERT_TRUE(DecodeFromString(out, page2).ok());
  ASSERT_EQ(page2.dir.m.size(), 1u);
  EXPECT_EQ(page2.dir.m.begin()->first, "b-obj");
  EXPECT_FALSE(page2.is_truncated);

  // The header the OSD's cls_rgw wrote decodes with our DirHeader.
  std::string hdr;
  ASSERT_TRUE(store_->Operate(idx, ReadOp().OmapGetHeader(&hdr)).ok());
  crgw::DirHeader h;
  ASSERT_TRUE(DecodeFromString(hdr, h).ok());
  EXPECT_EQ(h.stats[crgw::kCategoryMain].num_entries, 2u);

  // bucket_list on a missing shard: ENOENT as with the embedded engine.
  EXPECT_EQ(store_->Operate(Id(".dir.none"), ReadOp().Exec("rgw", "bucket_list",
                                                           EncodeToString(lop), &out))
                .code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace kelp::store::rados
