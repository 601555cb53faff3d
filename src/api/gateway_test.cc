// Gateway end to end on a real embedded store in a temp dir: the S3
// semantics without HTTP.
#include "api/gateway.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "base/crypto.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"

namespace kelp::api {
namespace {

std::string RandomData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kelp-gw-" + std::to_string(::getpid()) + "-" + RandomAlnum(6));
    auto store = store::embedded::OpenEmbeddedStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto gw = Gateway::Open(std::move(*store));
    ASSERT_TRUE(gw.ok()) << gw.status().ToString();
    gw_ = std::move(*gw);
    alice_ = MakeUser("alice");
    bob_ = MakeUser("bob");
  }
  void TearDown() override {
    gw_.reset();
    std::filesystem::remove_all(dir_);
  }

  RequestContext MakeUser(const std::string& uid) {
    rgw::UserSpec spec;
    spec.uid.id = uid;
    spec.display_name = uid + " display";
    auto u = gw_->services().users().Create(spec);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    RequestContext ctx;
    ctx.who.anonymous = false;
    ctx.who.user.id = uid;
    ctx.who.display_name = spec.display_name;
    return ctx;
  }

  Status Put(const RequestContext& ctx, const std::string& bucket, const std::string& key,
             const std::string& data, PutObjectRequest req = {}) {
    req.bucket = bucket;
    req.key = key;
    req.content_length = data.size();
    auto up = gw_->PutObject(ctx, req);
    if (!up.ok()) return up.status();
    // Feed in odd-sized chunks to exercise stripe boundaries.
    size_t pos = 0, step = 1000003;
    while (pos < data.size()) {
      size_t n = std::min(step, data.size() - pos);
      RETURN_IF_ERROR((*up)->Write(std::string_view(data).substr(pos, n)));
      pos += n;
    }
    auto res = (*up)->Complete();
    return res.ok() ? Status::OK() : res.status();
  }

  Result<std::string> Get(const RequestContext& ctx, const std::string& bucket,
                          const std::string& key, std::optional<ByteRange> range = {}) {
    GetObjectRequest req;
    req.bucket = bucket;
    req.key = key;
    req.range = range;
    ASSIGN_OR_RETURN(auto dl, gw_->GetObject(ctx, req));
    std::string out;
    while (true) {
      ASSIGN_OR_RETURN(std::string chunk, dl->Read());
      if (chunk.empty()) break;
      out += chunk;
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Gateway> gw_;
  RequestContext alice_, bob_;
};

TEST_F(GatewayTest, PutGetSizesAcrossStripeBoundaries) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "sizes"}).ok());
  const uint64_t MiB = 1 << 20;
  for (uint64_t size : std::vector<uint64_t>{0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 9 * MiB}) {
    std::string key = "obj-" + std::to_string(size);
    std::string data = RandomData(size, static_cast<uint32_t>(size));
    ASSERT_TRUE(Put(alice_, "sizes", key, data).ok()) << key;
    auto got = Get(alice_, "sizes", key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->size(), data.size());
    EXPECT_TRUE(*got == data) << key;
  }
  // Range across the head/tail boundary.
  std::string data = RandomData(9 * MiB, static_cast<uint32_t>(9 * MiB));
  auto part = Get(alice_, "sizes", "obj-" + std::to_string(9 * MiB),
                  ByteRange{4 * MiB - 10, 4 * MiB + 9, std::nullopt});
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(*part, data.substr(4 * MiB - 10, 20));
  auto suffix = Get(alice_, "sizes", "obj-" + std::to_string(9 * MiB),
                    ByteRange{std::nullopt, std::nullopt, 500});
  ASSERT_TRUE(suffix.ok());
  EXPECT_EQ(*suffix, data.substr(data.size() - 500));
  auto bad = Get(alice_, "sizes", "obj-1", ByteRange{5, std::nullopt, std::nullopt});
  EXPECT_EQ(bad.status().code(), Code::kInvalidRange);
}

TEST_F(GatewayTest, OverwriteDeleteAndEtag) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "owr"}).ok());
  ASSERT_TRUE(Put(alice_, "owr", "k", RandomData(6 << 20, 1)).ok());
  ASSERT_TRUE(Put(alice_, "owr", "k", "small").ok());
  EXPECT_EQ(*Get(alice_, "owr", "k"), "small");
  GetObjectRequest head{.bucket = "owr", .key = "k", .head_only = true};
  auto dl = gw_->GetObject(alice_, head);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ((*dl)->info().etag, HexEncode(Md5("small")));
  ASSERT_TRUE(gw_->DeleteObject(alice_, "owr", "k", "").ok());
  EXPECT_EQ(Get(alice_, "owr", "k").status().code(), Code::kNoSuchKey);
  EXPECT_EQ(gw_->DeleteBucket(alice_, "owr").code(), Code::kOk);
}

