#include <gtest/gtest.h>

#include "store/cls/refcount/types.h"
#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::refcount {
namespace {

using testing::Exec;
using testing::MemObject;

MemObject Tail() {
  MemObject o;
  o.exists = true;
  o.data = "tail";
  return o;
}

std::list<std::string> Refs(MemObject& o, bool implicit) {
  std::string out;
  EXPECT_TRUE(Exec(o, "refcount", "read", EncodeToString(ReadOp{implicit}), &out).ok());
  ReadRet r;
  EXPECT_TRUE(DecodeFromString(out, r).ok());
  return r.refs;
}

TEST(ClsRefcount, CopySharesTailThenBothDeletesRemoveIt) {
  MemObject o = Tail();
  EXPECT_EQ(Refs(o, true), (std::list<std::string>{""}));
  EXPECT_TRUE(Refs(o, false).empty());
  // A server-side copy takes a reference (radosgw: implicit_ref=true).
  ASSERT_TRUE(Exec(o, "refcount", "get", EncodeToString(GetOp{"copy-tag", true})).ok());
  EXPECT_EQ(Refs(o, false), (std::list<std::string>{"", "copy-tag"}));
  // Deleting the source drops the implicit reference.
  ASSERT_TRUE(Exec(o, "refcount", "put", EncodeToString(PutOp{"src-tag", true})).ok());
  EXPECT_TRUE(o.exists);
  EXPECT_EQ(Refs(o, false), (std::list<std::string>{"copy-tag"}));
  // A replay of the same put is a no-op.
  ASSERT_TRUE(Exec(o, "refcount", "put", EncodeToString(PutOp{"src-tag", true})).ok());
  EXPECT_TRUE(o.exists);
  ASSERT_TRUE(Exec(o, "refcount", "put", EncodeToString(PutOp{"copy-tag", true})).ok());
  EXPECT_FALSE(o.exists);
  EXPECT_TRUE(Exec(o, "refcount", "put", EncodeToString(PutOp{"x", true})).IsNotFound());
}

TEST(ClsRefcount, SetReplacesOrRemoves) {
  MemObject o = Tail();
  SetOp s;
  s.refs = {"a", "b"};
  ASSERT_TRUE(Exec(o, "refcount", "set", EncodeToString(s)).ok());
  EXPECT_EQ(Refs(o, true), (std::list<std::string>{"a", "b"}));
  EXPECT_EQ(Exec(o, "refcount", "put", EncodeToString(PutOp{"zz", false})).code(), Code::kOk);
  ASSERT_TRUE(Exec(o, "refcount", "set", EncodeToString(SetOp{})).ok());
  EXPECT_FALSE(o.exists);
}

TEST(ClsRefcountGolden, RefcountXattrsRoundTrip) {
  size_t n = 0;
  for (const auto& o : testing::LoadPool("default.rgw.buckets.data", "_default")) {
    auto it = o.xattrs.find(kRefcountXattr);
    if (it == o.xattrs.end()) continue;
    ObjRefcount r;
    ASSERT_TRUE(DecodeFromString(it->second, r).ok()) << o.oid;
    EXPECT_EQ(EncodeToString(r), it->second) << o.oid;
    // The source's implicit reference plus the copy's tag.
    EXPECT_EQ(r.refs.count(kWildcardTag), 1u) << o.oid;
    EXPECT_EQ(r.refs.size(), 2u) << o.oid;
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace kelp::store::cls::refcount
