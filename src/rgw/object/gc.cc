#include "rgw/object/gc.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>

#include "base/crypto.h"
#include "rgw/meta/zone_service.h"
#include "rgw/services.h"
#include "store/cls/lock/types.h"
#include "store/cls/refcount/types.h"
#include "store/cls/version/types.h"

namespace kelp::rgw {

namespace gccls = store::cls::rgw_gc;

namespace {

std::mutex options_mu;
GcOptions& OptionsRef() {
  static GcOptions options;
  return options;
}

constexpr const char* kLockName = "gc_process";  // gc_index_lock_name
constexpr uint64_t kTagSeed = 8675309;           // RGWGC's XXH64 seed
constexpr uint32_t kShardsPrime0 = 7877;         // RGW_SHARDS_PRIME_0
constexpr uint32_t kShardsPrime1 = 65521;        // RGW_SHARDS_PRIME_1
constexpr uint32_t kProcessBatch = 100;          // RGWGC::process's list max

// ---- XXH64 (xxHash specification, 64-bit variant) ----
constexpr uint64_t kP1 = 11400714785074694791ull;
constexpr uint64_t kP2 = 14029467366897019727ull;
constexpr uint64_t kP3 = 1609587929392839161ull;
constexpr uint64_t kP4 = 9650029242287828579ull;
constexpr uint64_t kP5 = 2870177450012600261ull;

uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
uint64_t Le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint32_t Le32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t Round(uint64_t acc, uint64_t input) { return Rotl(acc + input * kP2, 31) * kP1; }
uint64_t MergeRound(uint64_t acc, uint64_t v) { return (acc ^ Round(0, v)) * kP1 + kP4; }

CephTime Now() { return CephTime::Now(); }

}  // namespace

uint64_t Xxh64(std::string_view data, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  size_t i = 0;
  uint64_t h;
  if (n >= 32) {
    uint64_t v1 = seed + kP1 + kP2, v2 = seed + kP2, v3 = seed, v4 = seed - kP1;
    for (; i + 32 <= n; i += 32) {
      v1 = Round(v1, Le64(p + i));
      v2 = Round(v2, Le64(p + i + 8));
      v3 = Round(v3, Le64(p + i + 16));
      v4 = Round(v4, Le64(p + i + 24));
    }
    h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
    h = MergeRound(h, v1);
    h = MergeRound(h, v2);
    h = MergeRound(h, v3);
    h = MergeRound(h, v4);
  } else {
    h = seed + kP5;
  }
  h += n;
  for (; i + 8 <= n; i += 8) h = Rotl(h ^ Round(0, Le64(p + i)), 27) * kP1 + kP4;
  if (i + 4 <= n) {
    h = Rotl(h ^ (uint64_t{Le32(p + i)} * kP1), 23) * kP2 + kP3;
    i += 4;
  }
  for (; i < n; ++i) h = Rotl(h ^ (p[i] * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

uint32_t GcTagIndex(std::string_view tag, uint32_t max_objs) {
  if (max_objs == 0) return 0;
  // rgw_shards_mod takes an `unsigned`: the hash is truncated to 32 bits.
  uint32_t h = static_cast<uint32_t>(Xxh64(tag, kTagSeed));
  uint32_t prime = max_objs <= kShardsPrime0 ? kShardsPrime0 : kShardsPrime1;
  return h % prime % max_objs;
}

void SetGcOptions(const GcOptions& options) {
  std::lock_guard<std::mutex> l(options_mu);
  OptionsRef() = options;
}

GcOptions GetGcOptions() {
  std::lock_guard<std::mutex> l(options_mu);
  return OptionsRef();
}

GcChain GcChainForManifest(Services& services, const ObjManifest& manifest,
                           const std::set<std::string>& keep) {
  auto placement = services.zone().Placement(manifest.tail_placement.placement_rule.name);
  Pool pool = placement.ok()
                  ? placement->DataPool(manifest.tail_placement.placement_rule.storage_class)
                  : Pool{"default.rgw.buckets.data", ""};
  GcChain chain;
  for (const auto& stripe : manifest.Stripes()) {
    if (stripe.is_head || stripe.obj == manifest.obj) continue;  // the caller owns the head
    std::string oid = stripe.obj.GetOid();
    if (keep.count(oid)) continue;
    gccls::ChainObj o;
    o.pool = pool.ToString();
    o.key.name = std::move(oid);
    o.loc = stripe.obj.GetLocator();
    chain.push_back(std::move(o));
  }
  return chain;
}

GcQueue::GcQueue(store::ObjectStore& store, Pool gc_pool, GcOptions options)
    : store_(store), pool_(std::move(gc_pool)), options_(options) {
  if (options_.max_objs == 0) options_.max_objs = 1;
  options_.max_objs = std::min(options_.max_objs, kShardsPrime1);  // rgw_shards_max()
}

GcQueue::GcQueue(Services& services)
    : GcQueue(services.store(), services.zone().params().gc_pool, GetGcOptions()) {}

store::ObjectId GcQueue::ShardId(uint32_t index) const {
  return store::ObjectId{pool_.name, pool_.ns, ShardOid(index), ""};
}

// gc_log_init2: create, assert version 0, init the queue, set version 1.
Status GcQueue::InitShard(uint32_t index) {
  namespace ver = store::cls::version;
  store::WriteOp op;
  op.Create(false);
  ver::CheckOp check;
  check.conds.push_back(ver::ObjVersionCond{ver::ObjVersion{0, ""}, ver::kCondEq});
  op.Exec("version", "check_conds", EncodeToString(check));
  op.Exec("rgw_gc", "rgw_gc_queue_init",
          EncodeToString(gccls::QueueInitOp{options_.max_queue_size, options_.max_deferred}));
  op.Exec("version", "set", EncodeToString(ver::SetOp{ver::ObjVersion{1, ""}}));
  Status st = store_.Operate(ShardId(index), op);
  if (st.IsCanceled()) return Status::OK();  // already a queue (or being made one)
  return st;
}

// gc_log_enqueue2 (version 1 asserted), else the legacy omap entry.
Status GcQueue::SendOne(const GcEntry& info, uint32_t index) {
  namespace ver = store::cls::version;
  gccls::SetEntryOp set;
  set.expiration_secs = options_.min_wait_secs;
  set.info = info;
  const std::string input = EncodeToString(set);
  auto enqueue = [&] {
    store::WriteOp op;
    ver::CheckOp check;
    check.conds.push_back(ver::ObjVersionCond{ver::ObjVersion{1, ""}, ver::kCondEq});
    op.Exec("version", "check_conds", EncodeToString(check));
    op.Exec("rgw_gc", "rgw_gc_queue_enqueue", input);
    return store_.Operate(ShardId(index), op);
  };
  Status st = enqueue();
  if (!st.IsCanceled()) return st;
  // Not a queue yet: radosgw would have made it one at start-up.
  RETURN_IF_ERROR(InitShard(index).Annotate("initializing " + ShardOid(index)));
  st = enqueue();
  if (!st.IsCanceled()) return st;
  store::WriteOp legacy;
  legacy.Exec("rgw", "gc_set_entry", input);
  return store_.Operate(ShardId(index), legacy);
}

Status GcQueue::SendChain(const GcChain& chain, const std::string& tag) {
  if (chain.empty()) return Status::OK();
  const uint32_t index = GcTagIndex(tag, options_.max_objs);
  GcEntry info;
  info.tag = tag;
  // send_split_chain: entries stay under max_chunk_size encoded.
  auto encoded_size = [&] { return EncodeToString(info).size() + 4 + 6; };
  for (const auto& obj : chain) {
    info.chain.push_back(obj);
    if (info.chain.size() > 1 && encoded_size() > options_.max_chunk_size) {
      info.chain.pop_back();
      RETURN_IF_ERROR(SendOne(info, index));
      info.chain.clear();
      info.chain.push_back(obj);
    }
  }
  return SendOne(info, index);
}

Result<uint64_t> GcQueue::ShardVersion(uint32_t index) {
  store::ObjectStat stat;
  std::string out;
  store::ReadOp op;
  op.Stat(&stat);
  op.Exec("version", "read", "", &out);
  RETURN_IF_ERROR(store_.Operate(ShardId(index), op));
  store::cls::version::ReadRet ret;
  RETURN_IF_ERROR(DecodeFromString(out, ret));
  return ret.objv.ver;
}

Result<std::vector<GcEntry>> GcQueue::ListOmap(uint32_t index, bool expired_only) {
  std::vector<GcEntry> all;
  gccls::ListOp op;
  op.max = 1000;
  op.expired_only = expired_only;
  for (;;) {
    std::string out;
    store::ReadOp rop;
    rop.Exec("rgw", "gc_list", EncodeToString(op), &out);
    Status st = store_.Operate(ShardId(index), rop);
    // No omap gc methods (the embedded engine) or no shard: nothing there.
    if (st.IsNotFound() || st.Is(Code::kNotImplemented)) return all;
    RETURN_IF_ERROR(st);
    gccls::ListRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    for (auto& e : ret.entries) all.push_back(std::move(e));
    if (!ret.truncated || ret.next_marker.empty()) return all;
    op.marker = ret.next_marker;
  }
}

Result<std::vector<GcEntry>> GcQueue::ListQueue(uint32_t index, bool expired_only) {
  std::vector<GcEntry> all;
  gccls::ListOp op;
  op.max = 1000;
  op.expired_only = expired_only;
  for (;;) {
    std::string out;
    store::ReadOp rop;
    rop.Exec("rgw_gc", "rgw_gc_queue_list_entries", EncodeToString(op), &out);
    RETURN_IF_ERROR(store_.Operate(ShardId(index), rop));
    gccls::ListRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    for (auto& e : ret.entries) all.push_back(std::move(e));
    if (!ret.truncated || ret.next_marker.empty()) return all;
    op.marker = ret.next_marker;
  }
}

Result<std::vector<GcEntry>> GcQueue::List(bool expired_only) {
  std::vector<GcEntry> all;
  for (uint32_t i = 0; i < options_.max_objs; ++i) {
    auto ver = ShardVersion(i);
    if (!ver.ok() && ver.status().IsNotFound()) continue;
    if (!ver.ok()) return ver.status().Annotate("reading " + ShardOid(i));
    ASSIGN_OR_RETURN(auto omap, ListOmap(i, expired_only));
    for (auto& e : omap) all.push_back(std::move(e));
    if (*ver == 1) {
      ASSIGN_OR_RETURN(auto queue, ListQueue(i, expired_only));
      for (auto& e : queue) all.push_back(std::move(e));
    }
  }
  return all;
}

bool GcQueue::ReleaseChain(const GcEntry& info, GcProcessStats* stats) {
  bool all_ok = true;
  for (const auto& obj : info.chain) {
    Pool pool = Pool::FromString(obj.pool);
    store::ObjectId id{pool.name, pool.ns, obj.key.name, obj.loc};
    store::cls::refcount::PutOp put;
    put.tag = info.tag;
    put.implicit_ref = true;
    store::WriteOp op;
    op.Exec("refcount", "put", EncodeToString(put));
    Status st = store_.Operate(id, op);
    if (st.ok() || st.IsNotFound()) {  // already gone: done as well
      ++stats->objects;
    } else {
      all_ok = false;
    }
  }
  return all_ok;
}

Status GcQueue::ProcessLocked(uint32_t index, bool expired_only, GcProcessStats* stats) {
  auto ver = ShardVersion(index);
  if (!ver.ok()) return ver.status().IsNotFound() ? Status::OK() : ver.status();

  // Leftover omap entries (pre-queue shards): release, then drop by tag.
  ASSIGN_OR_RETURN(auto omap, ListOmap(index, expired_only));
  if (!omap.empty()) {
    gccls::RemoveOp remove;
    for (const auto& e : omap) {
      if (ReleaseChain(e, stats)) remove.tags.push_back(e.tag);
    }
    if (!remove.tags.empty()) {
      store::WriteOp op;
      op.Exec("rgw", "gc_remove", EncodeToString(remove));
      RETURN_IF_ERROR(store_.Operate(ShardId(index), op));
      stats->entries += remove.tags.size();
    }
  }
  if (*ver != 1) return Status::OK();

  // The queue: entries are removed from the front, so only the leading run
  // of due entries is processed (radosgw lists expired entries and removes
  // as many from the front, which assumes they lead the queue).
  for (;;) {
    gccls::ListOp op;
    op.max = kProcessBatch;
    op.expired_only = false;
    std::string out;
    store::ReadOp rop;
    rop.Exec("rgw_gc", "rgw_gc_queue_list_entries", EncodeToString(op), &out);
    RETURN_IF_ERROR(store_.Operate(ShardId(index), rop));
    gccls::ListRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    const CephTime now = Now();
    size_t due = 0;
    for (const auto& e : ret.entries) {
      if (expired_only && now < e.time) break;
      ++due;
    }
    if (due == 0) return Status::OK();
    size_t n = 0;
    for (const auto& e : ret.entries) {
      if (n == due) break;
      // As radosgw: an object that could not be released keeps the entries.
      if (!ReleaseChain(e, stats)) return Status::OK();
      ++n;
    }
    store::WriteOp rm;
    rm.Exec("rgw_gc", "rgw_gc_queue_remove_entries",
            EncodeToString(gccls::QueueRemoveEntriesOp{due}));
    RETURN_IF_ERROR(store_.Operate(ShardId(index), rm));
    stats->entries += due;
    if (due < ret.entries.size() || !ret.truncated) return Status::OK();
  }
}

Result<GcProcessStats> GcQueue::ProcessShard(uint32_t index, bool expired_only) {
  GcProcessStats stats;
  // Never create a shard by locking it.
  auto ver = ShardVersion(index);
  if (!ver.ok()) {
    if (ver.status().IsNotFound()) return stats;
    return ver.status();
  }
  namespace lk = store::cls::lock;
  lk::LockOp lock;
  lock.name = kLockName;
  lock.type = lk::kLockExclusive;
  lock.cookie = "kelp-" + HexEncode(RandomBytes(8));
  lock.duration = CephTime{options_.processor_max_time, 0};
  store::WriteOp lop;
  lop.Exec("lock", "lock", EncodeToString(lock));
  Status st = store_.Operate(ShardId(index), lop);
  if (st.Is(Code::kBusy) || st.IsExists()) {  // another processor holds it
    stats.busy_shards = 1;
    return stats;
  }
  RETURN_IF_ERROR(st.Annotate("locking " + ShardOid(index)));
  Status work = ProcessLocked(index, expired_only, &stats);
  store::WriteOp uop;
  uop.Exec("lock", "unlock", EncodeToString(lk::UnlockOp{kLockName, lock.cookie}));
  (void)store_.Operate(ShardId(index), uop);
  if (!work.ok()) return work.Annotate("processing " + ShardOid(index));
  return stats;
}

Result<GcProcessStats> GcQueue::Process(bool expired_only) {
  GcProcessStats total;
  uint32_t start = 0;
  {
    std::string b = RandomBytes(4);
    std::memcpy(&start, b.data(), 4);
  }
  for (uint32_t i = 0; i < options_.max_objs; ++i) {
    uint32_t index = (start + i) % options_.max_objs;
    ASSIGN_OR_RETURN(GcProcessStats s, ProcessShard(index, expired_only));
    total.entries += s.entries;
    total.objects += s.objects;
    total.busy_shards += s.busy_shards;
  }
  return total;
}

GcWorker::GcWorker(Services& services, uint32_t period_secs)
    : services_(services), period_secs_(period_secs) {}

GcWorker::~GcWorker() { Stop(); }

void GcWorker::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void GcWorker::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GcWorker::Run() {
  for (;;) {
    auto start = std::chrono::steady_clock::now();
    auto r = GcQueue(services_).Process(/*expired_only=*/true);
    if (!r.ok()) std::cerr << "kelp gc: process failed: " << r.status().ToString() << std::endl;
    passes_.fetch_add(1);
    std::unique_lock<std::mutex> l(mu_);
    if (cv_.wait_until(l, start + std::chrono::seconds(period_secs_), [this] { return stop_; })) {
      return;
    }
  }
}

}  // namespace kelp::rgw
