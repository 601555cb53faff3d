// The whole radosgw layout (rgw::Services) and the S3 Gateway over
// RadosStore on a real cluster: user, bucket, a 10 MiB object put and read
// back; then radosgw-admin (if installed) must read what Kelp wrote.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "api/gateway.h"
#include "base/crypto.h"
#include "rgw/services.h"
#include "store/rados/rados_store.h"
#include "store/rados/rados_test_util.h"

namespace kelp::store::rados {
namespace {

using testing::CephConf;

std::string RandomData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Runs a shell command, returns (exit status, stdout).
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = ::pclose(p);
  return {rc, out};
}

TEST(RadosGateway, UserBucketAndTenMiBObjectThenRadosgwAdminReadsThem) {
  KELP_REQUIRE_CEPH();
  auto store = testing::OpenTestStore(60);
  ASSERT_TRUE(store);
  auto gw = api::Gateway::OpenUnowned(*store);
  ASSERT_TRUE(gw.ok()) << gw.status().ToString();

  const std::string uid = testing::UniqueName("kelpuser");
  const std::string bucket = testing::UniqueName("kelp-bucket");
  rgw::UserSpec spec;
  spec.uid.id = uid;
  spec.display_name = "Kelp on Ceph " + uid;
  auto user = (*gw)->services().users().Create(spec);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  api::RequestContext ctx;
  ctx.who.anonymous = false;
  ctx.who.user.id = uid;
  ctx.who.display_name = spec.display_name;

  Status cb = (*gw)->CreateBucket(ctx, {.bucket = bucket});
  ASSERT_TRUE(cb.ok()) << cb.ToString();

  const std::string data = RandomData(10 << 20, 42);
  api::PutObjectRequest put;
  put.bucket = bucket;
  put.key = "big/object";
  put.content_length = data.size();
  auto up = (*gw)->PutObject(ctx, put);
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  for (size_t pos = 0; pos < data.size(); pos += 1 << 20) {
    ASSERT_TRUE((*up)->Write(std::string_view(data).substr(pos, 1 << 20)).ok());
  }
  auto done = (*up)->Complete();
  ASSERT_TRUE(done.ok()) << done.status().ToString();

  api::GetObjectRequest get;
  get.bucket = bucket;
  get.key = "big/object";
  auto dl = (*gw)->GetObject(ctx, get);
  ASSERT_TRUE(dl.ok()) << dl.status().ToString();
  EXPECT_EQ((*dl)->info().etag, HexEncode(Md5(data)));
  std::string got;
  while (true) {
    auto chunk = (*dl)->Read();
    ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
    if (chunk->empty()) break;
    got += *chunk;
  }
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);

  // What radosgw sees of it: radosgw-admin reads Kelp's user, bucket and
  // bucket index straight from the cluster.
  if (Shell("command -v radosgw-admin").first != 0) {
    GTEST_SKIP() << "radosgw-admin not installed: interop part skipped";
  }
  const std::string admin = std::string("timeout 120 radosgw-admin -c ") + CephConf() + " ";
  auto [urc, uout] = Shell(admin + "user info --uid=" + uid + " 2>&1");
  EXPECT_EQ(urc, 0) << uout;
  EXPECT_NE(uout.find(spec.display_name), std::string::npos) << uout;
  auto [brc, bout] = Shell(admin + "bucket stats --bucket=" + bucket + " 2>&1");
  EXPECT_EQ(brc, 0) << bout;
  EXPECT_NE(bout.find("\"num_objects\": 1"), std::string::npos) << bout;
  EXPECT_NE(bout.find("\"size\": 10485760"), std::string::npos) << bout;
  auto [orc, oout] = Shell(admin + "object stat --bucket=" + bucket + " --object=big/object 2>&1");
  EXPECT_EQ(orc, 0) << oout;
  EXPECT_NE(oout.find(HexEncode(Md5(data))), std::string::npos) << oout;
}

// The other direction, opt-in (needs a radosgw on the same cluster): an
// object radosgw wrote, named by KELP_RGW_OBJECT="<owner uid>/<bucket>/<key>",
// read through Kelp must equal the file KELP_RGW_OBJECT_FILE.
TEST(RadosGateway, ReadsAnObjectRadosgwWrote) {
  KELP_REQUIRE_CEPH();
  const char* spec = std::getenv("KELP_RGW_OBJECT");
  const char* file = std::getenv("KELP_RGW_OBJECT_FILE");
  if (!spec || !file) {
    GTEST_SKIP() << "set KELP_RGW_OBJECT=uid/bucket/key and KELP_RGW_OBJECT_FILE=<expected bytes> "
                    "after uploading that object through radosgw";
  }
  std::string s(spec);
  size_t a = s.find('/'), b = s.find('/', a + 1);
  ASSERT_TRUE(a != std::string::npos && b != std::string::npos) << s;
  std::string expected;
  {
    FILE* f = std::fopen(file, "rb");
    ASSERT_NE(f, nullptr) << file;
    std::array<char, 65536> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) expected.append(buf.data(), n);
    std::fclose(f);
  }
  auto store = testing::OpenTestStore(60);
  ASSERT_TRUE(store);
  auto gw = api::Gateway::OpenUnowned(*store);
  ASSERT_TRUE(gw.ok()) << gw.status().ToString();
  api::RequestContext ctx;
  ctx.who.anonymous = false;
  ctx.who.user.id = s.substr(0, a);
  api::GetObjectRequest get;
  get.bucket = s.substr(a + 1, b - a - 1);
  get.key = s.substr(b + 1);
  auto dl = (*gw)->GetObject(ctx, get);
  ASSERT_TRUE(dl.ok()) << dl.status().ToString();
  EXPECT_EQ((*dl)->info().etag, HexEncode(Md5(expected)));
  std::string got;
  while (true) {
    auto chunk = (*dl)->Read();
    ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
    if (chunk->empty()) break;
    got += *chunk;
  }
  EXPECT_TRUE(got == expected) << got.size() << " bytes vs " << expected.size();
}

}  // namespace
}  // namespace kelp::store::rados
