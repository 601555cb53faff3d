#include "rgw/types/acl_xml.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "rgw/types/testing/fixture.h"
#include "rgw/types/user_info.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

// Our XML, read back the way boto3 presents GetBucketAcl/GetObjectAcl.
nlohmann::json BotoView(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str()));
  auto root = doc.child("AccessControlPolicy");
  EXPECT_EQ(std::string(root.attribute("xmlns").value()), std::string(kS3Xmlns));
  nlohmann::json j;
  j["Owner"] = {{"ID", root.child("Owner").child_value("ID")},
                {"DisplayName", root.child("Owner").child_value("DisplayName")}};
  std::vector<nlohmann::json> grants;
  for (auto g : root.child("AccessControlList").children("Grant")) {
    auto ge = g.child("Grantee");
    nlohmann::json grantee = {{"Type", ge.attribute("xsi:type").value()}};
    for (const char* f : {"ID", "DisplayName", "URI", "EmailAddress"}) {
      if (ge.child(f)) grantee[f] = ge.child_value(f);
    }
    grants.push_back({{"Grantee", grantee}, {"Permission", g.child_value("Permission")}});
  }
  std::sort(grants.begin(), grants.end());
  j["Grants"] = grants;
  return j;
}

nlohmann::json Sorted(nlohmann::json acl) {
  std::vector<nlohmann::json> g = acl["Grants"];
  std::sort(g.begin(), g.end());
  acl["Grants"] = g;
  return acl;
}

std::map<std::string, fx::RadosObject> InstancesByBucketKey() {
  std::map<std::string, fx::RadosObject> out;
  for (auto& o : fx::ListObjects("default.rgw.meta", "root")) {
    if (o.oid.rfind(".bucket.meta.", 0) != 0) continue;
    // ".bucket.meta.[tenant:]name:id" -> "[tenant/]name"
    std::string key = o.oid.substr(13, o.oid.rfind(':') - 13);
    size_t colon = key.find(':');
    if (colon != std::string::npos) key[colon] = '/';
    out[key] = std::move(o);
  }
  return out;
}

// What S3 clients saw from radosgw's GetBucketAcl equals our rendering of the
// bucket instance's user.rgw.acl.
TEST(AclXmlGoldenTest, BucketAclXmlMatchesWhatClientsSaw) {
  auto workload = fx::LoadJson(fx::DumpDir() / "workload.json");
  auto instances = InstancesByBucketKey();
  int n = 0;
  for (const auto& [bucket, listing] : workload["listings"].items()) {
    if (!listing.contains("bucket_acl")) continue;
    SCOPED_TRACE(bucket);
    ASSERT_TRUE(instances.count(bucket));
    AccessControlPolicy p;
    ASSERT_TRUE(DecodeFromString(instances[bucket].xattrs.at("user.rgw.acl"), p).ok());
    std::string xml = AclToXml(p);
    EXPECT_EQ(BotoView(xml), Sorted(listing["bucket_acl"])) << xml;
    auto back = AclFromXml(xml);
    ASSERT_TRUE(back.ok());
    // Referer grants (Swift .r:*) have no S3 form; everything else survives.
    AccessControlPolicy s3_only = p;
    s3_only.acl = AccessControlList{};
    for (const auto& [k, g] : p.acl.grant_map) {
      if (g.type.type != kGranteeReferer) s3_only.acl.AddGrant(g);
    }
    EXPECT_EQ(EncodeToString(*back), EncodeToString(s3_only));
    ++n;
  }
  EXPECT_GT(n, 3);
}

