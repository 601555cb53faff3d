// Versioned buckets end to end over an embedded store: the S3 semantics and
// the RADOS layout radosgw 16.2 leaves (compared with the golden dump's
// versioned-bucket shapes).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "api/gateway.h"
#include "base/crypto.h"
#include "rgw/meta/zone_service.h"
#include "rgw/object/object_reader.h"
#include "rgw/services.h"
#include "rgw/types/olh.h"
#include "store/cls/rgw/keys.h"
#include "store/embedded/embedded_store.h"

namespace kelp::api {
namespace {

namespace clsrgw = ::kelp::store::cls::rgw;

class VersioningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kelp-ver-" + std::to_string(::getpid()) + "-" + RandomAlnum(6));
    auto store = store::embedded::OpenEmbeddedStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto gw = Gateway::Open(std::move(*store));
    ASSERT_TRUE(gw.ok()) << gw.status().ToString();
    gw_ = std::move(*gw);
    rgw::UserSpec spec;
    spec.uid.id = "alice";
    spec.display_name = "Alice A";
    ASSERT_TRUE(gw_->services().users().Create(spec).ok());
    alice_.who.anonymous = false;
    alice_.who.user.id = "alice";
    alice_.who.display_name = "Alice A";
  }
  void TearDown() override {
    gw_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<PutObjectResult> Put(const std::string& bucket, const std::string& key,
                              const std::string& data) {
    PutObjectRequest req;
    req.bucket = bucket;
    req.key = key;
    req.content_length = data.size();
    ASSIGN_OR_RETURN(auto up, gw_->PutObject(alice_, req));
    RETURN_IF_ERROR(up->Write(data));
    return up->Complete();
  }
  Result<std::string> Get(const std::string& bucket, const std::string& key,
                          const std::string& version_id = "") {
    GetObjectRequest req;
    req.bucket = bucket;
    req.key = key;
    req.version_id = version_id;
    ASSIGN_OR_RETURN(auto dl, gw_->GetObject(alice_, req));
    std::string out;
    for (;;) {
      ASSIGN_OR_RETURN(std::string chunk, dl->Read());
      if (chunk.empty()) break;
      out += chunk;
    }
    return out;
  }
  ListVersionsResult List(const std::string& bucket, ListVersionsRequest req = {}) {
    req.bucket = bucket;
    auto r = gw_->ListObjectVersions(alice_, req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ListVersionsResult{};
  }
  void MakeVersioned(const std::string& bucket) {
    ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = bucket}).ok());
    ASSERT_TRUE(gw_->PutBucketVersioning(alice_, bucket, "Enabled").ok());
  }
  std::shared_ptr<rgw::LoadedBucket> Load(const std::string& bucket) {
    auto b = gw_->services().buckets().Get("", bucket);
    EXPECT_TRUE(b.ok());
    return std::make_shared<rgw::LoadedBucket>(*b);
  }
  // Every omap entry of every index shard of `bucket`.
  std::map<std::string, std::string> IndexEntries(const std::string& bucket) {
    auto b = Load(bucket);
    std::map<std::string, std::string> all;
    for (uint32_t s = 0; s < std::max<uint32_t>(1, b->num_shards()); ++s) {
      std::map<std::string, std::string> kv;
      store::ReadOp op;
      op.OmapGetVals("", "", 10000, &kv);
      EXPECT_TRUE(gw_->store().Operate(b->IndexShard(gw_->services().zone(), s), op).ok());
      all.insert(kv.begin(), kv.end());
    }
    return all;
  }
  // The xattrs of a data-pool object of `bucket` (NotFound if absent).
  Result<std::map<std::string, std::string>> Xattrs(const std::string& bucket,
                                                    const rgw::ObjKey& key) {
    auto b = Load(bucket);
    rgw::Obj obj;
    obj.bucket = b->info.bucket;
    obj.key = key;
    std::map<std::string, std::string> attrs;
    store::ReadOp op;
    op.GetXattrs(&attrs);
    RETURN_IF_ERROR(gw_->store().Operate(rgw::DataObjectId(gw_->services(), *b, obj), op));
    return attrs;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Gateway> gw_;
  RequestContext alice_;
};