TEST_F(GatewayTest, BadDigestLeavesNothingVisible) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "md5"}).ok());
  PutObjectRequest req;
  req.content_md5 = Base64Encode(Md5("other"));
  EXPECT_EQ(Put(alice_, "md5", "k", "data", req).code(), Code::kBadDigest);
  EXPECT_EQ(Get(alice_, "md5", "k").status().code(), Code::kNoSuchKey);
  req.content_md5 = "not base64!";
  EXPECT_EQ(Put(alice_, "md5", "k", "data", req).code(), Code::kInvalidDigest);
}

TEST_F(GatewayTest, ListingPrefixDelimiterPagination) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "list"}).ok());
  std::vector<std::string> keys;
  for (int i = 0; i < 1100; ++i) {
    char buf[32];
    snprintf(buf, sizeof buf, "k%04d", i);
    keys.push_back(buf);
  }
  keys.push_back("_under");
  keys.push_back("dir/a");
  keys.push_back("dir/b");
  keys.push_back("dir/sub/c");
  for (const auto& k : keys) ASSERT_TRUE(Put(alice_, "list", k, "x").ok()) << k;
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> got;
  std::string marker;
  int pages = 0;
  while (true) {
    auto r = gw_->ListObjects(alice_, {.bucket = "list", .marker = marker, .max_keys = 300});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (auto& o : r->objects) got.push_back(o.key);
    ++pages;
    if (!r->truncated) break;
    marker = r->next_marker;
  }
  EXPECT_EQ(got, keys);
  EXPECT_GE(pages, 4);
  auto d = gw_->ListObjects(alice_, {.bucket = "list", .prefix = "dir/", .delimiter = "/"});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->objects.size(), 2u);
  EXPECT_EQ(d->objects[0].key, "dir/a");
  ASSERT_EQ(d->common_prefixes.size(), 1u);
  EXPECT_EQ(d->common_prefixes[0], "dir/sub/");
  // With a delimiter, pages of 1000 (the S3 cap) still visit every key once.
  std::vector<std::string> top_keys, top_prefixes;
  marker.clear();
  while (true) {
    auto top = gw_->ListObjects(alice_, {.bucket = "list", .delimiter = "/", .marker = marker,
                                         .max_keys = 2000});
    ASSERT_TRUE(top.ok());
    EXPECT_LE(top->objects.size() + top->common_prefixes.size(), 1000u);
    for (auto& o : top->objects) top_keys.push_back(o.key);
    for (auto& p : top->common_prefixes) top_prefixes.push_back(p);
    if (!top->truncated) break;
    marker = top->next_marker;
  }
  EXPECT_EQ(top_prefixes, std::vector<std::string>{"dir/"});
  EXPECT_EQ(top_keys.size(), 1101u);
}

TEST_F(GatewayTest, MultipartCompleteEtagAndData) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "mpu"}).ok());
  auto id = gw_->CreateMultipartUpload(alice_, {.bucket = "mpu", .key = "big"});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  std::vector<std::string> parts = {RandomData(5 << 20, 1), RandomData(5 << 20, 2),
                                    RandomData(1 << 20, 3)};
  std::vector<CompletedPart> done;
  std::string md5s;
  for (uint32_t i = 0; i < parts.size(); ++i) {
    PutObjectRequest body;
    body.content_length = parts[i].size();
    auto up = gw_->UploadPart(alice_, "mpu", "big", *id, i + 1, body);
    ASSERT_TRUE(up.ok()) << up.status().ToString();
    ASSERT_TRUE((*up)->Write(parts[i]).ok());
    auto r = (*up)->Complete();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->etag, HexEncode(Md5(parts[i])));
    done.push_back({i + 1, "\"" + r->etag + "\""});
    md5s += Md5(parts[i]);
  }
  auto uploads = gw_->ListMultipartUploads(alice_, {.bucket = "mpu"});
  ASSERT_TRUE(uploads.ok());
  ASSERT_EQ(uploads->uploads.size(), 1u);
  EXPECT_EQ(uploads->uploads[0].upload_id, *id);
  auto lp = gw_->ListParts(alice_, "mpu", "big", *id, 0, 1000);
  ASSERT_TRUE(lp.ok());
  EXPECT_EQ(lp->parts.size(), 3u);
  auto res = gw_->CompleteMultipartUpload(alice_, "mpu", "big", *id, done);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->etag, HexEncode(Md5(md5s)) + "-3");
  auto got = Get(alice_, "mpu", "big");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == parts[0] + parts[1] + parts[2]);
  auto listed = gw_->ListObjects(alice_, {.bucket = "mpu"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->objects.size(), 1u);  // no part or meta entries visible
  EXPECT_EQ(listed->objects[0].size, 11u << 20);
  EXPECT_TRUE(gw_->ListMultipartUploads(alice_, {.bucket = "mpu"})->uploads.empty());
}

