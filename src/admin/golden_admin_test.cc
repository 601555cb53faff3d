// Layout compatibility with radosgw 16.2.15: the golden RADOS dump is
// imported into an embedded store byte for byte, then read back with Kelp's
// services and kelp-admin commands and compared with radosgw-admin's own
// decodings of the same state (decoded/index.json lists them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "admin/admin.h"
#include "admin/import_dump.h"
#include "base/crypto.h"
#include "rgw/meta/sysobj.h"
#include "rgw/services.h"
#include "rgw/types/bucket_info.h"
#include "rgw/types/user_info.h"
#include "store/cls/testing/fixtures.h"
#include "store/embedded/embedded_store.h"

namespace kelp::admin {
namespace {

namespace fs = std::filesystem;
namespace fx = store::cls::testing;

fs::path Dump() { return fs::path(KELP_FIXTURES_DIR) / "public"; }

class GoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("kelp-golden-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    auto s = store::embedded::OpenEmbeddedStore(dir_->string(), {.sync = false});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = s->release();
    auto imported = ImportDump(*store_, Dump().string());
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    stats_ = new ImportStats(*imported);
    auto svc = rgw::Services::Init(*store_);
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    svc_ = svc->release();
    auto mtimes = RestoreHeadMtimes(*svc_);
    ASSERT_TRUE(mtimes.ok()) << mtimes.status().ToString();
    mtimes_ = *mtimes;
  }
  static void TearDownTestSuite() {
    delete svc_;
    delete store_;
    delete stats_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  // Runs a kelp-admin command; returns {rc, stdout}.
  static std::pair<int, std::string> Admin(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int rc = RunAdmin(args, *svc_, out, err);
    if (rc != 0) ADD_FAILURE() << "kelp-admin failed: " << err.str();
    return {rc, out.str()};
  }

  static fs::path* dir_;
  static store::ObjectStore* store_;
  static rgw::Services* svc_;
  static ImportStats* stats_;
  static size_t mtimes_;
};
size_t GoldenTest::mtimes_;
fs::path* GoldenTest::dir_;
store::ObjectStore* GoldenTest::store_;
rgw::Services* GoldenTest::svc_;
ImportStats* GoldenTest::stats_;

nlohmann::json Manifest() { return nlohmann::json::parse(fx::ReadAll(Dump() / "manifest.json")); }

TEST_F(GoldenTest, ImportIsByteExact) {
  auto m = Manifest();
  EXPECT_EQ(stats_->objects, m["object_count"].get<size_t>());
  for (const auto& o : m["objects"]) {
    store::ObjectId id{o["pool"], fx::HexDecode(o["namespace_hex"]), fx::HexDecode(o["oid_hex"]),
                       fx::HexDecode(o["locator_hex"])};
    std::string data, header;
    std::map<std::string, std::string> xattrs, omap;
    store::ReadOp op;
    op.Read(0, 0, &data)
        .GetXattrs(&xattrs)
        .OmapGetHeader(&header)
        .OmapGetVals("", "", 1 << 20, &omap);
    ASSERT_TRUE(store_->Operate(id, op).ok()) << id.ToString();
    EXPECT_EQ(HexEncode(Sha256(data)), o["sha256"].get<std::string>()) << id.ToString();
    EXPECT_EQ(xattrs.size(), o["xattrs"].size()) << id.ToString();
    for (const auto& x : o["xattrs"]) {
      EXPECT_EQ(HexEncode(Sha256(xattrs[fx::HexDecode(x["name_hex"])])), x["sha256"]);
    }
    EXPECT_EQ(header.size(), o["omap_header_size"].get<size_t>()) << id.ToString();
    std::string omap_stream;  // the manifest's omap_sha256 recipe
    for (const auto& [k, v] : omap) {
      uint64_t kl = k.size(), vl = v.size();
      omap_stream.append(reinterpret_cast<const char*>(&kl), 8).append(k);
      omap_stream.append(reinterpret_cast<const char*>(&vl), 8).append(v);
    }
    EXPECT_EQ(HexEncode(Sha256(omap_stream)), o["omap_sha256"].get<std::string>()) << id.ToString();
  }
}

// Every head object named by radosgw's `bucket list --bucket` gets the
// mtime its index entry records (what S3 shows as Last-Modified).
TEST_F(GoldenTest, HeadObjectsGetTheirIndexedMtimeBack) {
  size_t checked = 0;
  for (const auto& dir : fs::directory_iterator(Dump() / "decoded/bucket")) {
    std::string key = fx::HexDecode(dir.path().filename().string());
    auto slash = key.find('/');
    auto b = slash == std::string::npos
                 ? svc_->buckets().Get("", key)
                 : svc_->buckets().Get(key.substr(0, slash), key.substr(slash + 1));
    ASSERT_TRUE(b.ok()) << key;
    for (const auto& e : fx::ParseAdminJson(dir.path() / "list.json")) {
      rgw::Obj obj;
      obj.bucket = b->info.bucket;
      if (e["exists"] != "true" ||
          !rgw::ObjKey::ParseRawOid(e["name"].get<std::string>(), &obj.key) ||
          !obj.key.ns.empty()) {
        continue;
      }
      obj.key.instance = e["instance"];
      store::ObjectStat st;
      ASSERT_TRUE(store_
                      ->Operate({"default.rgw.buckets.data", "", obj.GetOid(), obj.GetLocator()},
                                store::ReadOp().Stat(&st))
                      .ok())
          << obj.GetOid();
      EXPECT_EQ(rgw::FormatTime(st.mtime), e["meta"]["mtime"].get<std::string>()) << obj.GetOid();
      ++checked;
    }
  }
  EXPECT_GT(checked, 30u);
  EXPECT_EQ(mtimes_, checked);
}

TEST_F(GoldenTest, ServicesUseTheImportedZone) {
  auto zone = nlohmann::json::parse(fx::ReadAll(Dump() / "decoded/global/zone_get.json"));
  auto zg = nlohmann::json::parse(fx::ReadAll(Dump() / "decoded/global/zonegroup_get.json"));
  EXPECT_EQ(svc_->zone().zone_id(), zone["id"].get<std::string>());
  EXPECT_EQ(svc_->zone().zonegroup().id(), zg["id"].get<std::string>());
  std::string next;
  auto root = store_->List(".rgw.root", "", "", 100, &next);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->size(), 4u);  // Init created no zone of its own
}

TEST_F(GoldenTest, UsersReadBackAndReencodeToTheSameBytes) {
  for (const auto& dir : fs::directory_iterator(Dump() / "decoded/user")) {
    rgw::User uid = rgw::User::FromString(fx::HexDecode(dir.path().filename().string()));
    auto user = svc_->users().Get(uid);
    ASSERT_TRUE(user.ok()) << uid.ToString() << ": " << user.status().ToString();
    auto want = nlohmann::json::parse(fx::ReadAll(dir.path() / "info.json"));
    EXPECT_EQ(rgw::ToJson(user->info), want) << uid.ToString();
    for (const auto& [id, key] : user->info.access_keys) {
      auto by_key = svc_->users().GetByAccessKey(id);
      ASSERT_TRUE(by_key.ok()) << id;
      EXPECT_EQ(by_key->info.user_id, uid);
    }
    if (!user->info.user_email.empty()) {
      EXPECT_EQ(svc_->users().GetByEmail(user->info.user_email)->info.user_id, uid);
    }
    auto raw = rgw::GetSysObj(*store_, {"default.rgw.meta", "users.uid", uid.ToString(), ""});
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(rgw::EncodeUserObject(user->info), raw->data) << uid.ToString();
  }
}

TEST_F(GoldenTest, BucketsReadBackAndReencodeToTheSameBytes) {
  auto list = svc_->buckets().List("", 0, nullptr);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 7u);
  for (const auto& key : *list) {
    auto slash = key.find('/');
    std::string tenant = slash == std::string::npos ? "" : key.substr(0, slash);
    std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
    auto b = svc_->buckets().Get(tenant, name);
    ASSERT_TRUE(b.ok()) << key << ": " << b.status().ToString();
    auto ep = rgw::GetSysObj(*store_, {"default.rgw.meta", "root", key, ""});
    ASSERT_TRUE(ep.ok());
    EXPECT_EQ(EncodeToString(b->entrypoint), ep->data) << key;
    auto inst = rgw::GetSysObj(
        *store_, {"default.rgw.meta", "root", rgw::BucketInstanceOid(b->info.bucket), ""});
    ASSERT_TRUE(inst.ok());
    EXPECT_EQ(EncodeToString(b->info), inst->data) << key;
    EXPECT_EQ(b->acl.owner.id, b->info.owner) << key;
    auto st = svc_->buckets().Stats(*b);
    ASSERT_TRUE(st.ok()) << key;
    EXPECT_EQ(st->shard_ver.size(), b->num_shards());
    // Golden buckets all hold objects.
    EXPECT_FALSE(*svc_->buckets().IsEmpty(*b)) << key;
  }
}

