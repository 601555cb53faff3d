// The whole gateway over the remote store (store/remote): a Gateway in one
// process and a Gateway on the embedded store that process serves see each
// other's buckets and objects at once, and a real kelpd serves its store to
// this test process. (Here rather than in src/store/remote because it needs
// libkelp; kelp_store_test links only kelp_store.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "api/gateway.h"
#include "api/open_store.h"
#include "rgw/services.h"
#include "store/embedded/embedded_store.h"
#include "store/remote/remote_test_util.h"

namespace kelp {
namespace {

using store::embedded::testing::Pattern;

Status Put(api::Gateway& gw, const api::RequestContext& ctx, const std::string& bucket,
           const std::string& key, const std::string& data) {
  api::PutObjectRequest req;
  req.bucket = bucket;
  req.key = key;
  req.content_length = data.size();
  ASSIGN_OR_RETURN(auto up, gw.PutObject(ctx, req));
  for (size_t pos = 0; pos < data.size(); pos += 1 << 20) {
    RETURN_IF_ERROR(up->Write(std::string_view(data).substr(pos, 1 << 20)));
  }
  auto res = up->Complete();
  return res.ok() ? Status::OK() : res.status();
}

Result<std::string> Get(api::Gateway& gw, const api::RequestContext& ctx, const std::string& bucket,
                        const std::string& key) {
  api::GetObjectRequest req;
  req.bucket = bucket;
  req.key = key;
  ASSIGN_OR_RETURN(auto dl, gw.GetObject(ctx, req));
  std::string out;
  while (true) {
    ASSIGN_OR_RETURN(std::string chunk, dl->Read());
    if (chunk.empty()) break;
    out += chunk;
  }
  return out;
}

TEST(RemoteStoreGateway, TwoGatewaysOneStore) {
  store::remote::testing::ServedStore served;
  auto direct = api::Gateway::OpenUnowned(*served.store);
  ASSERT_TRUE(direct.ok()) << direct.status().ToString();
  auto remote_store = served.Connect();
  ASSERT_NE(remote_store, nullptr);
  auto services = rgw::Services::Init(*remote_store);  // finds the zone the direct one made
  ASSERT_TRUE(services.ok()) << services.status().ToString();
  auto remote = api::Gateway::OpenUnowned(*remote_store);
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();

  rgw::UserSpec spec;
  spec.uid.id = "alice";
  spec.display_name = "Alice";
  ASSERT_TRUE((*direct)->services().users().Create(spec).ok());
  auto who = (*remote)->ActAs("alice");  // the remote side sees the user at once
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  api::RequestContext alice{*who};

  // Remote writes, direct reads: a multi-stripe object.
  ASSERT_TRUE((*remote)->CreateBucket(alice, {.bucket = "from-remote"}).ok());
  const std::string big = Pattern(6 << 20, 7);
  ASSERT_TRUE(Put(**remote, alice, "from-remote", "big", big).ok());
  auto got = Get(**direct, alice, "from-remote", "big");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == big);

  // Direct writes, remote reads and lists.
  ASSERT_TRUE((*direct)->CreateBucket(alice, {.bucket = "from-direct"}).ok());
  ASSERT_TRUE(Put(**direct, alice, "from-direct", "small", "hello").ok());
  got = Get(**remote, alice, "from-direct", "small");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hello");
  auto buckets = (*remote)->ListBuckets(alice);
  ASSERT_TRUE(buckets.ok());
  ASSERT_EQ(buckets->size(), 2u);
  auto listed = (*remote)->ListObjects(alice, {.bucket = "from-remote"});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->objects.size(), 1u);
  EXPECT_EQ(listed->objects[0].key, "big");

