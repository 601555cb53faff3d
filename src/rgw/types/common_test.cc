#include "rgw/types/common.h"

#include <gtest/gtest.h>

#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

using testing::LoadDecoded;
using testing::LoadJson;

TEST(UserTest, StringForms) {
  EXPECT_EQ((User{"", "bob", ""}).ToString(), "bob");
  EXPECT_EQ((User{"acme", "alice", ""}).ToString(), "acme$alice");
  EXPECT_EQ((User{"acme", "alice", "ns"}).ToString(), "acme$ns$alice");
  EXPECT_EQ((User{"", "alice", "ns"}).ToString(), "$ns$alice");
  for (const char* s : {"bob", "acme$alice", "acme$ns$alice", "$ns$alice"}) {
    EXPECT_EQ(User::FromString(s).ToString(), s);
  }
  EXPECT_EQ(User::FromString("acme$alice").tenant, "acme");
  EXPECT_EQ(User::FromString("acme$alice").id, "alice");
}

TEST(UserTest, EncodeRoundTrip) {
  User u{"t", "i", "n"};
  std::string b = EncodeToString(u);
  EXPECT_EQ(b.substr(0, 2), std::string("\x02\x01", 2));
  User back;
  ASSERT_TRUE(DecodeFromString(b, back).ok());
  EXPECT_EQ(back, u);
}

TEST(PoolTest, StringForms) {
  EXPECT_EQ((Pool{"default.rgw.meta", "root"}).ToString(), "default.rgw.meta:root");
  EXPECT_EQ((Pool{"p", ""}).ToString(), "p");
  EXPECT_EQ((Pool{"a:b", ""}).ToString(), "a\\:b");
  EXPECT_EQ(Pool::FromString("a\\:b:ns"), (Pool{"a:b", "ns"}));
  EXPECT_EQ(Pool::FromString("default.rgw.log:gc"), (Pool{"default.rgw.log", "gc"}));
}

TEST(ObjKeyTest, OidRules) {
  EXPECT_EQ((ObjKey{"foo", "", ""}).GetOid(), "foo");
  EXPECT_EQ((ObjKey{"_foo", "", ""}).GetOid(), "__foo");
  EXPECT_EQ((ObjKey{"foo", "v1", ""}).GetOid(), "_:v1_foo");
  EXPECT_EQ((ObjKey{"foo", "null", ""}).GetOid(), "foo");
  EXPECT_EQ((ObjKey{"x.1", "", "multipart"}).GetOid(), "_multipart_x.1");
  EXPECT_EQ((ObjKey{".p_1", "v", "shadow"}).GetOid(), "_shadow:v_.p_1");
  EXPECT_EQ((ObjKey{"_foo", "", ""}).GetIndexKeyName(), "__foo");
  EXPECT_EQ((ObjKey{"foo", "v1", ""}).GetIndexKeyName(), "foo");
  EXPECT_EQ((ObjKey{"a.meta", "", "multipart"}).GetIndexKeyName(), "_multipart_a.meta");
  Obj o{Bucket{"", "b", "M", "M", {}}, ObjKey{"_foo", "", ""}};
  EXPECT_EQ(o.GetOid(), "M___foo");
  EXPECT_EQ(o.GetLocator(), "M__foo");
  o.key.name = "foo";
  EXPECT_EQ(o.GetLocator(), "");
}

TEST(ObjKeyTest, ParseRawOid) {
  ObjKey k;
  ASSERT_TRUE(ObjKey::ParseRawOid("__foo", &k));
  EXPECT_EQ(k, (ObjKey{"_foo", "", ""}));
  ASSERT_TRUE(ObjKey::ParseRawOid("_:v1_foo_bar", &k));
  EXPECT_EQ(k, (ObjKey{"foo_bar", "v1", ""}));
  ASSERT_TRUE(ObjKey::ParseRawOid("_shadow_.abc_1", &k));
  EXPECT_EQ(k, (ObjKey{".abc_1", "", "shadow"}));
  EXPECT_FALSE(ObjKey::ParseRawOid("_x", &k));
}

// Every object of the data pools: the oid parses into a key whose GetOid()
// gives it back, and GetLocator() gives exactly the locator radosgw set.
TEST(ObjKeyTest, EveryDataObjectNameRoundTrips) {
  auto manifest = LoadJson(testing::DumpDir() / "manifest.json");
  int checked = 0;
  for (const auto& o : manifest["objects"]) {
    std::string pool = o["pool"];
    if (pool.find(".rgw.buckets.data") == std::string::npos &&
        pool.find(".rgw.buckets.non-ec") == std::string::npos) {
      continue;
    }
    std::string oid = testing::Unhex(o["oid_hex"]);
    size_t pos = oid.find('_');
    ASSERT_NE(pos, std::string::npos) << oid;
    Obj obj;
    obj.bucket.marker = oid.substr(0, pos);
    ASSERT_TRUE(ObjKey::ParseRawOid(oid.substr(pos + 1), &obj.key)) << oid;
    EXPECT_EQ(obj.GetOid(), oid);
    std::string locator = o["locator_hex"].is_null() ? "" : testing::Unhex(o["locator_hex"]);
    EXPECT_EQ(obj.GetLocator(), locator) << oid;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(QuotaTest, DefaultsEncodeLikeRadosgw) {
  QuotaInfo q;
  std::string b = EncodeToString(q);
  // ENC(3,1), max_size_kb -1, max_objects -1, false, max_size -1, false.
  std::string want("\x03\x01\x1a\x00\x00\x00", 6);
  want += std::string(8, '\xff') + std::string(8, '\xff') + std::string(1, '\0') +
          std::string(8, '\xff') + std::string(1, '\0');
  EXPECT_EQ(b, want);
  EXPECT_EQ(ToJson(q)["max_size_kb"], 0);
}

TEST(TimeTest, FormatsLikeRadosgwAdmin) {
  CephTime t;
  ASSERT_TRUE(ParseTime("2026-11-23T01:24:11.202168Z", &t));
  EXPECT_EQ(FormatTime(t), "2026-11-23T01:24:11.202168Z");
  EXPECT_EQ(FormatTime(CephTime{0, 999999999}), "1970-01-01T00:00:00.999999Z");
}

}  // namespace
}  // namespace kelp::rgw
