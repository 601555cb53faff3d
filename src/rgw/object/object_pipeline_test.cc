// Several stripe ops in flight: the object writer's window of tail writes
// and the reader's read-ahead, on an embedded store whose OperateAsync
// really completes later, out of order, on another thread
// (async_test_store.h).
#include <gtest/gtest.h>

#include "rgw/meta/testing/temp_store.h"
#include "rgw/object/async_test_store.h"
#include "rgw/object/layout.h"
#include "rgw/object/multipart.h"
#include "rgw/object/object_reader.h"
#include "rgw/object/object_writer.h"
#include "rgw/services.h"
#include "rgw/types/acl.h"

namespace kelp::rgw {
namespace {

constexpr uint64_t kMiB = 1 << 20;
// Stripes the default window holds (16 MiB / 4 MiB).
constexpr uint64_t kWindowStripes = kPutObjWindowSize / kStripeSize;

std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

class PipelineTest : public testing::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    async_ = std::make_unique<testing::AsyncTestStore>(*store_);
    auto svc = Services::Init(*async_);
    ASSERT_TRUE(svc.ok()) << svc.status().ToString();
    asvc_ = std::move(*svc);
    UserSpec s;
    s.uid = User::FromString("owner");
    s.display_name = "Owner";
    ASSERT_TRUE(asvc_->users().Create(s).ok());
    CreateBucketSpec b;
    b.bucket.name = "bkt";
    b.owner = s.uid;
    b.acl = MakeDefaultPolicy(s.uid, "Owner");
    auto lb = asvc_->buckets().Create(b);
    ASSERT_TRUE(lb.ok()) << lb.status().ToString();
    bucket_ = std::make_unique<LoadedBucket>(std::move(*lb));
  }
  void TearDown() override {
    bucket_.reset();
    asvc_.reset();
    async_.reset();
    TempStoreTest::TearDown();
  }

  WriteSpec Spec(const std::string& key) {
    WriteSpec spec;
    spec.key.name = key;
    spec.hash_name = key;
    spec.owner = "owner";
    spec.owner_display_name = "Owner";
    return spec;
  }

  // Feeds `data` in uneven pieces (1 MiB + 13 bytes) so buffers straddle
  // stripe boundaries, as an HTTP body does.
  static Status Feed(ObjectWriter& w, const std::string& data) {
    for (size_t off = 0; off < data.size(); off += kMiB + 13) {
      RETURN_IF_ERROR(w.Write(std::string_view(data).substr(off, kMiB + 13)));
    }
    return Status::OK();
  }

  Result<CommitResult> Put(const std::string& key, const std::string& data) {
    ObjectWriter w(*asvc_, *bucket_, Spec(key));
    RETURN_IF_ERROR(Feed(w, data));
    return w.Commit({});
  }

  Result<std::string> Read(const std::string& key, uint64_t first, uint64_t end, bool prefetch,
                           size_t max = kMiB) {
    ASSIGN_OR_RETURN(ObjectHead head, ReadHead(*asvc_, *bucket_, ObjKey{key, ""}, prefetch));
    ObjectReader r(*asvc_, *bucket_, std::move(head), first, end);
    std::string out;
    for (;;) {
      ASSIGN_OR_RETURN(std::string chunk, r.Next(max));
      if (chunk.empty()) return out;
      EXPECT_LE(chunk.size(), max);
      out += chunk;
    }
  }

  // Every object of a pool, "oid" per entry.
  std::vector<std::string> PoolObjects(const std::string& pool) {
    std::vector<std::string> out;
    std::string cursor;
    do {
      auto page = store_->List(pool, store::kAllNamespaces, cursor, 1000, &cursor);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const auto& e : *page) out.push_back(e.oid);
    } while (!cursor.empty());
    return out;
  }

  // Raw omap keys of every bucket index shard (entries and pending ops).
  size_t IndexKeys() {
    size_t n = 0;
    for (const auto& oid : PoolObjects("default.rgw.buckets.index")) {
      std::map<std::string, std::string> vals;
      store::ReadOp op;
      op.OmapGetVals("", "", 1000, &vals);
      EXPECT_TRUE(store_->Operate({"default.rgw.buckets.index", "", oid, ""}, op).ok());
      n += vals.size();
    }
    return n;
  }

  std::unique_ptr<testing::AsyncTestStore> async_;
  std::unique_ptr<Services> asvc_;
  std::unique_ptr<LoadedBucket> bucket_;
};

