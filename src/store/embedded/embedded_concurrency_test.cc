// Concurrent ops on the embedded engine: per-object serialisation.
#include <set>
#include <thread>

#include "store/embedded/embedded_store.h"
#include "store/embedded/test_util.h"

namespace kelp::store::embedded {
namespace {

using testing::MustOpen;
using testing::TempDir;

TEST(EmbeddedConcurrencyTest, OpsOnOneObjectAreSerialised) {
  TempDir dir;
  auto store = MustOpen(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreatePool("p").ok());
  ObjectId shared{"p", "", "shared", ""};
  constexpr int kThreads = 6, kOps = 150;
  std::vector<std::vector<uint64_t>> versions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        uint64_t v = 0;
        // Read-modify-write through omap + append: lost updates would show.
        std::string key = "t" + std::to_string(t) + "." + std::to_string(i);
        Status st = store->Operate(shared, WriteOp().Append("ab").OmapSet(key, "1"), &v);
        ASSERT_TRUE(st.ok()) << st.ToString();
        versions[t].push_back(v);
        // And a neighbour object per thread, concurrently.
        ASSERT_TRUE(
            store->Operate(ObjectId{"p", "", "own" + std::to_string(t), ""}, WriteOp().Append("x"))
                .ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  ObjectStat st;
  std::map<std::string, std::string> omap;
  ASSERT_TRUE(store->Operate(shared, ReadOp().Stat(&st).OmapGetKeys("", 0, &omap)).ok());
  EXPECT_EQ(st.size, 2u * kThreads * kOps);
  EXPECT_EQ(omap.size(), static_cast<size_t>(kThreads * kOps));
  std::set<uint64_t> all;
  for (const auto& vs : versions) {
    for (size_t i = 1; i < vs.size(); ++i) EXPECT_LT(vs[i - 1], vs[i]);
    all.insert(vs.begin(), vs.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kOps));  // no version handed out twice
  EXPECT_EQ(*all.rbegin(), st.version);
  for (int t = 0; t < kThreads; ++t) {
    ObjectStat own;
    ASSERT_TRUE(
        store->Operate(ObjectId{"p", "", "own" + std::to_string(t), ""}, ReadOp().Stat(&own)).ok());
    EXPECT_EQ(own.size, static_cast<uint64_t>(kOps));
  }
}

}  // namespace
}  // namespace kelp::store::embedded