TEST_F(VersioningTest, PutBucketVersioningSetsFlags) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "ver-b"}).ok());
  EXPECT_EQ(*gw_->GetBucketVersioning(alice_, "ver-b"), "");
  ASSERT_TRUE(gw_->PutBucketVersioning(alice_, "ver-b", "Enabled").ok());
  EXPECT_EQ(*gw_->GetBucketVersioning(alice_, "ver-b"), "Enabled");
  EXPECT_EQ(Load("ver-b")->info.flags & 6, 2u);
  ASSERT_TRUE(gw_->PutBucketVersioning(alice_, "ver-b", "Suspended").ok());
  EXPECT_EQ(*gw_->GetBucketVersioning(alice_, "ver-b"), "Suspended");
  EXPECT_EQ(Load("ver-b")->info.flags & 6, 6u);  // VERSIONED | VERSIONS_SUSPENDED, as radosgw
  EXPECT_EQ(gw_->PutBucketVersioning(alice_, "ver-b", "On").code(), Code::kInvalidArgument);
  RequestContext anon;
  EXPECT_EQ(gw_->PutBucketVersioning(anon, "ver-b", "Enabled").code(), Code::kAccessDenied);
}

TEST_F(VersioningTest, VersionsDeleteMarkersAndRemoval) {
  MakeVersioned("ver-b");
  std::vector<std::string> ids;
  for (int i = 1; i <= 3; ++i) {
    auto r = Put("ver-b", "doc.txt", "content v" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->version_id.size(), 31u);  // radosgw's instance ids
    EXPECT_EQ(r->version_id.find('_'), std::string::npos);
    ids.push_back(r->version_id);
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ(*Get("ver-b", "doc.txt"), "content v3");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(*Get("ver-b", "doc.txt", ids[i]), "content v" + std::to_string(i + 1));

  auto l = List("ver-b");
  ASSERT_EQ(l.versions.size(), 3u);
  for (int i = 0; i < 3; ++i) {  // newest first
    EXPECT_EQ(l.versions[i].info.version_id, ids[2 - i]);
    EXPECT_EQ(l.versions[i].is_latest, i == 0);
    EXPECT_FALSE(l.versions[i].delete_marker);
    EXPECT_EQ(l.versions[i].info.etag, HexEncode(Md5("content v" + std::to_string(3 - i))));
    EXPECT_EQ(l.versions[i].info.size, 10u);
  }
  EXPECT_FALSE(l.truncated);

  // Plain DELETE: a delete marker becomes current.
  auto del = gw_->DeleteObject(alice_, "ver-b", "doc.txt", "");
  ASSERT_TRUE(del.ok()) << del.status().ToString();
  EXPECT_TRUE(del->delete_marker);
  EXPECT_EQ(del->version_id.size(), 31u);
  EXPECT_EQ(Get("ver-b", "doc.txt").status().code(), Code::kNoSuchKey);
  EXPECT_EQ(*Get("ver-b", "doc.txt", ids[1]), "content v2");  // versions survive
  l = List("ver-b");
  ASSERT_EQ(l.versions.size(), 4u);
  EXPECT_TRUE(l.versions[0].delete_marker);
  EXPECT_TRUE(l.versions[0].is_latest);
  EXPECT_EQ(l.versions[0].info.version_id, del->version_id);
  EXPECT_EQ(l.versions[0].info.owner.id, "alice");
  EXPECT_FALSE(l.versions[1].is_latest);
  // ListObjects hides the name.
  auto plain = gw_->ListObjects(alice_, {.bucket = "ver-b"});
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->objects.empty());
  // A second plain DELETE adds no second marker (cls_rgw refuses the link).
  auto del2 = gw_->DeleteObject(alice_, "ver-b", "doc.txt", "");
  ASSERT_TRUE(del2.ok());
  EXPECT_FALSE(del2->delete_marker);
  EXPECT_EQ(List("ver-b").versions.size(), 4u);

  // Deleting the marker by id: the newest version is current again.
  auto undel = gw_->DeleteObject(alice_, "ver-b", "doc.txt", del->version_id);
  ASSERT_TRUE(undel.ok()) << undel.status().ToString();
  EXPECT_TRUE(undel->delete_marker);
  EXPECT_EQ(*Get("ver-b", "doc.txt"), "content v3");
  // Deleting the current version by id: the previous one takes over and
  // the removed version's head object is gone.
  ASSERT_TRUE(gw_->DeleteObject(alice_, "ver-b", "doc.txt", ids[2]).ok());
  EXPECT_EQ(*Get("ver-b", "doc.txt"), "content v2");
  EXPECT_EQ(Get("ver-b", "doc.txt", ids[2]).status().code(), Code::kNoSuchKey);
  rgw::ObjKey gone{"doc.txt", ids[2], ""};
  EXPECT_TRUE(Xattrs("ver-b", gone).status().IsNotFound());
  l = List("ver-b");
  ASSERT_EQ(l.versions.size(), 2u);
  EXPECT_TRUE(l.versions[0].is_latest);
  EXPECT_EQ(l.versions[0].info.version_id, ids[1]);
  // Deleting an older version keeps the current one.
  ASSERT_TRUE(gw_->DeleteObject(alice_, "ver-b", "doc.txt", ids[0]).ok());
  EXPECT_EQ(*Get("ver-b", "doc.txt"), "content v2");
  // A version id that does not exist: nothing happens (radosgw: 204).
  auto none = gw_->DeleteObject(alice_, "ver-b", "doc.txt", "nosuchversionxxxxxxxxxxxxxxxxxx");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*Get("ver-b", "doc.txt"), "content v2");
  // The last version: the OLH object and every index entry go, and the
  // bucket can be removed.
  ASSERT_TRUE(gw_->DeleteObject(alice_, "ver-b", "doc.txt", ids[1]).ok());
  EXPECT_EQ(Get("ver-b", "doc.txt").status().code(), Code::kNoSuchKey);
  EXPECT_TRUE(List("ver-b").versions.empty());
  EXPECT_TRUE(Xattrs("ver-b", rgw::ObjKey{"doc.txt", "", ""}).status().IsNotFound());
  for (const auto& [k, v] : IndexEntries("ver-b")) {
    EXPECT_FALSE(clsrgw::IsPlainKey(k) || k.rfind(clsrgw::InstancePrefix(), 0) == 0 ||
                 k.rfind(clsrgw::OlhPrefix(), 0) == 0)
        << "left over: " << HexEncode(k);
  }
  EXPECT_TRUE(gw_->DeleteBucket(alice_, "ver-b").ok());
}

