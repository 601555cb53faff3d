// Garbage collection of tails on the embedded store: overwrite/delete
// queue the old tails (radosgw's layout: gc.N queues in default.rgw.log:gc),
// readers of the old version keep working, gc process releases them.
#include "rgw/object/gc.h"

#include <gtest/gtest.h>

#include "rgw/meta/testing/temp_store.h"
#include "rgw/object/layout.h"
#include "rgw/object/multipart.h"
#include "rgw/object/object_reader.h"
#include "rgw/object/object_writer.h"
#include "rgw/services.h"
#include "rgw/types/acl.h"
#include "store/cls/lock/types.h"
#include "store/cls/rgw_gc/types.h"

namespace kelp::rgw {
namespace {

TEST(GcTagIndex, Xxh64KnownAnswers) {
  EXPECT_EQ(Xxh64("", 0), 0xef46db3751d8e999ull);
  EXPECT_EQ(Xxh64("abc", 0), 0x44bc2cf5ad770999ull);
  // > 32 bytes exercises the four-lane loop.
  EXPECT_EQ(Xxh64(std::string(100, 'a'), 0), Xxh64(std::string(100, 'a'), 0));
  EXPECT_NE(Xxh64(std::string(100, 'a'), 0), Xxh64(std::string(100, 'a'), 1));
}

TEST(GcTagIndex, MatchesRadosgwsShardChoice) {
  // radosgw 16.2.15 put this tag's entry in gc.9 (golden dump; the tail tag
  // carries its trailing NUL).
  std::string tag = "d3ca3b7a-ed20-483a-8df2-7a346b20d6aa.4148.13108860573371668077";
  tag.push_back('\0');
  EXPECT_EQ(GcTagIndex(tag, 32), 9u);
}

class GcTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    UserSpec s;
    s.uid = User::FromString("owner");
    s.display_name = "Owner";
    ASSERT_TRUE(svc_->users().Create(s).ok());
    CreateBucketSpec b;
    b.bucket.name = "bkt";
    b.owner = s.uid;
    b.acl = MakeDefaultPolicy(s.uid, "Owner");
    auto lb = svc_->buckets().Create(b);
    ASSERT_TRUE(lb.ok()) << lb.status().ToString();
    bucket_ = std::make_unique<LoadedBucket>(std::move(*lb));
  }

  std::string Pattern(size_t n, char seed) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 7 % 251);
    return s;
  }

  Result<CommitResult> Put(const std::string& key, const std::string& data) {
    WriteSpec spec;
    spec.key.name = key;
    spec.hash_name = key;
    spec.owner = "owner";
    spec.owner_display_name = "Owner";
    ObjectWriter w(*svc_, *bucket_, spec);
    RETURN_IF_ERROR(w.Write(data));
    return w.Commit({});
  }

  Result<std::string> ReadAll(ObjectHead head) {
    uint64_t size = head.size;
    ObjectReader r(*svc_, *bucket_, std::move(head), 0, size);
    std::string out;
    for (;;) {
      ASSIGN_OR_RETURN(std::string chunk, r.Next());
      if (chunk.empty()) return out;
      out += chunk;
    }
  }

  bool Exists(const store::ObjectId& id) {
    store::ObjectStat st;
    return store_->Operate(id, store::ReadOp().Stat(&st)).ok();
  }

  std::vector<store::ObjectId> TailIds(const ObjManifest& m) {
    std::vector<store::ObjectId> ids;
    for (const auto& c : GcChainForManifest(*svc_, m)) {
      Pool p = Pool::FromString(c.pool);
      ids.push_back({p.name, p.ns, c.key.name, c.loc});
    }
    return ids;
  }

  GcQueue Queue() { return GcQueue(*svc_); }

  std::unique_ptr<LoadedBucket> bucket_;
};

