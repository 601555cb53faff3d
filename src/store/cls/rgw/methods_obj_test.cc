// rgw methods on head objects: obj_remove, obj_store_pg_ver,
// obj_check_attrs_prefix, obj_check_mtime.
#include <gtest/gtest.h>

#include "store/cls/rgw/ops.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::rgw {
namespace {

using testing::Exec;
using testing::MemObject;

MemObject Head() {
  MemObject o;
  o.exists = true;
  o.data = "data";
  o.version = 41;
  o.mtime = CephTime{1000, 500};
  o.xattrs = {{"user.rgw.acl", "a"}, {"user.rgw.olh.info", "i"}, {"user.rgw.olh.ver", "3"},
              {"user.rgw.etag", "e"}};
  return o;
}

TEST(RgwObj, RemoveKeepsOnlyRequestedPrefixes) {
  MemObject o = Head();
  ObjRemoveOp op;
  op.keep_attr_prefixes = {"user.rgw.olh"};
  ASSERT_TRUE(Exec(o, "rgw", "obj_remove", EncodeToString(op)).ok());
  EXPECT_TRUE(o.exists);
  EXPECT_TRUE(o.data.empty());
  EXPECT_EQ(o.xattrs, (std::map<std::string, std::string>{{"user.rgw.olh.info", "i"},
                                                         {"user.rgw.olh.ver", "3"}}));
  MemObject p = Head();
  ASSERT_TRUE(Exec(p, "rgw", "obj_remove", EncodeToString(ObjRemoveOp{})).ok());
  EXPECT_FALSE(p.exists);
}

TEST(RgwObj, StorePgVerWritesObjectVersion) {
  MemObject o = Head();
  ASSERT_TRUE(Exec(o, "rgw", "obj_store_pg_ver", EncodeToString(StorePgVerOp{"user.rgw.pg_ver"}))
                  .ok());
  EXPECT_EQ(o.xattrs["user.rgw.pg_ver"], EncodeToString(uint64_t{41}));
}

TEST(RgwObj, CheckAttrsPrefix) {
  MemObject o = Head();
  EXPECT_TRUE(Exec(o, "rgw", "obj_check_attrs_prefix",
                   EncodeToString(CheckAttrsPrefixOp{"user.rgw.olh", false})).ok());
  EXPECT_TRUE(Exec(o, "rgw", "obj_check_attrs_prefix",
                   EncodeToString(CheckAttrsPrefixOp{"user.rgw.olh", true})).IsCanceled());
  EXPECT_TRUE(Exec(o, "rgw", "obj_check_attrs_prefix",
                   EncodeToString(CheckAttrsPrefixOp{"user.rgw.x-amz", false})).IsCanceled());
}

TEST(RgwObj, CheckMtime) {
  MemObject o = Head();
  auto check = [&](CephTime t, uint8_t type, bool hp) {
    return Exec(o, "rgw", "obj_check_mtime", EncodeToString(CheckMtimeOp{t, type, hp}));
  };
  EXPECT_TRUE(check({1000, 0}, kMtimeEq, false).ok());  // seconds only
  EXPECT_TRUE(check({1000, 0}, kMtimeEq, true).IsCanceled());
  EXPECT_TRUE(check({1000, 500}, kMtimeEq, true).ok());
  EXPECT_TRUE(check({1001, 0}, kMtimeLt, false).ok());
  EXPECT_TRUE(check({999, 0}, kMtimeLt, false).IsCanceled());
  EXPECT_TRUE(check({999, 0}, kMtimeGe, false).ok());
  EXPECT_EQ(check({999, 0}, 9, false).code(), Code::kInvalid);
}

}  // namespace
}  // namespace kelp::store::cls::rgw
