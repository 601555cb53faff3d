// kelp-admin object put/get/rm, bucket list --bucket and bucket scan over an
// embedded store in a temp dir (RunAdmin as the binary runs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "admin/admin.h"
#include "api/gateway.h"
#include "base/crypto.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/object_reader.h"
#include "rgw/services.h"
#include "rgw/types/manifest.h"
#include "store/embedded/embedded_store.h"

namespace kelp::admin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RandomData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string Md5Hex(const std::string& data) {
  Hasher h(Hasher::Kind::kMd5);
  h.Update(data);
  return HexEncode(h.Finish());
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

struct Ran {
  int rc;
  std::string out, err;
  json j() const { return json::parse(out); }
};

class AdminObjectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kelp-admin-obj-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = store::embedded::OpenEmbeddedStore((dir_ / "store").string(), {.sync = false});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto gw = api::Gateway::Open(std::move(*store));
    ASSERT_TRUE(gw.ok()) << gw.status().ToString();
    gw_ = std::move(*gw);
    ASSERT_EQ(Admin({"user", "create", "--uid", "alice", "--display-name", "Alice"}).rc, 0);
    auto who = gw_->ActAs("alice");
    ASSERT_TRUE(who.ok());
    alice_.who = *who;
    ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "bkt"}).ok());
  }
  void TearDown() override {
    gw_.reset();
    fs::remove_all(dir_);
  }

  Ran Admin(const std::vector<std::string>& args, const std::string& stdin_data = "") {
    std::istringstream in(stdin_data);
    std::ostringstream out, err;
    int rc = RunAdmin(args, gw_->services(), in, out, err);
    return {rc, out.str(), err.str()};
  }

  void Put(const std::string& key, const std::string& data) {
    Ran r = Admin({"object", "put", "--bucket", "bkt", "--object", key, "--infile", "-"}, data);
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  rgw::LoadedBucket Bucket() {
    auto b = gw_->services().buckets().Get("", "bkt");
    EXPECT_TRUE(b.ok());
    return *b;
  }

  store::ObjectId HeadId(const std::string& key) {
    rgw::Obj obj{Bucket().info.bucket, rgw::ObjKey{key, "", ""}};
    return rgw::DataObjectId(gw_->services(), Bucket(), obj);
  }

  Status RemoveObject(const store::ObjectId& id) {
    store::WriteOp op;
    op.Remove();
    return gw_->store().Operate(id, op);
  }

  fs::path dir_;
  std::unique_ptr<api::Gateway> gw_;
  api::RequestContext alice_;
};

TEST_F(AdminObjectTest, PutGetRoundTripOfA9MiBObjectThroughFiles) {
  const std::string data = RandomData(9 << 20, 7);
  {
    std::ofstream f(dir_ / "in.bin", std::ios::binary);
    f.write(data.data(), data.size());
  }
  Ran put = Admin({"object", "put", "--bucket", "bkt", "--object", "big/one", "--infile",
                   (dir_ / "in.bin").string(), "--content-type", "application/x-test", "--metadata",
                   "color=blue", "--metadata", "X-Amz-Meta-Shape=round"});
  ASSERT_EQ(put.rc, 0) << put.err;
  EXPECT_EQ(put.j()["size"], data.size());
  EXPECT_EQ(put.j()["etag"], Md5Hex(data));

  Ran get = Admin({"object", "get", "--bucket", "bkt", "--object", "big/one", "--outfile",
                   (dir_ / "out.bin").string()});
  ASSERT_EQ(get.rc, 0) << get.err;
  EXPECT_TRUE(get.out.empty());
  EXPECT_TRUE(ReadFile(dir_ / "out.bin") == data);

  // The head holds 4 MiB, tails the rest; the stored headers are there.
  Ran stat = Admin({"object", "stat", "--bucket", "bkt", "--object", "big/one"});
  ASSERT_EQ(stat.rc, 0) << stat.err;
  EXPECT_EQ(stat.j()["size"], data.size());
  EXPECT_EQ(stat.j()["attrs"]["user.rgw.content_type"], "application/x-test");
  EXPECT_EQ(stat.j()["attrs"]["user.rgw.x-amz-meta-color"], "blue");
  EXPECT_EQ(stat.j()["attrs"]["user.rgw.x-amz-meta-shape"], "round");
  EXPECT_EQ(stat.j()["manifest"]["obj_size"], data.size());

  // Owned by the bucket owner when no --uid is given.
  Ran list = Admin({"bucket", "list", "--bucket", "bkt"});
  ASSERT_EQ(list.rc, 0);
  EXPECT_EQ(list.j()[0]["meta"]["owner"], "alice");
  EXPECT_EQ(list.j()[0]["meta"]["owner_display_name"], "Alice");
  EXPECT_EQ(list.j()[0]["meta"]["content_type"], "application/x-test");
}

