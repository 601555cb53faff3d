// DecodeCacheNotify against bytes laid out by hand from the reference
// (rgw-pacific-layout.md section G), independent of our Encoder, and
// against what EncodeCacheUpdate/EncodeCacheRemove produce.
#include <gtest/gtest.h>

#include "rgw/meta/cache_notify.h"

namespace kelp::rgw {
namespace {

// Little-endian byte builder with Ceph's ENCODE_START envelope.
struct Bytes {
  std::string b;
  Bytes& u8(uint8_t v) { b.push_back(static_cast<char>(v)); return *this; }
  Bytes& u32(uint32_t v) { for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(v >> (8 * i))); return *this; }
  Bytes& u64(uint64_t v) { for (int i = 0; i < 8; ++i) u8(static_cast<uint8_t>(v >> (8 * i))); return *this; }
  Bytes& str(const std::string& s) { u32(static_cast<uint32_t>(s.size())); b += s; return *this; }
  Bytes& env(uint8_t v, uint8_t compat, const Bytes& body) {
    u8(v).u8(compat).u32(static_cast<uint32_t>(body.b.size()));
    b += body.b;
    return *this;
  }
};

Bytes RawObj(const std::string& pool, const std::string& ns, const std::string& oid,
             uint8_t v = 6) {
  Bytes p;
  p.str(pool).str(ns);
  Bytes body;
  body.env(10, 10, p).str(oid).str("");
  return Bytes().env(v, v, body);
}

Bytes Info(uint32_t flags, const std::string& data,
           const std::map<std::string, std::string>& xattrs, uint32_t sec, uint64_t ver,
           const std::string& tag, const std::string& extra = "", uint32_t nsec = 7) {
  Bytes body;
  body.u32(0).u32(flags).str(data).u32(static_cast<uint32_t>(xattrs.size()));
  for (const auto& [k, v] : xattrs) body.str(k).str(v);
  body.env(2, 2, Bytes().u64(data.size()).u32(sec).u32(nsec));  // ObjectMetaInfo
  body.u32(0);                                                 // rm_xattrs
  body.u64(0);                                                 // epoch
  body.env(1, 1, Bytes().u64(ver).str(tag));                   // obj_version
  body.b += extra;
  return Bytes().env(extra.empty() ? 5 : 6, 3, body);
}

std::string Notify(uint32_t op, const Bytes& obj, const Bytes& info) {
  Bytes body;
  body.u32(op);
  body.b += obj.b;
  body.b += info.b;
  body.u64(0).str("");
  return Bytes().env(2, 2, body).b;
}

TEST(DecodeCacheNotify, RemoveAsRadosgwSendsIt) {
  auto n = DecodeCacheNotify(
      Notify(kCacheRemoveObj, RawObj("default.rgw.meta", "users.keys", "AKEXAMPLE"),
             Info(0, "", {}, 0, 0, "")));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->op, kCacheRemoveObj);
  EXPECT_EQ(n->id.pool, "default.rgw.meta");
  EXPECT_EQ(n->id.ns, "users.keys");
  EXPECT_EQ(n->id.oid, "AKEXAMPLE");
  EXPECT_EQ(n->id.locator, "");
}

TEST(DecodeCacheNotify, UpdateCarriesDataXattrsMtimeAndObjv) {
  const uint32_t flags = kCacheFlagData | kCacheFlagXattrs | kCacheFlagMeta | kCacheFlagObjv;
  auto n = DecodeCacheNotify(Notify(
      kCacheUpdateObj, RawObj("default.rgw.meta", "root", ".bucket.meta.b:z.1.1"),
      Info(flags, "instance-bytes", {{"user.rgw.acl", "acl"}}, 1700000000, 4, "_tag")));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->op, kCacheUpdateObj);
  EXPECT_EQ(n->id.ns, "root");
  EXPECT_EQ(n->id.oid, ".bucket.meta.b:z.1.1");
  EXPECT_EQ(n->flags, flags);
  EXPECT_EQ(n->data, "instance-bytes");
  EXPECT_EQ(n->xattrs.at("user.rgw.acl"), "acl");
  EXPECT_EQ(n->mtime.sec, 1700000000u);
  EXPECT_EQ(n->mtime.nsec, 7u);
  EXPECT_EQ(n->objv.ver, 4u);
  EXPECT_EQ(n->objv.tag, "_tag");
}

TEST(DecodeCacheNotify, NewerObjectCacheInfoFieldsAreSkipped) {
  auto n = DecodeCacheNotify(Notify(kCacheUpdateObj, RawObj("p", "", "o"),
                                    Info(kCacheFlagData, "d", {}, 1, 1, "t", "future")));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->data, "d");
}

TEST(DecodeCacheNotify, RoundTripsOurEncoder) {
  store::ObjectId id{"default.rgw.meta", "users.uid", "alice", ""};
  ObjVersion v;
  v.ver = 9;
  v.tag = "_x";
  auto u = DecodeCacheNotify(
      EncodeCacheUpdate(id, "user-bytes", {{"a", "1"}, {"empty", ""}}, &v, CephTime{5, 6}));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->op, kCacheUpdateObj);
  EXPECT_EQ(u->id.oid, "alice");
  EXPECT_EQ(u->id.ns, "users.uid");
  EXPECT_EQ(u->data, "user-bytes");
  EXPECT_EQ(u->xattrs, (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(u->objv.ver, 9u);
  EXPECT_EQ(u->mtime.sec, 5u);
  auto r = DecodeCacheNotify(EncodeCacheRemove(id));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->op, kCacheRemoveObj);
  EXPECT_EQ(r->id.pool, "default.rgw.meta");
  // Our encoder and the hand layout agree byte for byte on a removal.
  EXPECT_EQ(EncodeCacheRemove(id),
            Notify(kCacheRemoveObj, RawObj("default.rgw.meta", "users.uid", "alice"),
                   Info(0, "", {}, 0, 0, "", "", 0)));
}

TEST(DecodeCacheNotify, RejectsWhatIsNotACacheNotify) {
  EXPECT_FALSE(DecodeCacheNotify("").ok());
  EXPECT_FALSE(DecodeCacheNotify("junk").ok());
  std::string good = EncodeCacheRemove({"p", "", "o", ""});
  EXPECT_FALSE(DecodeCacheNotify(good.substr(0, good.size() - 1)).ok());
  EXPECT_FALSE(DecodeCacheNotify(good + "x").ok());
  // An rgw_raw_obj in its pre-v6 (rgw_obj) form.
  EXPECT_FALSE(DecodeCacheNotify(Notify(kCacheRemoveObj, RawObj("p", "", "o", 5),
                                        Info(0, "", {}, 0, 0, "")))
                   .ok());
}

}  // namespace
}  // namespace kelp::rgw
