#include "rgw/types/acl.h"

#include <gtest/gtest.h>

#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

// Every user.rgw.acl xattr in the dump (heads, parts, multipart meta,
// bucket instances) decodes and re-encodes to the same bytes.
TEST(AclGoldenTest, EveryAclXattrRoundTrips) {
  int n = 0;
  for (const char* pool : {"default.rgw.buckets.data", "default.rgw.buckets.non-ec",
                           "default.rgw.meta"}) {
    for (const auto& o : fx::ListObjects(pool)) {
      auto it = o.xattrs.find("user.rgw.acl");
      if (it == o.xattrs.end()) continue;
      AccessControlPolicy p;
      ASSERT_TRUE(DecodeFromString(it->second, p).ok()) << o.oid;
      EXPECT_EQ(EncodeToString(p), it->second) << o.oid;
      EXPECT_FALSE(p.owner.id.empty());
      ++n;
    }
  }
  EXPECT_GT(n, 10);
}

// The policies radosgw-admin object stat printed equal our JSON of the
// head's xattr.
TEST(AclGoldenTest, ObjectStatPolicyJsonMatches) {
  int n = 0;
  auto root = fx::DumpDir() / "decoded" / "bucket";
  for (const auto& b : std::filesystem::directory_iterator(root)) {
    auto stats = b.path() / "object_stat";
    if (!std::filesystem::exists(stats)) continue;
    for (const auto& f : std::filesystem::recursive_directory_iterator(stats)) {
      if (f.is_directory()) continue;
      auto j = fx::LoadJson(f.path());
      if (!j.contains("policy")) continue;
      // Find the head by rebuilding the policy from JSON-equal bytes: decode
      // every data-pool ACL once and look for an equal JSON.
      static std::vector<nlohmann::json> all = [] {
        std::vector<nlohmann::json> v;
        for (const auto& o : fx::ListObjects("default.rgw.buckets.data")) {
          auto it = o.xattrs.find("user.rgw.acl");
          if (it == o.xattrs.end()) continue;
          AccessControlPolicy p;
          if (DecodeFromString(it->second, p).ok()) v.push_back(ToJson(p));
        }
        return v;
      }();
      bool found = std::find(all.begin(), all.end(), j["policy"]) != all.end();
      EXPECT_TRUE(found) << f.path() << "\n" << j["policy"].dump(1);
      ++n;
    }
  }
  EXPECT_GT(n, 10);
}

// Buckets created with a canned ACL: MakeCannedPolicy reproduces the
// instance's user.rgw.acl byte for byte (private ones via MakeDefaultPolicy).
TEST(AclGoldenTest, CannedBucketPoliciesMatchInstanceXattr) {
  auto workload = fx::LoadJson(fx::DumpDir() / "workload.json");
  std::map<std::string, std::string> display;
  for (const auto& u : workload["users"]) display[u["uid"]] = u["display_name"];
  int n = 0;
  for (const auto& b : workload["buckets"]) {
    if (b["created_via"] != "s3") continue;
    std::string canned = b["canned_acl"].is_null() ? "private" : std::string(b["canned_acl"]);
    std::string owner_str = b["owner"];
    User owner = User::FromString(owner_str);
    std::string oid = ".bucket.meta." + (b["tenant"] == "" ? std::string() : std::string(b["tenant"]) + ":") +
                      std::string(b["name"]) + ":" + std::string(b["observed"]["id"]);
    auto dir = fx::DumpDir() / "objects" / "default.rgw.meta" / "root" / fx::Hex(oid);
    ASSERT_TRUE(std::filesystem::exists(dir)) << oid;
    auto obj = fx::LoadObject("default.rgw.meta", "root", dir);
    auto p = MakeCannedPolicy(owner, display[owner_str], canned, owner, display[owner_str]);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(EncodeToString(*p), obj.xattrs["user.rgw.acl"]) << oid;
    ++n;
  }
  EXPECT_GT(n, 3);
}

TEST(AclTest, CannedAndPermissions) {
  User alice{"", "alice", ""}, bob{"", "bob", ""};
  auto p = MakeCannedPolicy(alice, "Alice", "public-read", alice, "Alice");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->GetPermsFor(&alice, kPermFullControl), kPermFullControl);
  EXPECT_EQ(p->GetPermsFor(&bob, kPermRead | kPermWrite), kPermRead);
  EXPECT_EQ(p->GetPermsFor(nullptr, kPermRead), kPermRead);
  EXPECT_EQ(p->GetPermsFor(nullptr, kPermWrite), 0u);

  auto a = MakeCannedPolicy(alice, "Alice", "authenticated-read", alice, "Alice");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->GetPermsFor(nullptr, kPermRead), 0u);
  EXPECT_EQ(a->GetPermsFor(&bob, kPermRead), kPermRead);

  auto bo = MakeCannedPolicy(bob, "Bob", "bucket-owner-full-control", alice, "Alice");
  ASSERT_TRUE(bo.ok());
  EXPECT_EQ(bo->GetPermsFor(&alice, kPermWrite), kPermWrite);
  auto same = MakeCannedPolicy(alice, "Alice", "bucket-owner-read", alice, "Alice");
  EXPECT_EQ(same->acl.grant_map.size(), 1u);

  EXPECT_EQ(MakeCannedPolicy(alice, "A", "bogus", alice, "A").status().code(),
            Code::kInvalidArgument);

  // The owner may always read/write the ACL, even without a grant.
  AccessControlPolicy bare;
  bare.owner.id = alice;
  EXPECT_EQ(bare.GetPermsFor(&alice, kPermReadAcp | kPermWriteAcp | kPermRead),
            kPermReadAcp | kPermWriteAcp);
}

}  // namespace
}  // namespace kelp::rgw