TEST_F(AdminObjectTest, PutFromStdinGetToStdout) {
  Put("small", "hello, kelp\n");
  Ran get = Admin({"object", "get", "--bucket", "bkt", "--object", "small"});
  ASSERT_EQ(get.rc, 0) << get.err;
  EXPECT_EQ(get.out, "hello, kelp\n");
  Ran dash = Admin({"object", "get", "--bucket", "bkt", "--object", "small", "--outfile", "-"});
  EXPECT_EQ(dash.out, "hello, kelp\n");
  Put("empty", "");
  EXPECT_EQ(Admin({"object", "get", "--bucket", "bkt", "--object", "empty"}).out, "");
}

TEST_F(AdminObjectTest, ErrorsAreRadosgwAdminsExitCodes) {
  Ran r = Admin({"object", "put", "--bucket", "bkt", "--infile", "-"});
  EXPECT_EQ(r.rc, 22);
  EXPECT_EQ(r.err, "ERROR: object not specified\n");
  r = Admin({"object", "put", "--bucket", "bkt", "--object", "k"});
  EXPECT_EQ(r.rc, 22);
  r = Admin({"object", "get", "--object", "k"});
  EXPECT_EQ(r.rc, 22);
  EXPECT_EQ(r.err, "ERROR: bucket not specified\n");
  r = Admin({"object", "put", "--bucket", "nope", "--object", "k", "--infile", "-"}, "x");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "ERROR: could not init bucket: (2) No such file or directory\n");
  r = Admin({"object", "get", "--bucket", "bkt", "--object", "missing"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "ERROR: failed to read object: (2) No such file or directory\n");
  r = Admin({"object", "put", "--bucket", "bkt", "--object", "k", "--infile",
             (dir_ / "no-such-file").string()});
  EXPECT_EQ(r.rc, 2);
  r = Admin({"bucket", "list", "--bucket", "nope"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "ERROR: could not init bucket: (2) No such file or directory\n");
  // --uid acts as that user, with its permissions.
  ASSERT_EQ(Admin({"user", "create", "--uid", "bob", "--display-name", "Bob"}).rc, 0);
  r = Admin({"object", "put", "--bucket", "bkt", "--object", "k", "--infile", "-", "--uid", "bob"},
            "x");
  EXPECT_EQ(r.rc, 13) << r.err;  // EACCES
  // Inside kelpd (no stdin), data cannot stream: refused.
  std::ostringstream out, err;
  EXPECT_EQ(
      RunAdmin({"object", "get", "--bucket", "bkt", "--object", "k"}, gw_->services(), out, err),
      22);
  EXPECT_NE(err.str().find("cannot run inside kelpd's admin socket"), std::string::npos);
}

TEST_F(AdminObjectTest, RmRemovesAndReportsMissingObjects) {
  Put("doomed", RandomData(6 << 20, 3));
  ASSERT_EQ(Admin({"object", "rm", "--bucket", "bkt", "--object", "doomed"}).rc, 0);
  Ran stat = Admin({"object", "stat", "--bucket", "bkt", "--object", "doomed"});
  EXPECT_EQ(stat.rc, 2);
  Ran again = Admin({"object", "rm", "--bucket", "bkt", "--object", "doomed"});
  EXPECT_EQ(again.rc, 2);
  EXPECT_EQ(again.err, "ERROR: object remove returned: (2) No such file or directory\n");
  EXPECT_EQ(Admin({"object", "rm", "--bucket", "nope", "--object", "x"}).rc, 2);
  EXPECT_EQ(Admin({"bucket", "list", "--bucket", "bkt"}).j(), json::array());
  auto stats = Admin({"bucket", "stats", "--bucket", "bkt"}).j();
  EXPECT_EQ(stats["usage"]["rgw.main"]["num_objects"], 0);
  // The tails went with it: no data object of the bucket is left.
  Ran scan = Admin({"bucket", "scan", "--bucket", "bkt"});
  EXPECT_EQ(scan.rc, 0) << scan.out;
}

TEST_F(AdminObjectTest, BucketListPrintsIndexEntriesLikeRadosgwAdmin) {
  Put("a", "1");
  Put("_under", "22");
  Put("c", "333");
  Ran r = Admin({"bucket", "list", "--bucket", "bkt"});
  ASSERT_EQ(r.rc, 0) << r.err;
  // radosgw-admin's raw index names ("__under" for "_under"), in index order.
  auto j = nlohmann::ordered_json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  std::vector<std::string> names;
  for (const auto& e : j) names.push_back(e["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"__under", "a", "c"}));
  std::vector<std::string> keys, meta_keys;
  for (auto it = j[1].begin(); it != j[1].end(); ++it) keys.push_back(it.key());
  for (auto it = j[1]["meta"].begin(); it != j[1]["meta"].end(); ++it)
    meta_keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "instance", "ver", "locator", "exists", "meta",
                                            "tag", "flags", "pending_map", "versioned_epoch"}));
  EXPECT_EQ(meta_keys,
            (std::vector<std::string>{"category", "size", "mtime", "etag", "storage_class", "owner",
                                      "owner_display_name", "content_type", "accounted_size",
                                      "user_data", "appendable"}));
  EXPECT_EQ(j[1]["exists"], "true");
  EXPECT_EQ(j[1]["meta"]["size"], 1);
  EXPECT_EQ(j[1]["meta"]["etag"], Md5Hex("1"));
  EXPECT_EQ(j[0]["locator"], "_under");

  EXPECT_EQ(Admin({"bucket", "list", "--bucket", "bkt", "--max-entries", "2"}).j().size(), 2u);
  auto rest = Admin({"bucket", "list", "--bucket", "bkt", "--marker", "a"}).j();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0]["name"], "c");
}