TEST_F(GatewayTest, MultipartRejectsSmallPartsAndAbort) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "mp2"}).ok());
  auto id = gw_->CreateMultipartUpload(alice_, {.bucket = "mp2", .key = "k"});
  ASSERT_TRUE(id.ok());
  std::vector<CompletedPart> done;
  for (uint32_t i = 1; i <= 2; ++i) {
    auto up = gw_->UploadPart(alice_, "mp2", "k", *id, i, {});
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write("tiny").ok());
    auto r = (*up)->Complete();
    ASSERT_TRUE(r.ok());
    done.push_back({i, r->etag});
  }
  EXPECT_EQ(gw_->CompleteMultipartUpload(alice_, "mp2", "k", *id, done).status().code(),
            Code::kEntityTooSmall);
  ASSERT_TRUE(gw_->AbortMultipartUpload(alice_, "mp2", "k", *id).ok());
  EXPECT_EQ(gw_->AbortMultipartUpload(alice_, "mp2", "k", *id).code(), Code::kNoSuchUpload);
  EXPECT_TRUE(gw_->DeleteBucket(alice_, "mp2").ok());
}

TEST_F(GatewayTest, AclDeniesOtherUserUntilGranted) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "priv"}).ok());
  ASSERT_TRUE(Put(alice_, "priv", "secret", "s3cr3t").ok());
  EXPECT_EQ(Get(bob_, "priv", "secret").status().code(), Code::kAccessDenied);
  EXPECT_EQ(Get(RequestContext{}, "priv", "secret").status().code(), Code::kAccessDenied);
  EXPECT_EQ(Put(bob_, "priv", "x", "y").code(), Code::kAccessDenied);
  EXPECT_EQ(gw_->ListObjects(bob_, {.bucket = "priv"}).status().code(), Code::kAccessDenied);
  ASSERT_TRUE(gw_->PutObjectAcl(alice_, "priv", "secret", "public-read", {}, nullptr).ok());
  EXPECT_EQ(*Get(bob_, "priv", "secret"), "s3cr3t");
  EXPECT_EQ(*Get(RequestContext{}, "priv", "secret"), "s3cr3t");
}

TEST_F(GatewayTest, CopyWithMetadataDirective) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "cpy"}).ok());
  PutObjectRequest req;
  req.metadata["color"] = "blue";
  req.headers["content-type"] = "text/plain";
  ASSERT_TRUE(Put(alice_, "cpy", "src", RandomData(5 << 20, 7), req).ok());
  CopyObjectRequest c{.src_bucket = "cpy", .src_key = "src", .dst_bucket = "cpy", .dst_key = "dst"};
  auto r = gw_->CopyObject(alice_, c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto dl = gw_->GetObject(alice_, {.bucket = "cpy", .key = "dst"});
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ((*dl)->info().metadata.at("color"), "blue");
  EXPECT_EQ((*dl)->info().headers.at("content-type"), "text/plain");
  EXPECT_EQ(*Get(alice_, "cpy", "dst"), RandomData(5 << 20, 7));
  c.directive = MetadataDirective::kReplace;
  c.metadata["color"] = "red";
  ASSERT_TRUE(gw_->CopyObject(alice_, c).ok());
  dl = gw_->GetObject(alice_, {.bucket = "cpy", .key = "dst"});
  EXPECT_EQ((*dl)->info().metadata.at("color"), "red");
  EXPECT_EQ((*dl)->info().headers.count("content-type"), 0u);
  CopyObjectRequest self{.src_bucket = "cpy", .src_key = "src", .dst_bucket = "cpy",
                         .dst_key = "src"};
  EXPECT_EQ(gw_->CopyObject(alice_, self).status().code(), Code::kInvalidRequest);
}