TEST_F(VersioningTest, SuspendedWritesTheNullVersion) {
  MakeVersioned("susp-b");
  auto v1 = Put("susp-b", "state.txt", "v1 enabled");
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(gw_->PutBucketVersioning(alice_, "susp-b", "Suspended").ok());
  auto n1 = Put("susp-b", "state.txt", "null one");
  ASSERT_TRUE(n1.ok()) << n1.status().ToString();
  EXPECT_EQ(n1->version_id, "");  // radosgw returns no version id when suspended
  EXPECT_EQ(*Get("susp-b", "state.txt"), "null one");
  EXPECT_EQ(*Get("susp-b", "state.txt", "null"), "null one");
  EXPECT_EQ(*Get("susp-b", "state.txt", v1->version_id), "v1 enabled");
  auto n2 = Put("susp-b", "state.txt", "null two");  // replaces the null version
  ASSERT_TRUE(n2.ok());
  auto l = List("susp-b");
  ASSERT_EQ(l.versions.size(), 2u);
  EXPECT_EQ(l.versions[0].info.version_id, "null");
  EXPECT_TRUE(l.versions[0].is_latest);
  EXPECT_EQ(l.versions[0].info.etag, HexEncode(Md5("null two")));
  EXPECT_EQ(l.versions[1].info.version_id, v1->version_id);
  // The null version shares the plain head with the OLH (golden dump:
  // data + head xattrs + user.rgw.olh.*), and the OLH targets instance "".
  auto attrs = Xattrs("susp-b", rgw::ObjKey{"state.txt", "", ""});
  ASSERT_TRUE(attrs.ok());
  EXPECT_TRUE(attrs->count("user.rgw.etag"));
  EXPECT_TRUE(attrs->count("user.rgw.manifest"));
  rgw::OlhInfo info;
  ASSERT_TRUE(DecodeFromString(attrs->at("user.rgw.olh.info"), info).ok());
  EXPECT_EQ(info.target.key.name, "state.txt");
  EXPECT_EQ(info.target.key.instance, "");
  EXPECT_FALSE(info.removed);
  // Index shape of the golden suspended-versioning-bucket: the plain key is
  // a version marker, the null version has list key "<key>\0v<n>\0i" and
  // instance key "\x801000_<key>\0i", current (flags 3).
  {
    auto idx = IndexEntries("susp-b");
    clsrgw::DirEntry plain, null_inst;
    ASSERT_TRUE(idx.count("state.txt"));
    ASSERT_TRUE(DecodeFromString(idx.at("state.txt"), plain).ok());
    EXPECT_EQ(plain.flags, clsrgw::DirEntry::kFlagVerMarker);
    EXPECT_FALSE(plain.exists);
    std::string inst_key = clsrgw::InstanceKey(clsrgw::ObjKey("state.txt", ""));
    ASSERT_TRUE(idx.count(inst_key));
    ASSERT_TRUE(DecodeFromString(idx.at(inst_key), null_inst).ok());
    EXPECT_EQ(null_inst.flags, 3);
    EXPECT_TRUE(null_inst.exists);
    EXPECT_EQ(null_inst.meta.size, 8u);  // "null two"
    EXPECT_TRUE(idx.count(clsrgw::ListIndexKey("state.txt", null_inst.versioned_epoch, "")));
  }
  // DELETE while suspended: a null delete marker replaces the null version.
  auto del = gw_->DeleteObject(alice_, "susp-b", "state.txt", "");
  ASSERT_TRUE(del.ok()) << del.status().ToString();
  EXPECT_TRUE(del->delete_marker);
  EXPECT_EQ(del->version_id, "null");
  EXPECT_EQ(Get("susp-b", "state.txt").status().code(), Code::kNoSuchKey);
  l = List("susp-b");
  ASSERT_EQ(l.versions.size(), 2u);
  EXPECT_TRUE(l.versions[0].delete_marker);
  EXPECT_EQ(l.versions[0].info.version_id, "null");
  // Removing the null marker by id: v1 is current again.
  ASSERT_TRUE(gw_->DeleteObject(alice_, "susp-b", "state.txt", "null").ok());
  EXPECT_EQ(*Get("susp-b", "state.txt"), "v1 enabled");
  // A key never versioned in a suspended bucket is a plain write.
  ASSERT_TRUE(Put("susp-b", "plain.txt", "p").ok());
  EXPECT_EQ(*Get("susp-b", "plain.txt"), "p");
  EXPECT_FALSE(Xattrs("susp-b", rgw::ObjKey{"plain.txt", "", ""})->count("user.rgw.olh.info"));
}

