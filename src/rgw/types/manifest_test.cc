#include "rgw/types/manifest.h"

#include <gtest/gtest.h>

#include <set>

#include "rgw/types/testing/fixture.h"

namespace kelp::rgw {
namespace {

namespace fx = ::kelp::rgw::testing;

struct Head {
  fx::RadosObject raw;
  ObjManifest manifest;
};

std::vector<Head> HeadsWithManifest() {
  std::vector<Head> out;
  for (auto& o : fx::ListObjects("default.rgw.buckets.data")) {
    auto it = o.xattrs.find("user.rgw.manifest");
    if (it == o.xattrs.end()) continue;
    Head h;
    EXPECT_TRUE(DecodeFromString(it->second, h.manifest).ok()) << o.oid;
    h.raw = std::move(o);
    out.push_back(std::move(h));
  }
  return out;
}

// decoded/bucket/<hex bucket key>/object_stat/<hex key>[.versions/<hex inst>].json
std::filesystem::path StatPath(const ObjManifest& m) {
  auto dir = fx::DumpDir() / "decoded" / "bucket" / fx::Hex(m.obj.bucket.GetKey()) / "object_stat";
  auto plain = dir / (fx::Hex(m.obj.key.name) + ".json");
  if (std::filesystem::exists(plain)) return plain;
  std::string inst = m.obj.key.instance.empty() ? "null" : m.obj.key.instance;
  return dir / (fx::Hex(m.obj.key.name) + ".versions") / (fx::Hex(inst) + ".json");
}

TEST(ManifestGoldenTest, EveryHeadManifestRoundTripsAndDumpsLikeObjectStat) {
  auto heads = HeadsWithManifest();
  ASSERT_GT(heads.size(), 10u);
  int compared = 0;
  for (const auto& h : heads) {
    SCOPED_TRACE(h.raw.oid);
    EXPECT_EQ(EncodeToString(h.manifest), h.raw.xattrs.at("user.rgw.manifest"));
    // The manifest's head is this very RADOS object.
    EXPECT_EQ(h.manifest.obj.GetOid(), h.raw.oid);
    auto path = StatPath(h.manifest);
    if (!std::filesystem::exists(path)) continue;  // multipart part heads are not statted
    auto want = fx::LoadJson(path)["manifest"];
    auto got = ToJson(h.manifest);
    EXPECT_EQ(got, want) << "got:\n" << got.dump(1) << "\nwant:\n" << want.dump(1);
    ++compared;
  }
  EXPECT_GT(compared, 10);
}

// Stripes() of every head names RADOS objects that exist, whose sizes are
// exactly the stripe sizes, and which add up to the object size.
TEST(ManifestGoldenTest, StripesNameExistingTailObjectsWithMatchingSizes) {
  std::map<std::string, uint64_t> sizes;
  for (const auto& o : fx::ListObjects("default.rgw.buckets.data")) sizes[o.oid] = o.data.size();
  std::set<std::string> referenced;
  for (const auto& h : HeadsWithManifest()) {
    SCOPED_TRACE(h.raw.oid);
    uint64_t total = 0;
    auto stripes = h.manifest.Stripes();
    for (const auto& s : stripes) {
      EXPECT_EQ(s.ofs, total);
      total += s.size;
      std::string oid = s.obj.GetOid();
      ASSERT_TRUE(sizes.count(oid)) << "missing " << oid;
      EXPECT_EQ(sizes[oid], s.size) << oid;
      EXPECT_EQ(s.is_head, oid == h.raw.oid);
      referenced.insert(oid);
    }
    EXPECT_EQ(total, h.manifest.obj_size);
    if (h.manifest.head_size > 0) {
      ASSERT_FALSE(stripes.empty());
      EXPECT_TRUE(stripes[0].is_head);
      EXPECT_EQ(stripes[0].size, h.raw.data.size());
    }
  }
  // Every tail object in the pool is referenced by some head, except those
  // of deleted objects awaiting gc (listed in the gc queue, not checked here).
  int unreferenced = 0;
  for (const auto& [oid, size] : sizes) {
    if (oid.find("__shadow") != std::string::npos && !referenced.count(oid)) ++unreferenced;
  }
  EXPECT_LE(unreferenced, 1);
}

// The generator reproduces radosgw's manifests: regular objects from (head,
// size, placement, prefix) and multipart objects by appending their parts.
TEST(ManifestGoldenTest, GeneratorAndAppendReproduceRadosgwManifests) {
  int atomic = 0, multipart = 0;
  for (const auto& h : HeadsWithManifest()) {
    SCOPED_TRACE(h.raw.oid);
    const ObjManifest& m = h.manifest;
    if (m.explicit_objs || m.rules.empty()) continue;
    const ObjManifestRule& r0 = m.rules.begin()->second;
    if (m.obj.key.ns == kObjNsMultipart) continue;  // a part's head: see the meta test
    if (r0.start_part_num == 0) {
      if (!(m.tail_placement.bucket == m.obj.bucket)) continue;  // cross-bucket copy
      ObjManifest g = ObjManifest::ForAtomicObject(m.obj, m.head_placement_rule, m.obj_size,
                                                   m.max_head_size, r0.stripe_max_size, m.prefix);
      g.tail_instance = m.tail_instance;  // a copy may keep its source's instance
      EXPECT_EQ(EncodeToString(g), EncodeToString(m));
      ++atomic;
      continue;
    }
    // Multipart: rebuild the parts from the rules and append them.
    ObjManifest built;
    for (auto it = m.rules.begin(); it != m.rules.end(); ++it) {
      auto next = std::next(it);
      uint64_t end = next == m.rules.end() ? m.obj_size : next->first;
      const ObjManifestRule& r = it->second;
      uint32_t part = r.start_part_num;
      for (uint64_t ofs = r.start_ofs; ofs < end; ofs += r.part_size, ++part) {
        uint64_t size = std::min(r.part_size, end - ofs);
        std::string pfx = r.override_prefix.empty() ? m.prefix : r.override_prefix;
        auto p = ObjManifest::ForMultipartPart(m.obj, m.tail_placement.placement_rule, pfx, part,
                                               size, r.stripe_max_size);
        ASSERT_TRUE(built.Append(p).ok());
      }
    }
    built.head_placement_rule = m.head_placement_rule;
    EXPECT_EQ(EncodeToString(built), EncodeToString(m));
    ++multipart;
  }
  EXPECT_GT(atomic, 5);
  EXPECT_GT(multipart, 0);
}

TEST(ManifestTest, RegularObjectStripes) {
  Obj head{Bucket{"", "b", "M", "M", {}}, ObjKey{"k", "", ""}};
  auto m = ObjManifest::ForAtomicObject(head, PlacementRule{"default-placement", ""},
                                        9u << 20, 4u << 20, 4u << 20, ".pfx_");
  auto s = m.Stripes();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].obj.GetOid(), "M_k");
  EXPECT_EQ(s[1].obj.GetOid(), "M__shadow_.pfx_1");
  EXPECT_EQ(s[2].obj.GetOid(), "M__shadow_.pfx_2");
  EXPECT_EQ(s[2].size, 1u << 20);
  EXPECT_TRUE(m.HasTail());