TEST_F(GatewayTest, BucketRules) {
  EXPECT_EQ(gw_->CreateBucket(alice_, {.bucket = "Bad_Name"}).code(), Code::kInvalidBucketName);
  EXPECT_EQ(gw_->CreateBucket(alice_, {.bucket = "ab"}).code(), Code::kInvalidBucketName);
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "taken"}).ok());
  EXPECT_EQ(gw_->CreateBucket(bob_, {.bucket = "taken"}).code(), Code::kBucketAlreadyExists);
  ASSERT_TRUE(Put(alice_, "taken", "k", "v").ok());
  EXPECT_EQ(gw_->DeleteBucket(alice_, "taken").code(), Code::kBucketNotEmpty);
  EXPECT_EQ(gw_->DeleteBucket(bob_, "taken").code(), Code::kAccessDenied);
  auto mine = gw_->ListBuckets(alice_);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].name, "taken");
  EXPECT_EQ(gw_->HeadBucket(alice_, "nope").status().code(), Code::kNoSuchBucket);
}

}  // namespace
}  // namespace kelp::api

namespace kelp::api {
namespace {

TEST_F(GatewayTest, PartReuploadAndRepeatedCompleteKeepData) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "mpr"}).ok());
  auto id = gw_->CreateMultipartUpload(alice_, {.bucket = "mpr", .key = "k"});
  ASSERT_TRUE(id.ok());
  auto upload = [&](uint32_t n, const std::string& data) {
    auto up = gw_->UploadPart(alice_, "mpr", "k", *id, n, {});
    EXPECT_TRUE(up.ok());
    EXPECT_TRUE((*up)->Write(data).ok());
    auto r = (*up)->Complete();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->etag : std::string();
  };
  std::string first = RandomData(9 << 20, 11), second = RandomData(6 << 20, 12),
               last = RandomData(100, 13);
  upload(1, first);
  std::string e1 = upload(1, second);  // replaces part 1 (fewer stripes)
  // An abandoned re-upload of part 1 must not damage the committed one.
  {
    auto up = gw_->UploadPart(alice_, "mpr", "k", *id, 1, {});
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write(RandomData(5 << 20, 14)).ok());
  }
  std::string e2 = upload(2, last);
  std::vector<CompletedPart> parts{{1, e1}, {2, e2}};
  auto done = gw_->CompleteMultipartUpload(alice_, "mpr", "k", *id, parts);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(gw_->CompleteMultipartUpload(alice_, "mpr", "k", *id, parts).status().code(),
            Code::kNoSuchUpload);
  auto got = Get(alice_, "mpr", "k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == second + last);
}

TEST_F(GatewayTest, RangeOnEmptyObjectIsInvalidRange) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "emp"}).ok());
  ASSERT_TRUE(Put(alice_, "emp", "zero", "").ok());
  auto dl = gw_->GetObject(alice_, {.bucket = "emp", .key = "zero",
                                    .range = ByteRange{0, 10, std::nullopt}});
  EXPECT_EQ(dl.status().code(), Code::kInvalidRange);
  // A missing key is NoSuchKey for who may list, AccessDenied for others.
  EXPECT_EQ(Get(alice_, "emp", "nope").status().code(), Code::kNoSuchKey);
  EXPECT_EQ(Get(bob_, "emp", "nope").status().code(), Code::kAccessDenied);
}

}  // namespace
}  // namespace kelp::api

namespace kelp::api {
namespace {

TEST_F(GatewayTest, CompleteWithSubsetOfPartsServesThosePartsOnly) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "sub"}).ok());
  auto id = gw_->CreateMultipartUpload(alice_, {.bucket = "sub", .key = "k"});
  ASSERT_TRUE(id.ok());
  std::vector<std::string> etags;
  for (uint32_t n = 1; n <= 2; ++n) {
    auto up = gw_->UploadPart(alice_, "sub", "k", *id, n, {});
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write(RandomData(100, n)).ok());
    auto r = (*up)->Complete();
    ASSERT_TRUE(r.ok());
    etags.push_back(r->etag);
  }
  auto done = gw_->CompleteMultipartUpload(alice_, "sub", "k", *id, {{2, etags[1]}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto got = Get(alice_, "sub", "k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, RandomData(100, 2));
}

}  // namespace
}  // namespace kelp::api