TEST_F(VersioningTest, ObjectFromBeforeVersioningBecomesTheNullVersion) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "pre-b"}).ok());
  ASSERT_TRUE(Put("pre-b", "old.txt", "before").ok());
  ASSERT_TRUE(gw_->PutBucketVersioning(alice_, "pre-b", "Enabled").ok());
  auto l = List("pre-b");
  ASSERT_EQ(l.versions.size(), 1u);
  EXPECT_EQ(l.versions[0].info.version_id, "null");
  EXPECT_TRUE(l.versions[0].is_latest);
  auto v = Put("pre-b", "old.txt", "after");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*Get("pre-b", "old.txt"), "after");
  EXPECT_EQ(*Get("pre-b", "old.txt", "null"), "before");
  l = List("pre-b");
  ASSERT_EQ(l.versions.size(), 2u);
  EXPECT_EQ(l.versions[0].info.version_id, v->version_id);
  EXPECT_EQ(l.versions[1].info.version_id, "null");
  EXPECT_FALSE(l.versions[1].is_latest);
  ASSERT_TRUE(gw_->DeleteObject(alice_, "pre-b", "old.txt", v->version_id).ok());
  EXPECT_EQ(*Get("pre-b", "old.txt"), "before");
}

TEST_F(VersioningTest, ListingPagesPrefixesAndMarkers) {
  MakeVersioned("list-b");
  std::map<std::string, std::vector<std::string>> ids;  // key -> ids, oldest first
  for (const std::string key : {"a", "b/1", "b/2", "c", "_under"}) {
    for (int i = 0; i < 3; ++i) {
      auto r = Put("list-b", key, key + std::to_string(i));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ids[key].push_back(r->version_id);
    }
  }
  // Everything, in key order, newest first per key.
  std::vector<std::pair<std::string, std::string>> want;
  for (auto& [k, v] : ids) {
    for (auto it = v.rbegin(); it != v.rend(); ++it) want.emplace_back(k, *it);
  }
  auto all = List("list-b");
  ASSERT_EQ(all.versions.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(all.versions[i].info.key, want[i].first);
    EXPECT_EQ(all.versions[i].info.version_id, want[i].second);
  }
  // Pages of 2 through the markers give the same sequence.
  std::vector<std::pair<std::string, std::string>> got;
  ListVersionsRequest req;
  req.max_keys = 2;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = List("list-b", req);
    for (auto& v : page.versions) got.emplace_back(v.info.key, v.info.version_id);
    if (!page.truncated) break;
    EXPECT_EQ(page.versions.size(), 2u);
    req.key_marker = page.next_key_marker;
    req.version_id_marker = page.next_version_id_marker;
  }
  EXPECT_EQ(got, want);
  // Delimiter folds "b/" into one common prefix.
  ListVersionsRequest d;
  d.delimiter = "/";
  auto folded = List("list-b", d);
  ASSERT_EQ(folded.common_prefixes, std::vector<std::string>{"b/"});
  EXPECT_EQ(folded.versions.size(), 9u);
  // A key marker without a version marker: radosgw 16.2 lists the marker
  // key's own versions again (seen on a real cluster), and so do we.
  ListVersionsRequest p;
  p.prefix = "b/";
  p.key_marker = "b/1";
  auto after = List("list-b", p);
  ASSERT_EQ(after.versions.size(), 6u);
  EXPECT_EQ(after.versions[0].info.key, "b/1");
  p.key_marker = "b/2";
  p.version_id_marker = ids["b/2"][1];  // the middle version: only the oldest follows
  after = List("list-b", p);
  ASSERT_EQ(after.versions.size(), 1u);
  EXPECT_EQ(after.versions[0].info.version_id, ids["b/2"][0]);
}