  // An overwrite and a delete cross over too; a bucket name is taken for all.
  ASSERT_TRUE(Put(**remote, alice, "from-direct", "small", "bye").ok());
  EXPECT_EQ(*Get(**direct, alice, "from-direct", "small"), "bye");
  ASSERT_TRUE((*direct)->DeleteObject(alice, "from-remote", "big", "").ok());
  EXPECT_TRUE(Get(**remote, alice, "from-remote", "big").status().Is(Code::kNoSuchKey));
  spec.uid.id = "bob";
  spec.display_name = "Bob";
  ASSERT_TRUE((*remote)->services().users().Create(spec).ok());
  auto bob = (*direct)->ActAs("bob");
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  Status taken = (*direct)->CreateBucket(api::RequestContext{*bob}, {.bucket = "from-remote"});
  EXPECT_TRUE(taken.Is(Code::kBucketAlreadyExists)) << taken.ToString();
  taken = (*remote)->CreateBucket(api::RequestContext{*bob}, {.bucket = "from-direct"});
  EXPECT_TRUE(taken.Is(Code::kBucketAlreadyExists)) << taken.ToString();

  // Bucket ids carry each creator's own instance id, so they never collide.
  auto b1 = (*direct)->services().buckets().Get("", "from-remote");
  auto b2 = (*direct)->services().buckets().Get("", "from-direct");
  ASSERT_TRUE(b1.ok() && b2.ok());
  const std::string remote_part = "." + std::to_string(remote_store->InstanceId()) + ".";
  const std::string direct_part = "." + std::to_string(served.store->InstanceId()) + ".";
  EXPECT_NE(b1->info.bucket.bucket_id.find(remote_part), std::string::npos)
      << b1->info.bucket.bucket_id;
  EXPECT_NE(b2->info.bucket.bucket_id.find(direct_part), std::string::npos)
      << b2->info.bucket.bucket_id;
  remote->reset();
  services->reset();
}

// A real kelpd process serves its store; this process runs a Gateway on it.
TEST(RemoteStoreGateway, AgainstRealKelpd) {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  ASSERT_GT(n, 0);
  exe[n] = '\0';
  const std::string kelpd = (std::filesystem::path(exe).parent_path() / "kelpd").string();
  if (!std::filesystem::exists(kelpd)) GTEST_SKIP() << "kelpd not built beside " << exe;
  store::embedded::testing::TempDir dir;

  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    std::string data = "--data=" + dir.path();
    ::execl(kelpd.c_str(), kelpd.c_str(), data.c_str(), "--listen=127.0.0.1:0", nullptr);
    _exit(127);
  }
  ::close(out[1]);
  // kelpd prints its SecretKey line once everything (store socket too) is up.
  std::string printed;
  char buf[512];
  while (printed.find("SecretKey:") == std::string::npos) {
    ssize_t r = ::read(out[0], buf, sizeof(buf));
    if (r <= 0) break;
    printed.append(buf, static_cast<size_t>(r));
  }
  ::close(out[0]);
  ASSERT_NE(printed.find("SecretKey:"), std::string::npos) << printed;

  // The directory is held; its store is reachable through the socket.
  EXPECT_TRUE(store::embedded::OpenEmbeddedStore(dir.path()).status().Is(Code::kBusy));
  const std::string socket = api::StoreSocketPath(dir.path());
  auto remote_store = store::remote::ConnectRemoteStore(socket);
  ASSERT_TRUE(remote_store.ok()) << remote_store.status().ToString();
  {
    auto gw = api::Gateway::OpenUnowned(**remote_store);
    ASSERT_TRUE(gw.ok()) << gw.status().ToString();
    auto admin = (*gw)->ActAs("admin");  // made by kelpd at its start
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    api::RequestContext ctx{*admin};
    ASSERT_TRUE((*gw)->CreateBucket(ctx, {.bucket = "via-socket"}).ok());
    ASSERT_TRUE(Put(**gw, ctx, "via-socket", "obj", Pattern(300000, 3)).ok());
  }

  // kelpd dies: the client fails cleanly, the data is on disk.
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Status st = (*remote_store)->PoolExists("default.rgw.meta").status();
  EXPECT_TRUE(st.Is(Code::kIOError)) << st.ToString();
  remote_store->reset();
  auto reopened = store::embedded::OpenEmbeddedStore(dir.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto gw = api::Gateway::Open(std::move(*reopened));
  ASSERT_TRUE(gw.ok());
  auto got = Get(**gw, api::RequestContext{api::Identity::System()}, "via-socket", "obj");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == Pattern(300000, 3));
}

}  // namespace
}  // namespace kelp