// Builds a bucket with every kind of object, corrupts it through the
// ObjectStore, and checks what the scan reports and repairs.
TEST_F(AdminObjectTest, ScanFindsAndFixesCorruption) {
  const std::string big = RandomData(9 << 20, 11);
  Put("a", "alpha");
  Put("big", big);
  Put("c", "charlie");
  Put("d", "delta");
  // A completed multipart object (5 MiB + 1 MiB) and an unfinished upload.
  std::string mp_data = RandomData(6 << 20, 12);
  {
    auto id = gw_->CreateMultipartUpload(alice_, {.bucket = "bkt", .key = "mp"});
    ASSERT_TRUE(id.ok());
    std::vector<api::CompletedPart> parts;
    for (uint32_t n = 1; n <= 2; ++n) {
      auto up = gw_->UploadPart(alice_, "bkt", "mp", *id, n, {});
      ASSERT_TRUE(up.ok());
      std::string_view piece =
          std::string_view(mp_data).substr(n == 1 ? 0 : 5 << 20, n == 1 ? 5 << 20 : 1 << 20);
      ASSERT_TRUE((*up)->Write(piece).ok());
      auto res = (*up)->Complete();
      ASSERT_TRUE(res.ok()) << res.status().ToString();
      parts.push_back({n, res->etag});
    }
    ASSERT_TRUE(gw_->CompleteMultipartUpload(alice_, "bkt", "mp", *id, parts).ok());
    auto pending = gw_->CreateMultipartUpload(alice_, {.bucket = "bkt", .key = "unfinished"});
    ASSERT_TRUE(pending.ok());
    auto up = gw_->UploadPart(alice_, "bkt", "unfinished", *pending, 1, {});
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write(RandomData(5 << 20, 13)).ok());
    ASSERT_TRUE((*up)->Complete().ok());
  }

  Ran clean = Admin({"bucket", "scan", "--bucket", "bkt"});
  ASSERT_EQ(clean.rc, 0) << clean.out << clean.err;
  auto cj = nlohmann::ordered_json::parse(clean.out);
  std::vector<std::string> keys;
  for (auto it = cj.begin(); it != cj.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"bucket", "checked_entries", "dangling_entries",
                                      "orphan_heads", "orphan_tails", "mismatched", "fixed"}));
  EXPECT_EQ(cj["bucket"], "bkt");
  EXPECT_EQ(cj["checked_entries"], 7);  // a, big, c, d, mp + the upload's meta and part 1
  EXPECT_EQ(cj["fixed"], nlohmann::ordered_json::object());

  // --- corruption ---
  store::ObjectStore& st = gw_->store();
  ASSERT_TRUE(RemoveObject(HeadId("a")).ok());  // dangling entry
  auto big_head = rgw::ReadHead(gw_->services(), Bucket(), rgw::ObjKey{"big", "", ""});
  ASSERT_TRUE(big_head.ok() && big_head->manifest);
  std::string lost_tail;
  for (const auto& s : big_head->manifest->Stripes()) {
    if (!s.is_head) {
      lost_tail = s.obj.GetOid();
      break;
    }
  }
  ASSERT_FALSE(lost_tail.empty());
  store::ObjectId head_a = HeadId("a");
  ASSERT_TRUE(RemoveObject({head_a.pool, "", lost_tail, ""}).ok());  // missing tail
  const std::string marker = Bucket().info.bucket.marker;
  const std::string stray = marker + "__shadow_x";
  {
    store::WriteOp w;
    w.WriteFull("stray bytes");
    ASSERT_TRUE(st.Operate({head_a.pool, "", stray, ""}, w).ok());  // orphan tail
  }
  const std::string ghost_data = "a head nobody indexed";
  {
    // A head written like a write's, but never linked into the index.
    auto c_head = rgw::ReadHead(gw_->services(), Bucket(), rgw::ObjKey{"c", "", ""});
    ASSERT_TRUE(c_head.ok());
    rgw::Obj ghost{Bucket().info.bucket, rgw::ObjKey{"ghost", "", ""}};
    auto m =
        rgw::ObjManifest::ForAtomicObject(ghost, Bucket().info.placement_rule, ghost_data.size(),
                                          4 << 20, 4 << 20, rgw::ObjManifest::RandomTailPrefix());
    store::WriteOp w;
    w.Create(true).WriteFull(ghost_data);
    w.SetXattr("user.rgw.acl", c_head->attrs.at("user.rgw.acl"));
    w.SetXattr("user.rgw.etag", Md5Hex(ghost_data));
    w.SetXattr("user.rgw.idtag", std::string("ghost-tag") + '\0');
    w.SetXattr("user.rgw.manifest", EncodeToString(m));
    ASSERT_TRUE(st.Operate(HeadId("ghost"), w).ok());  // orphan head
  }
  {
    store::WriteOp w;  // index etag of "d" no longer agrees with its head
    w.SetXattr("user.rgw.etag", Md5Hex("DELTA"));
    ASSERT_TRUE(st.Operate(HeadId("d"), w).ok());
  }

  Ran found = Admin({"bucket", "scan", "--bucket", "bkt"});
  EXPECT_EQ(found.rc, 1);
  auto fj = found.j();
  ASSERT_EQ(fj["dangling_entries"].size(), 1u) << found.out;
  EXPECT_EQ(fj["dangling_entries"][0]["name"], "a");
  EXPECT_EQ(fj["dangling_entries"][0]["oid"], marker + "_a");
  ASSERT_EQ(fj["orphan_heads"].size(), 1u) << found.out;
  EXPECT_EQ(fj["orphan_heads"][0]["name"], "ghost");
  EXPECT_EQ(fj["orphan_heads"][0]["size"], ghost_data.size());
  ASSERT_EQ(fj["orphan_tails"].size(), 1u) << found.out;
  EXPECT_EQ(fj["orphan_tails"][0]["oid"], stray);
  ASSERT_EQ(fj["mismatched"].size(), 2u) << found.out;
  json missing, etag;
  for (const auto& m : fj["mismatched"]) (m["problem"] == "missing_tail" ? missing : etag) = m;
  EXPECT_EQ(missing["name"], "big");
  EXPECT_EQ(missing["oid"], lost_tail);
  EXPECT_EQ(missing["expected_size"], 4 << 20);
  EXPECT_EQ(etag["name"], "d");
  EXPECT_EQ(etag["problem"], "index_etag");
  EXPECT_EQ(etag["head"]["etag"], Md5Hex("DELTA"));

  // --fix with the default age guard: index repairs happen, young orphans stay.
  Ran guarded = Admin({"bucket", "scan", "--bucket", "bkt", "--fix"});
  EXPECT_EQ(guarded.rc, 1);
  auto gj = guarded.j()["fixed"];
  EXPECT_EQ(gj["removed_entries"], json::array({"a"})) << guarded.out;
  EXPECT_EQ(gj["updated_entries"], json::array({"d"}));
  EXPECT_EQ(gj["relinked_heads"], json::array());
  EXPECT_EQ(gj["removed_tails"], json::array());
  EXPECT_EQ(gj["not_fixed"].size(), 3u) << guarded.out;  // missing tail, ghost, stray

  Ran fixed = Admin({"bucket", "scan", "--bucket", "bkt", "--fix", "--min-age-seconds", "0"});
  EXPECT_EQ(fixed.rc, 1) << fixed.out;  // the lost tail cannot be repaired
  auto xj = fixed.j();
  EXPECT_TRUE(xj["dangling_entries"].empty());
  EXPECT_EQ(xj["fixed"]["relinked_heads"], json::array({"ghost"}));
  EXPECT_EQ(xj["fixed"]["removed_tails"], json::array({stray}));
  ASSERT_EQ(xj["fixed"]["not_fixed"].size(), 1u);
  EXPECT_EQ(xj["fixed"]["not_fixed"][0]["what"], "missing_tail");

  // The relinked head reads back through S3 like any object.
  Ran ghost = Admin({"object", "get", "--bucket", "bkt", "--object", "ghost"});
  EXPECT_EQ(ghost.out, ghost_data);
  auto listed = Admin({"bucket", "list", "--bucket", "bkt", "--marker", "g", "--max-entries", "1"});
  EXPECT_EQ(listed.j()[0]["meta"]["owner"], "alice");
  EXPECT_EQ(listed.j()[0]["meta"]["size"], ghost_data.size());

  // The broken object goes away with object rm; then the bucket is clean and
  // its stats count exactly what is left.
  ASSERT_EQ(Admin({"object", "rm", "--bucket", "bkt", "--object", "big"}).rc, 0);
  Ran rescan = Admin({"bucket", "scan", "--bucket", "bkt"});
  EXPECT_EQ(rescan.rc, 0) << rescan.out;
  auto stats = Admin({"bucket", "stats", "--bucket", "bkt"}).j();
  // c, d, ghost, mp and, as radosgw counts it, the unfinished upload's part.
  EXPECT_EQ(stats["usage"]["rgw.main"]["num_objects"], 5);
  EXPECT_EQ(stats["usage"]["rgw.main"]["size"], std::string("charlie").size() +
                                                    std::string("delta").size() +
                                                    ghost_data.size() + mp_data.size() + (5 << 20));
  EXPECT_EQ(stats["usage"]["rgw.multimeta"]["num_objects"], 1);  // the unfinished upload
}

