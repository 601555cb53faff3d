#include <gtest/gtest.h>

#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"
#include "store/cls/version/methods.h"
#include "store/cls/version/types.h"

namespace kelp::store::cls::version {
namespace {

using testing::Exec;
using testing::MemObject;

ObjVersion Stored(const MemObject& o) {
  ObjVersion v;
  EXPECT_TRUE(DecodeFromString(o.xattrs.at(kVersionXattr), v).ok());
  return v;
}

ObjVersion ReadV(MemObject& o) {
  std::string out;
  EXPECT_TRUE(Exec(o, "version", "read", "", &out).ok());
  ReadRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r.objv;
}

TEST(ClsVersion, IncCreatesWithRandomTagThenCounts) {
  MemObject o;
  EXPECT_EQ(ReadV(o).ver, 0u);  // absent reads as 0 without creating
  EXPECT_FALSE(o.exists);
  ASSERT_TRUE(Exec(o, "version", "inc", EncodeToString(IncOp{})).ok());
  ObjVersion v = Stored(o);
  EXPECT_EQ(v.ver, 1u);
  EXPECT_EQ(v.tag.size(), 24u);
  ASSERT_TRUE(Exec(o, "version", "inc", EncodeToString(IncOp{})).ok());
  EXPECT_EQ(Stored(o), (ObjVersion{2, v.tag}));
  EXPECT_EQ(ReadV(o), Stored(o));
}

TEST(ClsVersion, SetThenConditionalIncAndCheck) {
  MemObject o;
  ASSERT_TRUE(Exec(o, "version", "set", EncodeToString(SetOp{{1, "_abc"}})).ok());
  IncOp bad;
  bad.conds.push_back({{7, "_abc"}, kCondEq});
  EXPECT_TRUE(Exec(o, "version", "inc", EncodeToString(bad)).IsCanceled());
  EXPECT_EQ(Stored(o).ver, 1u);
  IncOp good;
  good.conds.push_back({{1, "_abc"}, kCondEq});
  ASSERT_TRUE(Exec(o, "version", "inc_conds", EncodeToString(good)).ok());
  EXPECT_EQ(Stored(o), (ObjVersion{2, "_abc"}));

  CheckOp chk;
  chk.conds.push_back({{2, ""}, kCondGe});
  chk.conds.push_back({{0, "_abc"}, kCondTagEq});
  EXPECT_TRUE(Exec(o, "version", "check_conds", EncodeToString(chk)).ok());
  chk.conds.push_back({{0, "_abc"}, kCondTagNe});
  EXPECT_TRUE(Exec(o, "version", "check_conds", EncodeToString(chk)).IsCanceled());
  chk.conds = {{{2, ""}, kCondLt}};
  EXPECT_TRUE(Exec(o, "version", "check_conds", EncodeToString(chk)).IsCanceled());
  chk.conds = {{{3, ""}, kCondLt}, {{2, ""}, kCondLe}, {{1, ""}, kCondGt}};
  EXPECT_TRUE(Exec(o, "version", "check_conds", EncodeToString(chk)).ok());
}

TEST(ClsVersion, GarbageInputIsInvalid) {
  MemObject o;
  EXPECT_EQ(Exec(o, "version", "set", "x").code(), Code::kInvalid);
}

// Every ceph.objclass.version xattr in the dump round-trips, and metadata
// objects carry the version radosgw-admin reports as "ver".
TEST(ClsVersionGolden, XattrsRoundTripAndMatchMetadataVer) {
  std::map<std::string, ObjVersion> by_object;  // "<ns>/<oid>" -> version
  size_t n = 0;
  for (const auto& o : testing::LoadAllObjects()) {
    auto it = o.xattrs.find(kVersionXattr);
    if (it == o.xattrs.end()) continue;
    ObjVersion v;
    ASSERT_TRUE(DecodeFromString(it->second, v).ok()) << o.oid;
    EXPECT_EQ(EncodeToString(v), it->second) << o.oid;
    by_object[o.dir.parent_path().filename().string() + "/" + o.oid] = v;
    ++n;
  }
  EXPECT_GT(n, 0u);
  namespace fs = std::filesystem;
  size_t matched = 0;
  for (const char* section : {"user", "bucket", "bucket.instance"}) {
    fs::path dir = fs::path(testing::PublicDir()) / "decoded/metadata" / section;
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().filename() == "list.json") continue;
      std::string entry = testing::HexDecode(f.path().stem().string());
      std::string obj;
      if (std::string(section) == "user") {
        obj = "users.uid/" + entry;
      } else if (std::string(section) == "bucket") {
        obj = "root/" + entry;
      } else {
        auto slash = entry.find('/');
        if (slash != std::string::npos) entry[slash] = ':';
        obj = "root/.bucket.meta." + entry;
      }
      auto j = testing::ParseAdminJson(f.path());
      auto it = by_object.find(obj);
      ASSERT_NE(it, by_object.end()) << obj;
      EXPECT_EQ(it->second.ver, j["ver"]["ver"].get<uint64_t>()) << obj;
      EXPECT_EQ(it->second.tag, j["ver"]["tag"].get<std::string>()) << obj;
      ++matched;
    }
  }
  EXPECT_GT(matched, 0u);
}

}  // namespace
}  // namespace kelp::store::cls::version