TEST_F(GcTest, OverwriteQueuesOldTailsAndProcessReleasesThem) {
  const std::string v1 = Pattern(9 << 20, 'a');
  auto first = Put("big", v1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto old_tails = TailIds(first->manifest);
  ASSERT_EQ(old_tails.size(), 2u);  // 4 MiB head + two tail stripes
  auto old_head = ReadHead(*svc_, *bucket_, ObjKey{"big", ""});
  ASSERT_TRUE(old_head.ok());
  const std::string tail_tag = old_head->attrs.at(kAttrTailTag);

  // A GET of v1 has started (head read, first chunk sent) when the
  // overwrite lands.
  ObjectReader racing(*svc_, *bucket_, *old_head, 0, old_head->size);
  auto chunk = racing.Next();
  ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
  std::string got = *chunk;

  auto second = Put("big", Pattern(9 << 20, 'b'));
  ASSERT_TRUE(second.ok()) << second.status().ToString();

  // The old tails are still there, named by one gc entry in the tag's shard.
  for (const auto& id : old_tails) EXPECT_TRUE(Exists(id)) << id.ToString();
  auto entries = Queue().List(/*expired_only=*/false);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  const GcEntry& e = entries->front();
  EXPECT_EQ(e.tag, tail_tag);
  ASSERT_EQ(e.chain.size(), 2u);
  EXPECT_EQ(e.chain.front().pool, "default.rgw.buckets.data");
  EXPECT_EQ(e.chain.front().key.name, old_tails[0].oid);
  EXPECT_EQ(e.chain.back().key.name, old_tails[1].oid);
  const CephTime now = CephTime::Now();
  EXPECT_GE(e.time.sec, now.sec + 7200 - 5);  // rgw_gc_obj_min_wait
  EXPECT_LE(e.time.sec, now.sec + 7200 + 5);
  store::ObjectId shard{"default.rgw.log", "gc", GcQueue::ShardOid(GcTagIndex(tail_tag, 32)), ""};
  EXPECT_TRUE(Exists(shard));
  EXPECT_TRUE(Queue().List(/*expired_only=*/true)->empty());

  // The racing GET finishes with v1: its head data was read whole, its
  // tails wait for gc.
  for (;;) {
    auto c = racing.Next();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    if (c->empty()) break;
    got += *c;
  }
  EXPECT_TRUE(got == v1);
  // A reader that only read the old head's xattrs cannot splice versions.
  auto stale = ReadAll(*old_head);
  EXPECT_TRUE(stale.status().Is(Code::kServiceUnavailable)) << stale.status().ToString();

  // A regular gc pass leaves unexpired entries alone.
  auto pass = Queue().Process(/*expired_only=*/true);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->entries, 0u);
  for (const auto& id : old_tails) EXPECT_TRUE(Exists(id));

  // --include-all: tails and entry gone; the new object is intact.
  auto all = Queue().Process(/*expired_only=*/false);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->entries, 1u);
  EXPECT_EQ(all->objects, 2u);
  for (const auto& id : old_tails) EXPECT_FALSE(Exists(id)) << id.ToString();
  EXPECT_TRUE(Queue().List(false)->empty());
  auto new_head = ReadHead(*svc_, *bucket_, ObjKey{"big", ""});
  ASSERT_TRUE(new_head.ok());
  auto new_data = ReadAll(*new_head);
  ASSERT_TRUE(new_data.ok());
  EXPECT_TRUE(*new_data == Pattern(9 << 20, 'b'));
  for (const auto& id : TailIds(second->manifest)) EXPECT_TRUE(Exists(id));
}

TEST_F(GcTest, DeleteQueuesTailsAndExpiredEntriesAreProcessed) {
  GcOptions opts = GetGcOptions();
  GcOptions quick = opts;
  quick.min_wait_secs = 0;
  SetGcOptions(quick);
  auto put = Put("gone", Pattern(5 << 20, 'c'));
  SetGcOptions(opts);
  ASSERT_TRUE(put.ok());
  // Delete with min wait 0: the entry is due at once.
  SetGcOptions(quick);
  Status del = DeleteObject(*svc_, *bucket_, ObjKey{"gone", ""}, "gone");
  SetGcOptions(opts);
  ASSERT_TRUE(del.ok()) << del.ToString();
  auto tails = TailIds(put->manifest);
  ASSERT_EQ(tails.size(), 1u);
  EXPECT_TRUE(Exists(tails[0]));
  auto due = Queue().List(/*expired_only=*/true);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  auto pass = Queue().Process(/*expired_only=*/true);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->entries, 1u);
  EXPECT_FALSE(Exists(tails[0]));
}

TEST_F(GcTest, SmallObjectsQueueNothing) {
  ASSERT_TRUE(Put("small", "hello").ok());
  ASSERT_TRUE(Put("small", "world").ok());
  auto entries = Queue().List(false);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
  // No shard was created either.
  std::string cursor;
  auto objs = store_->List("default.rgw.log", "gc", "", 100, &cursor);
  ASSERT_TRUE(objs.ok());
  EXPECT_TRUE(objs->empty());
}