namespace kelp::api {
namespace {

TEST_F(GatewayTest, SwiftDloIsServedAsTheConcatenationOfItsSegments) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "dlo"}).ok());
  std::string a = RandomData(5 << 20, 21), b = RandomData(1000, 22);
  ASSERT_TRUE(Put(alice_, "dlo", "seg/000", a).ok());
  ASSERT_TRUE(Put(alice_, "dlo", "seg/001", b).ok());
  ASSERT_TRUE(Put(alice_, "dlo", "other", "x").ok());
  // A Swift PUT with X-Object-Manifest stores user.rgw.user_manifest.
  PutObjectRequest man;
  man.recorded_amz_headers["user_manifest"] = "dlo/seg/";
  ASSERT_TRUE(Put(alice_, "dlo", "manifest", "", man).ok());
  auto got = Get(alice_, "dlo", "manifest");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == a + b);
  auto dl = gw_->GetObject(alice_, {.bucket = "dlo", .key = "manifest"});
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ((*dl)->info().etag, HexEncode(Md5(HexEncode(Md5(a)) + HexEncode(Md5(b)))));
  EXPECT_EQ((*dl)->info().headers.at("x-object-manifest"), "dlo/seg/");
  auto part = Get(alice_, "dlo", "manifest", ByteRange{(5 << 20) - 3, (5 << 20) + 2, std::nullopt});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(*part, (a + b).substr((5 << 20) - 3, 6));
}

}  // namespace
}  // namespace kelp::api

namespace kelp::api {
namespace {

// The head's data is read whole on first use and old tails wait in gc, so a
// read that started before an overwrite finishes with the old version.
TEST_F(GatewayTest, ReadRacingAnOverwriteFinishesWithTheOldVersion) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "race"}).ok());
  std::string v1 = RandomData(3 << 20, 31), v2 = RandomData(3 << 20, 32);
  ASSERT_TRUE(Put(alice_, "race", "k", v1).ok());
  auto dl = gw_->GetObject(alice_, {.bucket = "race", .key = "k"});
  ASSERT_TRUE(dl.ok());
  auto first = (*dl)->Read();  // 1 MiB of v1
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, v1.substr(0, first->size()));
  ASSERT_TRUE(Put(alice_, "race", "k", v2).ok());
  std::string got = *first;
  for (;;) {
    auto next = (*dl)->Read();
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    if (next->empty()) break;
    got += *next;
  }
  EXPECT_TRUE(got == v1) << "a read racing an overwrite mixed versions";
  EXPECT_EQ(*Get(alice_, "race", "k"), v2);
}


// PUT ACL documents name grantees by id or e-mail; radosgw resolves them
// (display names filled in, e-mail made canonical) and refuses unknown ones.
TEST_F(GatewayTest, AclDocumentGranteesAreResolved) {
  ASSERT_TRUE(gw_->CreateBucket(alice_, {.bucket = "acl-doc"}).ok());
  auto policy = [&](rgw::AclGrant grant) {
    rgw::AccessControlPolicy p;
    p.owner.id = alice_.who.user;
    p.acl.AddGrant(rgw::AclGrant::Canon(alice_.who.user, "", rgw::kPermFullControl));
    p.acl.AddGrant(grant);
    return p;
  };
  auto by_id = policy(rgw::AclGrant::Canon(bob_.who.user, "", rgw::kPermRead));
  ASSERT_TRUE(gw_->PutBucketAcl(alice_, "acl-doc", "", {}, &by_id).ok());
  auto acl = gw_->GetBucketAcl(alice_, "acl-doc");
  ASSERT_TRUE(acl.ok());
  bool named = false;
  for (const auto& [k, g] : acl->acl.grant_map) named |= g.id == bob_.who.user && g.name == "bob display";
  EXPECT_TRUE(named) << "bob's grant has his display name";

  auto unknown = policy(rgw::AclGrant::Canon(rgw::User::FromString("nobody"), "", rgw::kPermRead));
  EXPECT_EQ(gw_->PutBucketAcl(alice_, "acl-doc", "", {}, &unknown).code(), Code::kInvalidArgument);

  auto u = gw_->services().users().Get(bob_.who.user);
  ASSERT_TRUE(u.ok());
  rgw::UserInfo old = u->info;
  u->info.user_email = "bob@example.com";
  ASSERT_TRUE(gw_->services().users().Put(*u, &old).ok());
  auto by_email = policy(rgw::AclGrant::Email("bob@example.com", rgw::kPermWrite));
  ASSERT_TRUE(gw_->PutBucketAcl(alice_, "acl-doc", "", {}, &by_email).ok());
  acl = gw_->GetBucketAcl(alice_, "acl-doc");
  ASSERT_TRUE(acl.ok());
  EXPECT_EQ(acl->GetPermsFor(&bob_.who.user, rgw::kPermWrite), rgw::kPermWrite);
  auto nomail = policy(rgw::AclGrant::Email("nobody@example.com", rgw::kPermWrite));
  EXPECT_EQ(gw_->PutBucketAcl(alice_, "acl-doc", "", {}, &nomail).code(),
            Code::kUnresolvableGrantByEmailAddress);
}

}  // namespace
}  // namespace kelp::api