TEST_F(PipelineTest, PutKeepsTheWindowFullButNeverOverIt) {
  const uint64_t sizes[] = {0,          1,          4 * kMiB - 1, 4 * kMiB,
                            4 * kMiB + 1, 20 * kMiB, 37 * kMiB + 5};
  for (uint64_t size : sizes) {
    SCOPED_TRACE("size " + std::to_string(size));
    const std::string key = "obj-" + std::to_string(size);
    const std::string data = Pattern(size, static_cast<uint32_t>(size));
    async_->ResetCounters();
    auto res = Put(key, data);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->size, size);
    EXPECT_EQ(res->etag, HexEncode(Md5(data)));
    const uint64_t tails = size <= kMaxHeadSize ? 0 : (size - kMaxHeadSize + kStripeSize - 1) /
                                                          kStripeSize;
    EXPECT_EQ(async_->async_writes(), tails);
    // 20 MiB = head + 4 tails: the window (4 stripes) is reached exactly.
    EXPECT_EQ(async_->max_writes_in_flight(), std::min(tails, kWindowStripes));
    EXPECT_EQ(async_->same_object_overlaps(), 0u);
    EXPECT_EQ(async_->in_flight(), 0u);

    auto whole = Read(key, 0, size, /*prefetch=*/true);
    ASSERT_TRUE(whole.ok()) << whole.status().ToString();
    EXPECT_TRUE(*whole == data) << "bytes differ";
    auto cold = Read(key, 0, size, /*prefetch=*/false, 3 * kMiB);
    ASSERT_TRUE(cold.ok()) << cold.status().ToString();
    EXPECT_TRUE(*cold == data) << "bytes differ";
  }
  // The data pool holds heads and tails only: 7 heads + 0+0+0+0+1+4+9 tails.
  EXPECT_EQ(PoolObjects("default.rgw.buckets.data").size(), 7u + 14u);
}

TEST_F(PipelineTest, MultipartPartUsesTheWindow) {
  Multipart mp(*asvc_, *bucket_);
  auto id = mp.Init("mp", {}, "owner", "Owner");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto upload = mp.GetUpload("mp", *id);
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  const std::string p1 = Pattern(21 * kMiB + 3, 1), p2 = Pattern(5 * kMiB, 2);
  std::vector<PartSpec> parts;
  for (uint32_t num : {1u, 2u}) {
    const std::string& data = num == 1 ? p1 : p2;
    async_->ResetCounters();
    auto w = mp.PartWriter(*upload, num);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(Feed(**w, data).ok());
    auto c = mp.CommitPart(*upload, num, **w, {});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    parts.push_back(PartSpec{num, c->etag});
    // Part 1: part head (4 MiB) + 5 tail stripes, 4 of them in flight at once.
    EXPECT_EQ(async_->max_writes_in_flight(), num == 1 ? kWindowStripes : 1u);
    EXPECT_EQ(async_->same_object_overlaps(), 0u);
  }
  auto done = mp.Complete(*upload, parts);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto got = Read("mp", 0, p1.size() + p2.size(), /*prefetch=*/true);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == p1 + p2) << "bytes differ";
  // A range across the part boundary, without the head prefetch.
  auto range = Read("mp", 20 * kMiB, 22 * kMiB, /*prefetch=*/false);
  ASSERT_TRUE(range.ok()) << range.status().ToString();
  EXPECT_TRUE(*range == (p1 + p2).substr(20 * kMiB, 2 * kMiB)) << "bytes differ";
}