// Drops what cannot survive an import (object mtimes are not in a dump).
nlohmann::json Comparable(nlohmann::json j) {
  if (j.is_object()) j.erase("mtime");
  return fx::Normalize(j);
}

// Sorts arrays of strings / objects whose order is radosgw's hash order.
nlohmann::json SortedList(nlohmann::json j) {
  if (!j.is_array()) return j;
  std::vector<std::string> items;
  for (const auto& x : j) items.push_back(x.dump());
  std::sort(items.begin(), items.end());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : items) out.push_back(nlohmann::json::parse(s));
  return out;
}

TEST_F(GoldenTest, AdminCommandsPrintWhatRadosgwAdminPrinted) {
  auto index = nlohmann::json::parse(fx::ReadAll(Dump() / "decoded/index.json"));
  const std::set<std::vector<std::string>> supported = {
      {"user", "list"},    {"user", "info"},     {"bucket", "list"}, {"metadata", "list"},
      {"metadata", "get"}, {"bucket", "stats"},  {"bi", "list"},     {"object", "stat"},
      {"zone", "get"},     {"zonegroup", "get"}, {"user", "stats"}};
  int compared = 0;
  for (const auto& cmd : index["commands"]) {
    if (cmd["rc"] != 0 || cmd["file"].is_null()) continue;
    std::vector<std::string> argv = cmd["argv"];
    argv.erase(argv.begin());  // "radosgw-admin"
    if (argv.size() < 2 || !supported.count({argv[0], argv[1]})) continue;
    // "bucket list --bucket" lists index entries in key order: compare as is.
    bool ordered = argv[0] == "bucket" && argv[1] == "list" &&
                   std::find(argv.begin(), argv.end(), "--bucket") != argv.end();
    auto it = std::find(argv.begin(), argv.end(), "--max-entries");
    if (it != argv.end()) argv.erase(it, it + 2);
    std::string file = cmd["file"];
    auto want = fx::ParseAdminJson(Dump() / "decoded" / file);
    auto [rc, out] = Admin(argv);
    ASSERT_EQ(rc, 0) << file;
    auto got = nlohmann::json::parse(fx::EscapeInvalidUtf8(out), nullptr, false);
    ASSERT_FALSE(got.is_discarded()) << file << ":\n" << out;
    bool listing = (argv[1] == "list") && !ordered;
    if (listing) {
      EXPECT_EQ(SortedList(fx::Normalize(got)), SortedList(fx::Normalize(want)))
          << "kelp-admin " << ::testing::PrintToString(argv);
    } else {
      EXPECT_EQ(Comparable(got), Comparable(want))
          << "kelp-admin " << ::testing::PrintToString(argv);
    }
    ++compared;
  }
  EXPECT_GE(compared, 40);
}