// The layout our writes leave, against what radosgw 16.2.15 left in the
// golden dump's versioned-bucket (see the fixture README): OLH object with
// only idtag/olh.idtag/olh.info/olh.ver, version heads "<marker>__:<id>_<key>",
// index entries plain ver-marker (flags 8), list + instance entries
// (flags 1, current 3, delete marker 7) and the OLH entry.
TEST_F(VersioningTest, CopyAndMultipartCompleteMakeNewVersions) {
  MakeVersioned("vbk");
  auto v1 = Put("vbk", "obj", "first");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();

  // CopyObject onto the same key (metadata replaced) and onto a new key.
  CopyObjectRequest cp;
  cp.src_bucket = "vbk";
  cp.src_key = "obj";
  cp.dst_bucket = "vbk";
  cp.dst_key = "obj";
  cp.directive = MetadataDirective::kReplace;
  cp.metadata["m"] = "copied";
  auto c1 = gw_->CopyObject(alice_, cp);
  ASSERT_TRUE(c1.ok()) << c1.status().ToString();
  EXPECT_EQ(c1->version_id.size(), 31u);
  EXPECT_NE(c1->version_id, v1->version_id);
  cp.dst_key = "copy";
  cp.src_version_id = v1->version_id;
  auto c2 = gw_->CopyObject(alice_, cp);
  ASSERT_TRUE(c2.ok()) << c2.status().ToString();

  // A multipart upload of two parts (5 MiB + 1 B) completes as a new version of "obj".
  PutObjectRequest init;
  init.bucket = "vbk";
  init.key = "obj";
  auto upload_id = gw_->CreateMultipartUpload(alice_, init);
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().ToString();
  std::vector<CompletedPart> parts;
  std::string whole;
  for (uint32_t n = 1; n <= 2; ++n) {
    std::string data = n == 1 ? std::string(5u << 20, 'p') : std::string("q");
    PutObjectRequest body;
    body.bucket = "vbk";
    body.key = "obj";
    body.content_length = data.size();
    auto up = gw_->UploadPart(alice_, "vbk", "obj", *upload_id, n, body);
    ASSERT_TRUE(up.ok()) << up.status().ToString();
    ASSERT_TRUE((*up)->Write(data).ok());
    auto r = (*up)->Complete();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    parts.push_back({n, r->etag});
    whole += data;
  }
  auto done = gw_->CompleteMultipartUpload(alice_, "vbk", "obj", *upload_id, parts);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->version_id.size(), 31u);

  // Every version is there, newest first, and readable by id.
  auto listed = List("vbk");
  std::vector<std::string> obj_versions;
  for (const auto& v : listed.versions) {
    if (v.info.key == "obj") obj_versions.push_back(v.info.version_id);
  }
  EXPECT_EQ(obj_versions,
            (std::vector<std::string>{done->version_id, c1->version_id, v1->version_id}));
  auto latest = Get("vbk", "obj");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_TRUE(*latest == whole);
  EXPECT_EQ(*Get("vbk", "obj", c1->version_id), "first");
  EXPECT_EQ(*Get("vbk", "obj", v1->version_id), "first");
  EXPECT_EQ(*Get("vbk", "copy"), "first");

  // Deleting the multipart version makes the copy current again.
  ASSERT_TRUE(gw_->DeleteObject(alice_, "vbk", "obj", done->version_id).ok());
  GetObjectRequest get;
  get.bucket = "vbk";
  get.key = "obj";
  auto head = gw_->GetObject(alice_, get);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ((*head)->info().metadata.at("m"), "copied");
  EXPECT_EQ((*head)->info().version_id, c1->version_id);
}

