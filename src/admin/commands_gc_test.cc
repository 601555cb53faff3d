// kelp-admin gc list / gc process on radosgw 16.2.15's own gc state: the
// golden dump (one entry in gc.9 naming a 1000-byte tail) imported into an
// embedded store reads as radosgw-admin printed it, and processes like it.
#include "admin/commands_gc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "admin/import_dump.h"
#include "rgw/services.h"
#include "store/cls/testing/fixtures.h"
#include "store/embedded/embedded_store.h"

namespace kelp::admin {
namespace {

namespace fs = std::filesystem;
namespace fx = store::cls::testing;

class GcCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);  // radosgw-admin ran with UTC (its times end in +0000)
    tzset();
    dir_ = fs::temp_directory_path() / ("kelp-gc-admin-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    auto s = store::embedded::OpenEmbeddedStore(dir_.string(), {.sync = false});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(ImportDump(*store_, fx::PublicDir()).ok());
    auto svc = rgw::Services::Init(*store_);
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    svc_ = std::move(*svc);
  }
  void TearDown() override {
    svc_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::pair<int, std::string> Run(int (*fn)(Ctx&, bool), bool include_all) {
    std::ostringstream out, err;
    AdminOptions opt;
    Ctx c{*svc_, opt, out, err};
    int rc = fn(c, include_all);
    EXPECT_EQ(err.str(), "");
    return {rc, out.str()};
  }

  bool TailExists(const std::string& oid) {
    store::ObjectStat st;
    return store_->Operate({"default.rgw.buckets.data", "", oid, ""}, store::ReadOp().Stat(&st))
        .ok();
  }

  fs::path dir_;
  std::unique_ptr<store::ObjectStore> store_;
  std::unique_ptr<rgw::Services> svc_;
};

TEST_F(GcCommandsTest, ListIncludeAllPrintsRadosgwAdminsJson) {
  auto [rc, out] = Run(GcList, true);
  ASSERT_EQ(rc, 0);
  std::string golden =
      fx::ReadAll(fs::path(fx::PublicDir()) / "decoded" / "global" / "gc_list_include_all.json");
  EXPECT_EQ(nlohmann::json::parse(out), nlohmann::json::parse(golden));
  EXPECT_EQ(out, golden + (golden.back() == '\n' ? "" : "\n"));
}

TEST_F(GcCommandsTest, ProcessIncludeAllReleasesRadosgwsTail) {
  auto golden = nlohmann::json::parse(
      fx::ReadAll(fs::path(fx::PublicDir()) / "decoded" / "global" / "gc_list_include_all.json"));
  const std::string oid = golden[0]["objs"][0]["oid"];
  ASSERT_TRUE(TailExists(oid));
  EXPECT_EQ(Run(GcProcess, true), (std::pair<int, std::string>{0, ""}));
  EXPECT_FALSE(TailExists(oid));
  EXPECT_EQ(Run(GcList, true).second, "[]\n");
}

}  // namespace
}  // namespace kelp::admin