TEST_F(GcTest, ShardLockedByAnotherProcessorIsSkipped) {
  ASSERT_TRUE(Put("big", Pattern(5 << 20, 'd')).ok());
  ASSERT_TRUE(Put("big", Pattern(5 << 20, 'e')).ok());
  auto entries = Queue().List(false);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  const uint32_t index = GcTagIndex(entries->front().tag, 32);
  store::ObjectId shard{"default.rgw.log", "gc", GcQueue::ShardOid(index), ""};
  // radosgw (or another Kelp) holds gc_process on the shard.
  namespace lk = store::cls::lock;
  lk::LockOp lock;
  lock.name = "gc_process";
  lock.type = lk::kLockExclusive;
  lock.cookie = "radosgw";
  lock.duration = CephTime{3600, 0};
  ASSERT_TRUE(
      store_->Operate(shard, store::WriteOp().Exec("lock", "lock", EncodeToString(lock))).ok());
  auto pass = Queue().Process(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->entries, 0u);
  EXPECT_EQ(pass->busy_shards, 1u);
  EXPECT_EQ(Queue().List(false)->size(), 1u);
  ASSERT_TRUE(store_
                  ->Operate(shard, store::WriteOp().Exec(
                                       "lock", "unlock",
                                       EncodeToString(lk::UnlockOp{"gc_process", "radosgw"})))
                  .ok());
  pass = Queue().Process(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->entries, 1u);
  // Our own lock is released after the pass.
  store::ObjectStat st;
  std::map<std::string, std::string> xattrs;
  ASSERT_TRUE(store_->Operate(shard, store::ReadOp().GetXattrs(&xattrs)).ok());
  lk::LockInfo info;
  if (xattrs.count("lock.gc_process")) {
    ASSERT_TRUE(DecodeFromString(xattrs["lock.gc_process"], info).ok());
    EXPECT_TRUE(info.lockers.empty());
  }
}

TEST_F(GcTest, LongChainsAreSplitUnderTheChunkSize) {
  GcQueue q(*store_, svc_->zone().params().gc_pool, [] {
    GcOptions o;
    o.max_chunk_size = 1024;
    return o;
  }());
  GcChain chain;
  for (int i = 0; i < 40; ++i) {
    store::cls::rgw_gc::ChainObj o;
    o.pool = "default.rgw.buckets.data";
    o.key.name = "marker__shadow_.prefix_" + std::to_string(i);
    chain.push_back(o);
  }
  ASSERT_TRUE(q.SendChain(chain, "tag").ok());
  auto entries = q.List(false);
  ASSERT_TRUE(entries.ok());
  ASSERT_GT(entries->size(), 1u);
  size_t total = 0;
  for (const auto& e : *entries) {
    EXPECT_EQ(e.tag, "tag");
    EXPECT_LE(EncodeToString(e).size(), 1024u);
    total += e.chain.size();
  }
  EXPECT_EQ(total, 40u);
}

}  // namespace
}  // namespace kelp::rgw

namespace kelp::rgw {
namespace {

TEST_F(GcTest, AbortedUploadGoesToGcAsOneChainTaggedWithTheUploadId) {
  Multipart mp(*svc_, *bucket_);
  auto id = mp.Init("big", {}, "owner", "Owner");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto upload = mp.GetUpload("big", *id);
  ASSERT_TRUE(upload.ok());
  std::vector<store::ObjectId> objs;
  for (uint32_t n = 1; n <= 2; ++n) {
    auto w = mp.PartWriter(*upload, n);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->Write(Pattern(9 << 20, static_cast<char>('a' + n))).ok());
    auto part = mp.CommitPart(*upload, n, **w, {});
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    for (const auto& t : TailIds(part->manifest)) objs.push_back(t);
  }
  ASSERT_GE(objs.size(), 4u);
  for (const auto& o : objs) EXPECT_TRUE(Exists(o)) << o.ToString();
  auto before = Queue().List(/*expired_only=*/false);
  ASSERT_TRUE(before.ok());

  ASSERT_TRUE(mp.Abort(*upload).ok());
  auto after = Queue().List(/*expired_only=*/false);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size() + 1);  // one chain for every part
  const GcEntry* e = nullptr;
  for (const auto& x : *after) {
    if (x.tag == *id) e = &x;
  }
  ASSERT_NE(e, nullptr) << "no gc entry tagged with the upload id";
  EXPECT_EQ(e->chain.size(), objs.size());
  auto pass = Queue().Process(/*expired_only=*/false);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  for (const auto& o : objs) EXPECT_FALSE(Exists(o)) << o.ToString();
  EXPECT_EQ(mp.GetUpload("big", *id).status().code(), Code::kNoSuchUpload);
  // Nothing of the upload is left in the data pool (part heads included).
  std::string next;
  auto left = store_->List(objs[0].pool, store::kAllNamespaces, "", 0, &next);
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  for (const auto& e : *left) {
    EXPECT_EQ(e.oid.find(*id), std::string::npos) << "left behind: " << e.ns << "/" << e.oid;
  }
}

}  // namespace
}  // namespace kelp::rgw