// An object written with x-amz-grant-* headers: the header values radosgw
// kept as xattrs rebuild the exact stored ACL (names resolved from users).
TEST(AclXmlGoldenTest, GrantHeadersRebuildStoredAcl) {
  std::map<std::string, UserInfo> users;
  for (const auto& o : fx::ListObjects("default.rgw.meta", "users.uid")) {
    if (o.oid.find(".buckets") != std::string::npos) continue;
    ASSERT_TRUE(DecodeUserObject(o.data, &users[o.oid]).ok());
  }
  UserResolver resolve = [&](std::string_view kind,
                             std::string_view value) -> Result<std::pair<User, std::string>> {
    for (const auto& [uid, u] : users) {
      if ((kind == "id" && uid == value) || (kind == "emailAddress" && u.user_email == value)) {
        return std::make_pair(u.user_id, u.display_name);
      }
    }
    return Status(Code::kInvalidArgument, "no such user");
  };
  int n = 0;
  for (const auto& o : fx::ListObjects("default.rgw.buckets.data")) {
    std::map<std::string, std::string> headers;
    for (const auto& [k, v] : o.xattrs) {
      if (k.rfind("user.rgw.x-amz-grant-", 0) == 0) headers[k.substr(9)] = v;
    }
    if (headers.empty()) continue;
    SCOPED_TRACE(o.oid);
    AccessControlPolicy stored;
    ASSERT_TRUE(DecodeFromString(o.xattrs.at("user.rgw.acl"), stored).ok());
    auto p = PolicyFromGrantHeaders(stored.owner.id, stored.owner.display_name, headers, resolve);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(EncodeToString(*p), o.xattrs.at("user.rgw.acl"));
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(AclXmlTest, ParseErrorsAndEmailGrants) {
  EXPECT_EQ(AclFromXml("<AccessControlPolicy>").status().code(), Code::kMalformedXML);
  EXPECT_EQ(AclFromXml("<Foo/>").status().code(), Code::kMalformedACLError);
  EXPECT_EQ(AclFromXml("<AccessControlPolicy><AccessControlList/></AccessControlPolicy>")
                .status()
                .code(),
            Code::kMalformedACLError);
  const char* bad_perm =
      "<AccessControlPolicy><Owner><ID>a</ID></Owner><AccessControlList><Grant>"
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
      "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>"
      "<Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>";
  EXPECT_EQ(AclFromXml(bad_perm).status().code(), Code::kMalformedACLError);

  const char* email =
      "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>a</ID>"
      "</Owner><AccessControlList><Grant>"
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>b@x</EmailAddress></Grantee>"
      "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";
  auto p = AclFromXml(email);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->acl.grant_map.size(), 1u);
  EXPECT_EQ(p->acl.grant_map.begin()->second.type.type, kGranteeEmail);
  UserResolver resolve = [](std::string_view, std::string_view) -> Result<std::pair<User, std::string>> {
    return std::make_pair(User{"", "bob", ""}, std::string("Bob"));
  };
  auto r = AclFromXml(email, resolve);
  ASSERT_TRUE(r.ok());
  User bob{"", "bob", ""};
  EXPECT_EQ(r->GetPermsFor(&bob, kPermRead), kPermRead);

  EXPECT_EQ(PolicyFromGrantHeaders(bob, "Bob", {{"x-amz-grant-read", "uri=\"http://nope\""}})
                .status()
                .code(),
            Code::kInvalidArgument);
  auto h = PolicyFromGrantHeaders(
      bob, "Bob",
      {{"x-amz-grant-write", "id=\"a\", id=\"b\""},
       {"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""}});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->acl.grant_map.size(), 3u);
  EXPECT_EQ(h->GetPermsFor(nullptr, kPermRead), kPermRead);
  // Multi-bit permissions render as one element per bit.
  AccessControlPolicy rw = MakeDefaultPolicy(bob, "Bob");
  rw.acl.AddGrant(AclGrant::Canon(User{"", "c", ""}, "C", kPermRead | kPermWriteAcp));
  std::string xml = AclToXml(rw);
  EXPECT_NE(xml.find("<Permission>READ</Permission><Permission>WRITE_ACP</Permission>"),
            std::string::npos);
}

}  // namespace
}  // namespace kelp::rgw
