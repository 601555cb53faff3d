// Golden test: every bucket-index shard written by radosgw 16.2.15 decodes,
// re-encodes to the same bytes, and decodes to what `radosgw-admin bi list`
// and `bucket stats` print. Walks the dump generically (no names, ids or
// shard counts assumed).
#include <gtest/gtest.h>

#include <cstdlib>

#include "store/cls/rgw/json.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/types.h"
#include "store/cls/testing/fixtures.h"

namespace kelp::store::cls::rgw {
namespace {

namespace fs = std::filesystem;
using testing::DumpedObject;

template <typename T>
void ExpectRoundTrip(const std::string& bytes, const std::string& what, T* out) {
  Decoder d(bytes);
  Decode(d, *out);
  ASSERT_TRUE(d.ok()) << what << ": " << d.status().ToString();
  EXPECT_TRUE(d.AtEnd()) << what << ": trailing bytes";
  EXPECT_EQ(testing::HexEncode(EncodeToString(*out)), testing::HexEncode(bytes)) << what;
}

std::vector<DumpedObject> IndexShards() {
  std::vector<DumpedObject> shards;
  for (auto& o : testing::LoadPool("default.rgw.buckets.index", "_default")) {
    if (o.oid.rfind(".dir.", 0) == 0) shards.push_back(std::move(o));
  }
  return shards;
}

TEST(RgwTypesGolden, EveryIndexHeaderAndEntryRoundTrips) {
  auto shards = IndexShards();
  ASSERT_FALSE(shards.empty());
  size_t plain = 0, instance = 0, olh = 0;
  for (const auto& s : shards) {
    ASSERT_TRUE(s.has_header) << s.oid;
    DirHeader h;
    ExpectRoundTrip(s.header, s.oid + " header", &h);
    for (const auto& [key, value] : s.omap) {
      std::string what = s.oid + " key " + testing::HexEncode(key);
      switch (IndexTypeOfKey(key)) {
        case kBiPlain: {
          DirEntry e;
          ExpectRoundTrip(value, what, &e);
          ObjKey k;
          uint64_t ver;
          ASSERT_TRUE(DecodeListIndexKey(key, &k, &ver)) << what;
          EXPECT_EQ(k.name, e.key.name) << what;
          if (e.key.instance.empty() && !(e.flags & DirEntry::kFlagVer)) {
            EXPECT_EQ(key, e.key.name) << what;
          } else if (!(e.flags & DirEntry::kFlagVerMarker)) {
            // Versioned list keys are rebuilt exactly from the entry.
            EXPECT_EQ(key, ListIndexKey(e.key.name, e.versioned_epoch, e.key.instance)) << what;
          }
          ++plain;
          break;
        }
        case kBiInstance: {
          DirEntry e;
          ExpectRoundTrip(value, what, &e);
          EXPECT_TRUE(key == InstanceKey(e.key) || key == InstanceKey(e.key, true)) << what;
          ++instance;
          break;
        }
        case kBiOlh: {
          OlhEntry e;
          ExpectRoundTrip(value, what, &e);
          EXPECT_EQ(key, OlhKey(e.key.name)) << what;
          ++olh;
          break;
        }
        default:
          ADD_FAILURE() << "unexpected key namespace " << what;
      }
    }
  }
  EXPECT_GT(plain, 0u);
  EXPECT_GT(instance, 0u);  // the dump has versioned buckets
  EXPECT_GT(olh, 0u);
}

// Buckets of decoded/bucket/* with the index shards of their bucket id.
struct BucketShards {
  std::string dir;
  nlohmann::json stats;
  std::map<int, DumpedObject> shards;  // shard number (-1 = unsharded)
};

std::vector<BucketShards> Buckets() {
  std::vector<BucketShards> out;
  auto shards = IndexShards();
  for (const auto& d : fs::directory_iterator(testing::PublicDir() + "/decoded/bucket")) {
    BucketShards b;
    b.dir = d.path().string();
    b.stats = testing::ParseAdminJson(d.path() / "stats.json");
    std::string base = ".dir." + b.stats["id"].get<std::string>();
    for (const auto& s : shards) {
      if (s.oid == base) {
        b.shards[-1] = s;
      } else if (s.oid.rfind(base + ".", 0) == 0) {
        b.shards[std::atoi(s.oid.c_str() + base.size() + 1)] = s;
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

TEST(RgwTypesGolden, EntriesMatchRadosgwAdminBiList) {
  auto buckets = Buckets();
  ASSERT_FALSE(buckets.empty());
  for (const auto& b : buckets) {
    ASSERT_FALSE(b.shards.empty()) << b.dir;
    nlohmann::json expected = testing::ParseAdminJson(fs::path(b.dir) / "bi_list.json");
    std::map<std::pair<std::string, std::string>, nlohmann::json> want;
    for (const auto& e : expected) {
      want[{e["type"].get<std::string>(), e["idx"].get<std::string>()}] = e;
    }
    size_t seen = 0;
    for (const auto& [n, s] : b.shards) {
      for (const auto& [key, value] : s.omap) {
        BiEntry be{static_cast<uint8_t>(IndexTypeOfKey(key)), key, value};
        auto j = BiEntryToJson(be);
        ASSERT_TRUE(j.ok()) << j.status().ToString();
        nlohmann::json got = testing::Normalize(*j);
        auto it = want.find({got["type"].get<std::string>(), got["idx"].get<std::string>()});
        ASSERT_NE(it, want.end()) << b.dir << " missing " << got.dump();
        EXPECT_EQ(got, it->second) << b.dir;
        ++seen;
      }
    }
    EXPECT_EQ(seen, want.size()) << b.dir;
  }
}

TEST(RgwTypesGolden, HeaderStatsMatchBucketStats) {
  for (const auto& b : Buckets()) {
    std::map<uint8_t, CategoryStats> sum;
    std::map<int, uint64_t> vers;
    for (const auto& [n, s] : b.shards) {
      DirHeader h;
      ASSERT_TRUE(DecodeFromString(s.header, h).ok());
      vers[n] = h.ver;
      for (const auto& [cat, st] : h.stats) {
        auto& t = sum[cat];
        t.num_entries += st.num_entries;
        t.total_size += st.total_size;
        t.total_size_rounded += st.total_size_rounded;
        t.actual_size += st.actual_size;
      }
    }
    const auto& usage = b.stats["usage"];
    size_t nonempty = 0;
    for (const auto& [cat, st] : sum) {
      std::string name = CategoryName(cat);
      ASSERT_TRUE(usage.contains(name)) << b.dir << " " << name;
      EXPECT_EQ(usage[name]["num_objects"].get<uint64_t>(), st.num_entries) << b.dir;
      EXPECT_EQ(usage[name]["size"].get<uint64_t>(), st.total_size) << b.dir;
      EXPECT_EQ(usage[name]["size_actual"].get<uint64_t>(), st.total_size_rounded) << b.dir;
      EXPECT_EQ(usage[name]["size_utilized"].get<uint64_t>(), st.actual_size) << b.dir;
      ++nonempty;
    }
    EXPECT_EQ(nonempty, usage.size()) << b.dir;
    // "ver": "0#4,1#5,..." lists each shard's header ver.
    std::string ver_str;
    for (const auto& [n, v] : vers) {
      if (!ver_str.empty()) ver_str += ",";
      ver_str += (n >= 0 ? std::to_string(n) + "#" : "") + std::to_string(v);
    }
    EXPECT_EQ(b.stats["ver"].get<std::string>(), ver_str) << b.dir;
  }
}

TEST(RgwKeys, DecreasingStrOrdersNewestFirst) {
  EXPECT_EQ(DecreasingStr(0), "915");
  EXPECT_EQ(DecreasingStr(4), "911");
  EXPECT_EQ(DecreasingStr(16), "8239");
  EXPECT_EQ(DecreasingStr(0x1000), "661439");
  EXPECT_EQ(DecreasingStr(0x10000), "54294901759");
  std::vector<uint64_t> vals = {1, 2, 15, 16, 255, 256, 4095, 4096, 65535, 65536, 1ull << 32};
  for (size_t i = 1; i < vals.size(); ++i) {
    EXPECT_LT(DecreasingStr(vals[i]), DecreasingStr(vals[i - 1])) << vals[i];
  }
}

TEST(RgwKeys, BilogAndInstanceKeys) {
  EXPECT_EQ(BilogKey(3, 17, 0), std::string("\x80" "0_00000000003.17.0"));
  EXPECT_EQ(InstanceKey({"a", "v1"}), std::string("\x80" "1000_a\0iv1", 11));
  EXPECT_EQ(InstanceKey({"a", ""}, true), std::string("\x80" "1000_a\0i\0d", 11));
  EXPECT_EQ(OlhKey("a"), std::string("\x80" "1001_a"));
  ObjKey k;
  uint64_t v;
  ASSERT_TRUE(DecodeListIndexKey(ListIndexKey("x/y", 7, "inst"), &k, &v));
  EXPECT_EQ(k, ObjKey("x/y", "inst"));
  EXPECT_EQ(v, 908u);  // the decreasing text, as upstream parses it
}

}  // namespace
}  // namespace kelp::store::cls::rgw