TEST_F(GoldenTest, NewWritesRespectTheImportedState) {
  rgw::UserSpec spec;
  spec.uid = rgw::User::FromString("newcomer");
  spec.display_name = "New";
  spec.email = "tester@example.com";  // owned by the imported "tester"
  EXPECT_TRUE(svc_->users().Create(spec).status().Is(Code::kEmailExists));
  spec.email = "";
  auto user = svc_->users().Create(spec);
  ASSERT_TRUE(user.ok());
  rgw::CreateBucketSpec b;
  b.bucket.name = "plain-bucket";
  b.owner = spec.uid;
  EXPECT_TRUE(svc_->buckets().Create(b).status().Is(Code::kBucketAlreadyExists));
  b.bucket.name = "newcomer-bucket";
  auto created = svc_->buckets().Create(b);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->info.bucket.bucket_id.rfind(svc_->zone().zone_id() + ".", 0), 0u);
  EXPECT_EQ(created->info.zonegroup, svc_->zone().zonegroup().id());
}

// Objects of `pool` whose oid starts with `prefix`.
size_t CountObjects(store::ObjectStore& store, const std::string& pool, const std::string& prefix) {
  size_t n = 0;
  std::string cursor, next;
  do {
    auto list = store.List(pool, store::kAllNamespaces, cursor, 1000, &next);
    if (!list.ok()) return 0;
    for (const auto& e : *list) n += e.oid.rfind(prefix, 0) == 0;
    cursor = next;
  } while (!cursor.empty());
  return n;
}

// Data objects of a bucket that only radosgw's gc queue still refers to
// (tails of objects deleted before the dump): `radosgw-admin gc list`.
size_t GcOwnedTails(const std::string& marker) {
  auto gc = fx::ParseAdminJson(Dump() / "decoded/global/gc_list_include_all.json");
  size_t n = 0;
  for (const auto& entry : gc) {
    for (const auto& o : entry["objs"]) {
      n += o["oid"].get<std::string>().rfind(marker + "_", 0) == 0;
    }
  }
  return n;
}

