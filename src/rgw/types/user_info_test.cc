#include "rgw/types/user_info.h"

#include <gtest/gtest.h>

#include "rgw/types/acl.h"
#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

using fx::RgwAttrs;

std::vector<fx::RadosObject> UserObjects() {
  std::vector<fx::RadosObject> out;
  for (auto& o : fx::ListObjects("default.rgw.meta", "users.uid")) {
    if (o.oid.size() > 8 && o.oid.substr(o.oid.size() - 8) == ".buckets") continue;
    out.push_back(std::move(o));
  }
  return out;
}

TEST(UserInfoGoldenTest, EveryUserDecodesReencodesAndDumpsLikeRadosgwAdmin) {
  auto users = UserObjects();
  ASSERT_FALSE(users.empty());
  for (const auto& o : users) {
    SCOPED_TRACE(o.oid);
    UserInfo info;
    ASSERT_TRUE(DecodeUserObject(o.data, &info).ok());
    EXPECT_EQ(info.user_id.ToString(), o.oid);
    EXPECT_EQ(EncodeUserObject(info), o.data);

    auto want_info = fx::LoadDecoded("user/" + fx::Hex(o.oid) + "/info.json");
    EXPECT_EQ(ToJson(info), want_info) << ToJson(info).dump(1) << "\n" << want_info.dump(1);

    auto want_md = fx::LoadDecoded("metadata/user/" + fx::Hex(o.oid) + ".json");
    CephTime mtime;
    ASSERT_TRUE(ParseTime(std::string(want_md["mtime"]), &mtime));
    auto [ver, tag] = fx::ObjVersionOf(o);
    EXPECT_EQ(ToJsonMetadata(info, tag, ver, mtime, RgwAttrs(o)), want_md);
  }
}

// users.keys / users.email / users.swift objects name an existing user that
// has that key / e-mail / Swift subuser, and re-encode identically.
TEST(UserInfoGoldenTest, IndexObjectsPointAtTheirUser) {
  std::map<std::string, UserInfo> by_uid;
  for (const auto& o : UserObjects()) {
    ASSERT_TRUE(DecodeUserObject(o.data, &by_uid[o.oid]).ok());
  }
  int n = 0;
  for (const char* ns : {"users.keys", "users.email", "users.swift"}) {
    for (const auto& o : fx::ListObjects("default.rgw.meta", ns)) {
      SCOPED_TRACE(o.oid);
      auto uid = DecodeUid(o.data);
      ASSERT_TRUE(uid.ok());
      EXPECT_EQ(EncodeUid(*uid), o.data);
      ASSERT_TRUE(by_uid.count(uid->ToString()));
      const UserInfo& u = by_uid[uid->ToString()];
      std::string nss = ns;
      if (nss == "users.keys") {
        EXPECT_TRUE(u.access_keys.count(o.oid));
      }
      if (nss == "users.email") {
        EXPECT_EQ(u.user_email, o.oid);
      }
      if (nss == "users.swift") {
        EXPECT_TRUE(u.swift_keys.count(o.oid));
      }
      ++n;
    }
  }
  EXPECT_GT(n, 3);
}

TEST(UserInfoTest, DefaultsAndLegacyDecode) {
  UserInfo u;
  u.user_id = User{"", "bob", ""};
  u.access_keys["AK"] = AccessKey{"AK", "SK", ""};
  // A v5 record (pre-envelope era: u32 version, no compat/len): auid,
  // key, secret, display, email, swift name, swift key, uid.
  std::string legacy;
  Encoder e(&legacy);
  e.U8(5);
  e.Raw("\0\0\0", 3);
  e.U64(0);
  e.Str("AK");
  e.Str("SK");
  e.Str("Bob");
  e.Str("bob@x");
  e.Str("");
  e.Str("");
  e.Str("bob");
  UserInfo old;
  ASSERT_TRUE(DecodeFromString(legacy, old).ok());
  EXPECT_EQ(old.user_id.id, "bob");
  EXPECT_EQ(old.access_keys.at("AK").key, "SK");
  EXPECT_EQ(old.max_buckets, 1000);
  EXPECT_EQ(old.op_mask, 7u);
  EXPECT_EQ(OpMaskToString(7), "read, write, delete");
  EXPECT_EQ(PermMaskToString(kPermFullControl), "full-control");
  EXPECT_EQ(PermMaskToString(kPermRead | kPermWrite | kPermReadAcp), "read-write, read-acp");
  UserInfo bad;
  std::string obj = EncodeUid(User{"", "other", ""}) + EncodeToString(u);
  EXPECT_EQ(DecodeUserObject(obj, &bad).code(), Code::kCorruption);
}

}  // namespace
}  // namespace kelp::rgw