TEST_F(VersioningTest, SuspendedCopyAndCompleteReplaceTheNullVersion) {
  MakeVersioned("sbk");
  auto v1 = Put("sbk", "k", "versioned");
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(gw_->PutBucketVersioning(alice_, "sbk", "Suspended").ok());
  ASSERT_TRUE(Put("sbk", "src", "source").ok());
  CopyObjectRequest cp;
  cp.src_bucket = "sbk";
  cp.src_key = "src";
  cp.dst_bucket = "sbk";
  cp.dst_key = "k";
  auto c = gw_->CopyObject(alice_, cp);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->version_id, "");
  EXPECT_EQ(*Get("sbk", "k"), "source");
  EXPECT_EQ(*Get("sbk", "k", "null"), "source");
  EXPECT_EQ(*Get("sbk", "k", v1->version_id), "versioned");

  PutObjectRequest init;
  init.bucket = "sbk";
  init.key = "k";
  auto upload_id = gw_->CreateMultipartUpload(alice_, init);
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().ToString();
  PutObjectRequest body;
  body.bucket = "sbk";
  body.key = "k";
  body.content_length = 3;
  auto up = gw_->UploadPart(alice_, "sbk", "k", *upload_id, 1, body);
  ASSERT_TRUE(up.ok());
  ASSERT_TRUE((*up)->Write("mpu").ok());
  auto part = (*up)->Complete();
  ASSERT_TRUE(part.ok());
  auto done = gw_->CompleteMultipartUpload(alice_, "sbk", "k", *upload_id, {{1, part->etag}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(*Get("sbk", "k", "null"), "mpu");
  size_t nulls = 0, all = 0;
  for (const auto& v : List("sbk").versions) {
    if (v.info.key != "k") continue;
    ++all;
    if (v.info.version_id == "null") ++nulls;
  }
  EXPECT_EQ(nulls, 1u);  // replaced, not added
  EXPECT_EQ(all, 2u);
}

TEST_F(VersioningTest, LayoutMatchesRadosgw) {
  MakeVersioned("gold-b");
  auto v1 = Put("gold-b", "doc.txt", "first version");
  auto v2 = Put("gold-b", "doc.txt", "second version!");
  ASSERT_TRUE(v1.ok() && v2.ok());
  auto dm = gw_->DeleteObject(alice_, "gold-b", "doc.txt", "");
  ASSERT_TRUE(dm.ok());

  auto olh = Xattrs("gold-b", rgw::ObjKey{"doc.txt", "", ""});
  ASSERT_TRUE(olh.ok());
  std::set<std::string> names;
  for (auto& [k, v] : *olh) names.insert(k);
  EXPECT_EQ(names, (std::set<std::string>{"user.rgw.idtag", "user.rgw.olh.idtag",
                                          "user.rgw.olh.info", "user.rgw.olh.ver"}));
  for (const char* tag : {"user.rgw.idtag", "user.rgw.olh.idtag"}) {
    const std::string& t = olh->at(tag);
    EXPECT_EQ(t.size(), 32u);  // gen_rand_alphanumeric_lower(32), no NUL
    EXPECT_EQ(t.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz"), std::string::npos);
  }
  EXPECT_EQ(olh->at("user.rgw.olh.ver"), "4");  // epochs 2, 3, 4 as in the dump
  rgw::OlhInfo info;
  ASSERT_TRUE(DecodeFromString(olh->at("user.rgw.olh.info"), info).ok());
  EXPECT_EQ(info.target.key.instance, dm->version_id);
  EXPECT_TRUE(info.removed);
  EXPECT_EQ(info.target.bucket, Load("gold-b")->info.bucket);

  // Version heads: "<marker>__:<id>_doc.txt" with the usual head xattrs.
  auto b = Load("gold-b");
  rgw::Obj inst;
  inst.bucket = b->info.bucket;
  inst.key = rgw::ObjKey{"doc.txt", v1->version_id, ""};
  EXPECT_EQ(inst.GetOid(), b->info.bucket.marker + "__:" + v1->version_id + "_doc.txt");
  auto head = Xattrs("gold-b", inst.key);
  ASSERT_TRUE(head.ok());
  for (const char* a : {"user.rgw.acl", "user.rgw.etag", "user.rgw.idtag", "user.rgw.manifest",
                        "user.rgw.pg_ver", "user.rgw.source_zone", "user.rgw.tail_tag"}) {
    EXPECT_TRUE(head->count(a)) << a;
  }
  EXPECT_FALSE(head->count("user.rgw.olh.info"));

  // Index entries.
  std::map<std::string, clsrgw::DirEntry> plain;
  clsrgw::OlhEntry olh_entry;
  int instances = 0;
  for (const auto& [k, v] : IndexEntries("gold-b")) {
    if (k.rfind(clsrgw::OlhPrefix(), 0) == 0) {
      ASSERT_TRUE(DecodeFromString(v, olh_entry).ok());
    } else if (k.rfind(clsrgw::InstancePrefix(), 0) == 0) {
      ++instances;
    } else if (clsrgw::IsPlainKey(k)) {
      ASSERT_TRUE(DecodeFromString(v, plain[k]).ok());
    }
  }
  EXPECT_EQ(instances, 3);
  ASSERT_EQ(plain.size(), 4u);  // ver marker + 3 list entries
  EXPECT_EQ(plain.at("doc.txt").flags, clsrgw::DirEntry::kFlagVerMarker);
  EXPECT_FALSE(plain.at("doc.txt").exists);
  auto list_key = [](const std::string& inst, uint64_t epoch) {
    return clsrgw::ListIndexKey("doc.txt", epoch, inst);
  };
  ASSERT_TRUE(plain.count(list_key(v1->version_id, 2)));
  ASSERT_TRUE(plain.count(list_key(v2->version_id, 3)));
  ASSERT_TRUE(plain.count(list_key(dm->version_id, 4)));
  EXPECT_EQ(plain.at(list_key(v1->version_id, 2)).flags, 1);
  EXPECT_EQ(plain.at(list_key(v2->version_id, 3)).flags, 1);
  const auto& marker = plain.at(list_key(dm->version_id, 4));
  EXPECT_EQ(marker.flags, 7);
  EXPECT_EQ(marker.tag, "delete-marker");
  EXPECT_EQ(marker.meta.owner, "alice");
  EXPECT_EQ(marker.meta.owner_display_name, "Alice A");
  EXPECT_EQ(plain.at(list_key(v2->version_id, 3)).meta.category, clsrgw::kCategoryMain);
  EXPECT_EQ(olh_entry.key.instance, dm->version_id);
  EXPECT_TRUE(olh_entry.delete_marker);
  EXPECT_EQ(olh_entry.epoch, 4u);
  EXPECT_TRUE(olh_entry.pending_log.empty());  // trimmed
  EXPECT_EQ(olh_entry.tag, olh->at("user.rgw.olh.idtag"));
  EXPECT_TRUE(olh_entry.exists);
}

}  // namespace
}  // namespace kelp::api