// The scan on what radosgw 16.2.15 wrote (versions, OLHs, delete markers,
// multipart objects, a pending upload, copies sharing tails): every index
// entry has its head and tails, and the only unreferenced data objects are
// the tails radosgw's gc queue still holds.
TEST_F(GoldenTest, BucketScanFindsRadosgwsBucketsConsistent) {
  auto gc = fx::ParseAdminJson(Dump() / "decoded/global/gc_list_include_all.json");
  auto names = svc_->buckets().List("", 0, nullptr);
  ASSERT_TRUE(names.ok());
  size_t gc_tails = 0, scanned = 0;
  for (const auto& key : *names) {
    if (key == "newcomer-bucket") continue;  // NewWritesRespectTheImportedState's
    ++scanned;
    auto [rc, out] = [&] {
      std::ostringstream o, e;
      int r = RunAdmin({"bucket", "scan", "--bucket", key}, *svc_, o, e);
      return std::make_pair(r, o.str());
    }();
    auto j = nlohmann::json::parse(out);
    EXPECT_GT(j["checked_entries"].get<int>(), 0) << key;
    EXPECT_EQ(j["dangling_entries"], nlohmann::json::array()) << key;
    EXPECT_EQ(j["orphan_heads"], nlohmann::json::array()) << key;
    EXPECT_EQ(j["mismatched"], nlohmann::json::array()) << key;
    auto slash = key.find('/');
    auto b = slash == std::string::npos
                 ? svc_->buckets().Get("", key)
                 : svc_->buckets().Get(key.substr(0, slash), key.substr(slash + 1));
    ASSERT_TRUE(b.ok());
    std::set<std::string> want, got;
    for (const auto& entry : gc) {
      for (const auto& o : entry["objs"]) {
        std::string oid = o["oid"];
        if (oid.rfind(b->info.bucket.marker + "_", 0) == 0) want.insert(oid);
      }
    }
    for (const auto& t : j["orphan_tails"]) got.insert(t["oid"].get<std::string>());
    // Tails radosgw handed to its gc belong to gc: not orphans, the bucket is clean.
    for (const auto& oid : want) EXPECT_EQ(got.count(oid), 0u) << key << ": " << oid;
    EXPECT_TRUE(got.empty()) << key;
    EXPECT_EQ(rc, 0) << key;
    gc_tails += want.size();
  }
  EXPECT_EQ(scanned, 7u);
  EXPECT_GT(gc_tails, 0u);  // the dump does exercise the orphan side
}

// Runs last (tests of a suite run in order): it removes golden buckets.
TEST_F(GoldenTest, ZzPurgeRemovesEveryObjectOfTheBucketOnly) {
  const std::string data = "default.rgw.buckets.data", extra = "default.rgw.buckets.non-ec";
  size_t total = CountObjects(*store_, data, "");
  // plain-bucket: tails, multipart, a copy sharing tails, a pending upload;
  // versioned-bucket: versions, OLHs, delete markers.
  for (const std::string name : {"plain-bucket", "versioned-bucket"}) {
    auto b = svc_->buckets().Get("", name);
    ASSERT_TRUE(b.ok());
    std::string prefix = b->info.bucket.marker + "_";
    size_t mine = CountObjects(*store_, data, prefix);
    ASSERT_GT(mine, 0u) << name;
    std::ostringstream out, err;
    EXPECT_EQ(RunAdmin({"bucket", "rm", "--bucket", name}, *svc_, out, err), 39) << name;
    EXPECT_NE(err.str().find("could not remove non-empty bucket"), std::string::npos);
    ASSERT_EQ(RunAdmin({"bucket", "rm", "--bucket", name, "--purge-objects"}, *svc_, out, err), 0)
        << err.str();
    // What stays is what radosgw leaves to its gc: tails of objects deleted
    // before the dump, named by no manifest any more.
    size_t gc_owned = GcOwnedTails(b->info.bucket.marker);
    EXPECT_EQ(CountObjects(*store_, data, prefix), gc_owned) << name;
    EXPECT_EQ(CountObjects(*store_, extra, prefix), 0u) << name;
    EXPECT_EQ(
        CountObjects(*store_, "default.rgw.buckets.index", ".dir." + b->info.bucket.bucket_id), 0u);
    EXPECT_TRUE(svc_->buckets().Get("", name).status().Is(Code::kNoSuchBucket));
    total -= mine - gc_owned;
    EXPECT_EQ(CountObjects(*store_, data, ""), total) << "other buckets' objects must stay";
  }
  auto tester = svc_->users().ListBuckets(rgw::User::FromString("tester"), "", 100, nullptr);
  ASSERT_TRUE(tester.ok());
  for (const auto& e : *tester) {
    EXPECT_NE(e.bucket.name, "plain-bucket");
    EXPECT_NE(e.bucket.name, "versioned-bucket");
  }
}

}  // namespace
}  // namespace kelp::admin