// A head whose index entry is only prepared (a write in flight) is not an
// orphan; once the prepare is gone it is.
TEST_F(AdminObjectTest, ScanSparesHeadsOfWritesInFlight) {
  Put("c", "charlie");
  auto b = Bucket();
  rgw::BucketIndex index(gw_->store(), gw_->services().zone(), b);
  ASSERT_TRUE(index.Prepare({"inflight"}, "inflight", store::cls::rgw::kOpAdd, "tag1", "").ok());
  store::WriteOp w;
  w.WriteFull("data being written");
  ASSERT_TRUE(gw_->store().Operate(HeadId("inflight"), w).ok());
  Ran r = Admin({"bucket", "scan", "--bucket", "bkt"});
  EXPECT_EQ(r.rc, 0) << r.out;
  ASSERT_TRUE(index.Cancel({"inflight"}, "inflight", "tag1").ok());
  r = Admin({"bucket", "scan", "--bucket", "bkt"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.j()["orphan_heads"].size(), 1u) << r.out;
}

TEST_F(AdminObjectTest, ScanArguments) {
  EXPECT_EQ(Admin({"bucket", "scan"}).rc, 22);
  Ran r = Admin({"bucket", "scan", "--bucket", "nope"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "ERROR: could not init bucket: (2) No such file or directory\n");
}

}  // namespace
}  // namespace kelp::admin