TEST_F(PipelineTest, FailedStripeWriteFailsTheUploadAndLeavesNothing) {
  const std::string data = Pattern(37 * kMiB, 7);  // head + 9 tails
  // The 1st failure shows in a Write (waiting for room in the window), the
  // 9th only when FinishData waits for the last stripes; a missing pool
  // (NotFound) is a server error, as with a synchronous write.
  struct Case {
    uint64_t nth;
    Status st;
  };
  for (const Case& c : {Case{1, Status(Code::kIOError, "injected")},
                        Case{9, Status(Code::kIOError, "injected")},
                        Case{3, Status::NotFound("no pool")}}) {
    SCOPED_TRACE("failing write " + std::to_string(c.nth));
    async_->ResetCounters();
    async_->FailNthWrite(c.nth, c.st);
    Status st;
    {
      ObjectWriter w(*asvc_, *bucket_, Spec("doomed"));
      st = Feed(w, data);
      if (st.ok()) st = w.Commit({}).status();
      EXPECT_LE(async_->max_writes_in_flight(), kWindowStripes);
    }  // the upload fails: the writer removes what it wrote (several removes in flight)
    async_->FailNthWrite(0, Status::OK());
    EXPECT_EQ(st.code(), Code::kIOError) << st.ToString();
    EXPECT_NE(st.message().find("writing tail stripe"), std::string::npos) << st.ToString();
    EXPECT_EQ(async_->in_flight(), 0u);
    EXPECT_EQ(async_->same_object_overlaps(), 0u);
    auto head = ReadHead(*asvc_, *bucket_, ObjKey{"doomed", ""});
    EXPECT_EQ(head.status().code(), Code::kNoSuchKey);
    EXPECT_TRUE(PoolObjects("default.rgw.buckets.data").empty());
    EXPECT_EQ(IndexKeys(), 0u);
  }
}

TEST_F(PipelineTest, AbandonedUploadWaitsForItsWritesThenRemovesThem) {
  async_->ResetCounters();
  {
    ObjectWriter w(*asvc_, *bucket_, Spec("abandoned"));
    ASSERT_TRUE(Feed(w, Pattern(22 * kMiB, 4)).ok());
    EXPECT_EQ(async_->in_flight(), kWindowStripes);  // nothing waited for yet
  }  // the client went away mid-body
  EXPECT_EQ(async_->in_flight(), 0u);
  EXPECT_EQ(async_->same_object_overlaps(), 0u);  // no remove raced a write
  EXPECT_TRUE(PoolObjects("default.rgw.buckets.data").empty());
  EXPECT_EQ(IndexKeys(), 0u);
}