  head.key.instance = "v1";
  auto v = ObjManifest::ForAtomicObject(head, PlacementRule{"p", ""}, (4u << 20) + 7, 4u << 20,
                                        4u << 20, ".x_");
  EXPECT_EQ(v.Stripes()[1].obj.GetOid(), "M__shadow:v1_.x_1");
  EXPECT_TRUE(ObjManifest::ForAtomicObject(head, {}, 0, 4u << 20, 4u << 20, ".e_").Stripes().empty());
  EXPECT_EQ(ObjManifest::RandomTailPrefix().size(), 34u);
}

TEST(ManifestTest, MultipartAppendMergesEqualParts) {
  Obj target{Bucket{"", "b", "M", "M", {}}, ObjKey{"big", "", ""}};
  PlacementRule rule{"default-placement", ""};
  ObjManifest m;
  const uint64_t kMiB = 1 << 20;
  for (uint32_t p = 1; p <= 3; ++p) {
    ASSERT_TRUE(m.Append(ObjManifest::ForMultipartPart(target, rule, "big.2~u", p,
                                                       p < 3 ? 6 * kMiB : kMiB, 4 * kMiB))
                    .ok());
  }
  EXPECT_EQ(m.obj_size, 13 * kMiB);
  ASSERT_EQ(m.rules.size(), 2u);
  std::vector<std::string> oids;
  for (const auto& s : m.Stripes()) oids.push_back(s.obj.GetOid());
  EXPECT_EQ(oids, (std::vector<std::string>{"M__multipart_big.2~u.1", "M__shadow_big.2~u.1_1",
                                            "M__multipart_big.2~u.2", "M__shadow_big.2~u.2_1",
                                            "M__multipart_big.2~u.3"}));
  // A part written under a different prefix (upload-id collision) becomes an
  // override prefix rule.
  ASSERT_TRUE(m.Append(ObjManifest::ForMultipartPart(target, rule, "big.RANDOM", 4, kMiB, 4 * kMiB))
                  .ok());
  EXPECT_EQ(m.Stripes().back().obj.GetOid(), "M__multipart_big.RANDOM.4");
}

TEST(ManifestTest, LegacyExplicitManifestIterates) {
  Obj head{Bucket{"", "b", "M", "M", {}}, ObjKey{"k", "", ""}};
  ObjManifest m;
  m.explicit_objs = true;
  m.obj = head;
  m.obj_size = 30;
  m.head_size = 10;
  Obj t1 = head;
  t1.key.name = "t1";
  m.objs[0] = ObjManifestPart{head, 0, 10};
  m.objs[10] = ObjManifestPart{t1, 5, 20};
  std::string b = EncodeToString(m);
  ObjManifest back;
  ASSERT_TRUE(DecodeFromString(b, back).ok());
  auto s = back.Stripes();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].obj.key.name, "t1");
  EXPECT_EQ(s[1].loc_ofs, 5u);
  EXPECT_EQ(s[1].size, 20u);
}

}  // namespace
}  // namespace kelp::rgw