TEST_F(PipelineTest, FailedPartStripeRemovesThePartHeadAndTails) {
  Multipart mp(*asvc_, *bucket_);
  auto id = mp.Init("mp", {}, "owner", "Owner");
  ASSERT_TRUE(id.ok());
  auto upload = mp.GetUpload("mp", *id);
  ASSERT_TRUE(upload.ok());
  async_->FailNthWrite(2, Status(Code::kIOError, "injected"));
  {
    auto w = mp.PartWriter(*upload, 1);
    ASSERT_TRUE(w.ok());
    Status st = Feed(**w, Pattern(30 * kMiB, 3));
    if (st.ok()) st = mp.CommitPart(*upload, 1, **w, {}).status();
    EXPECT_EQ(st.code(), Code::kIOError) << st.ToString();
  }
  EXPECT_TRUE(PoolObjects("default.rgw.buckets.data").empty());
  auto parts = mp.ListParts(*upload);
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST_F(PipelineTest, ReadAheadKeepsTheWindowAndReadsOnlyTheRange) {
  const uint64_t size = 41 * kMiB + 17;  // head + 10 tails
  const std::string data = Pattern(size, 11);
  ASSERT_TRUE(Put("big", data).ok());

  async_->ResetCounters();
  auto all = Read("big", 0, size, /*prefetch=*/false);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(*all == data) << "bytes differ";
  EXPECT_EQ(async_->max_reads_in_flight(), kGetObjWindowSize / kGetObjMaxReqSize);
  EXPECT_EQ(async_->bytes_read(), size);
  EXPECT_EQ(async_->in_flight(), 0u);

  struct Range {
    uint64_t first, end;
  };
  for (const Range& r : {Range{0, 1}, Range{5, 4 * kMiB + 9}, Range{4 * kMiB, 8 * kMiB},
                         Range{6 * kMiB + 1, 7 * kMiB}, Range{10 * kMiB - 3, 30 * kMiB + 5},
                         Range{size - 1, size}, Range{3 * kMiB, size}}) {
    for (bool prefetch : {false, true}) {
      SCOPED_TRACE("range " + std::to_string(r.first) + "-" + std::to_string(r.end) +
                   (prefetch ? " prefetched" : ""));
      async_->ResetCounters();
      for (size_t max : {size_t{1} << 20, size_t{8} << 20}) {
        auto got = Read("big", r.first, r.end, prefetch, max);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        EXPECT_TRUE(*got == data.substr(r.first, r.end - r.first)) << "bytes differ";
      }
      // Stripe reads cover the range and nothing else (the head's bytes come
      // with the head when prefetched).
      uint64_t head_part = r.first < kMaxHeadSize ? std::min(r.end, kMaxHeadSize) - r.first : 0;
      EXPECT_EQ(async_->bytes_read(), 2 * (r.end - r.first - (prefetch ? head_part : 0)));
      EXPECT_LE(async_->max_reads_in_flight(), kGetObjWindowSize / kGetObjMaxReqSize);
    }
  }
}

TEST_F(PipelineTest, ReaderDroppedMidStreamWaitsForItsReads) {
  const std::string data = Pattern(30 * kMiB, 5);
  ASSERT_TRUE(Put("big", data).ok());
  auto head = ReadHead(*asvc_, *bucket_, ObjKey{"big", ""}, /*prefetch=*/true);
  ASSERT_TRUE(head.ok());
  async_->ResetCounters();
  {
    ObjectReader r(*asvc_, *bucket_, *head, 0, data.size());
    auto chunk = r.Next();
    ASSERT_TRUE(chunk.ok());
    EXPECT_TRUE(*chunk == data.substr(0, kGetObjMaxReqSize));  // a whole read, by default
    // The prefetched head went out whole; its room in the window went to the
    // next read at once: 4 stripe reads in flight, none waited for yet.
    EXPECT_EQ(async_->in_flight(), kGetObjWindowSize / kGetObjMaxReqSize);
  }  // the client went away
  EXPECT_EQ(async_->in_flight(), 0u);
  EXPECT_EQ(async_->async_reads(), kGetObjWindowSize / kGetObjMaxReqSize);
}

TEST_F(PipelineTest, FailedReadEndsTheStream) {
  const std::string data = Pattern(30 * kMiB, 9);
  ASSERT_TRUE(Put("big", data).ok());
  auto head = ReadHead(*asvc_, *bucket_, ObjKey{"big", ""}, /*prefetch=*/true);
  ASSERT_TRUE(head.ok());
  async_->ResetCounters();
  async_->FailNthRead(2, Status(Code::kIOError, "injected"));
  ObjectReader r(*asvc_, *bucket_, *head, 0, data.size());
  std::string got;
  Status st;
  for (;;) {
    auto chunk = r.Next(4 * kMiB);
    if (!chunk.ok()) {
      st = chunk.status();
      break;
    }
    ASSERT_FALSE(chunk->empty()) << "stream ended without the error";
    got += *chunk;
  }
  EXPECT_EQ(st.code(), Code::kIOError) << st.ToString();
  EXPECT_EQ(got, data.substr(0, 8 * kMiB));  // head + stripe 1, then stripe 2 failed
  EXPECT_EQ(r.Next().status().code(), Code::kIOError);
  // A tail that vanished (NotFound) reads as "the object changed" (503).
  async_->FailNthRead(0, Status::OK());
  async_->ResetCounters();
  async_->FailNthRead(1, Status::NotFound("gone"));
  ObjectReader r2(*asvc_, *bucket_, *head, 5 * kMiB, 6 * kMiB);
  EXPECT_EQ(r2.Next().status().code(), Code::kServiceUnavailable);
}

}  // namespace
}  // namespace kelp::rgw
