#include "store/embedded/embedded_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "store/cls/cls.h"
#include "store/embedded/data_files.h"
#include "store/embedded/dir_lock.h"
#include "store/embedded/keys.h"
#include "store/embedded/op_runner.h"
#include "store/embedded/rocks_status.h"
#include "store/embedded/staged_object.h"
#include "store/embedded/watch_registry.h"

namespace kelp::store::embedded {

namespace {

constexpr char kMetaNextPool[] = "next_pool";
constexpr char kMetaInstance[] = "instance";
constexpr char kMetaVersionCeiling[] = "version_ceiling";
// Versions are handed out from blocks reserved durably in advance, so no op
// has to persist a global counter and none can reuse a version after a crash.
constexpr uint64_t kVersionBlock = 1 << 20;

std::string U64Value(uint64_t v) {
  std::string s;
  Encoder e(&s);
  e.U64(v);
  return s;
}

Result<uint64_t> ParseU64(const std::string& s, const std::string& what) {
  Decoder d(s);
  uint64_t v = d.U64();
  if (!d.ok() || !d.AtEnd()) return Status::Corruption("bad " + what + " value");
  return v;
}

std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

bool Unhex(std::string_view s, std::string* out) {
  if (s.size() % 2) return false;
  auto val = [](char c) {
    return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
  };
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = val(s[i]), lo = val(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi << 4 | lo));
  }
  return true;
}

rocksdb::Options DbOptions() {
  rocksdb::Options o;
  o.create_if_missing = true;
  // Bounded memory: large object data never enters RocksDB (data files), so
  // small memtables and cache suffice.
  o.write_buffer_size = 16 << 20;
  o.max_write_buffer_number = 2;
  o.max_background_jobs = 2;
  o.max_open_files = 512;
  o.max_total_wal_size = 64 << 20;
  o.keep_log_file_num = 2;
  o.max_log_file_size = 4 << 20;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(8 << 20);
  t.cache_index_and_filter_blocks = true;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

class EmbeddedStore final : public ObjectStore {
 public:
  EmbeddedStore(std::string dir, EmbeddedOptions options, DirLock lock)
      : dir_(std::move(dir)),
        options_(options),
        lock_(std::move(lock)),
        files_(dir_ + "/data", options.sync) {}

  Status Init();

  Status CreatePool(const std::string& pool) override;
  Result<bool> PoolExists(const std::string& pool) override;
  Result<std::vector<std::string>> ListPools() override;
  Status Operate(const ObjectId& id, const WriteOp& op, uint64_t* version) override;
  Status Operate(const ObjectId& id, const ReadOp& op) override;
  Result<std::vector<ListEntry>> List(const std::string& pool, const std::string& ns,
                                      const std::string& cursor, size_t max,
                                      std::string* next_cursor) override;
  Result<uint64_t> Watch(const ObjectId& id, WatchCallback cb) override;
  Status Unwatch(uint64_t handle) override;
  Result<std::vector<NotifyReply>> Notify(const ObjectId& id, const std::string& payload,
                                          uint64_t timeout_ms) override;
  uint64_t InstanceId() const override { return instance_id_; }
  Result<int64_t> PoolId(const std::string& pool) override;
  Result<uint64_t> AllocateInstanceId();

 private:
  Result<uint64_t> PoolIdOf(const std::string& pool);
  Result<uint64_t> AllocVersion();
  std::shared_mutex& LockFor(const std::string& objkey) {
    return stripes_[std::hash<std::string>()(objkey) % stripes_.size()];
  }
  Result<uint64_t> GetMeta(const char* name, uint64_t dflt);
  Status PutMeta(const char* name, uint64_t v);
  Status CollectGarbage();
  Status RequireObject(const ObjectId& id, std::string* objkey);
  Status Fault(std::string_view point) {
    return options_.fault_hook ? options_.fault_hook(point) : Status::OK();
  }

  std::string dir_;
  EmbeddedOptions options_;
  DirLock lock_;  // declared before db_: released only after the DB closed
  std::unique_ptr<rocksdb::DB> db_;
  DataFiles files_;

  std::shared_mutex pools_mu_;
  std::map<std::string, uint64_t> pools_;
  uint64_t next_pool_id_ = 1;

  std::mutex version_mu_;
  uint64_t next_version_ = 1;
  uint64_t version_ceiling_ = 0;

  uint64_t instance_id_ = 0;
  std::mutex instance_mu_;  // AllocateInstanceId's read-modify-write
  std::array<std::shared_mutex, 256> stripes_;
  WatchRegistry watches_;
};

Result<uint64_t> EmbeddedStore::GetMeta(const char* name, uint64_t dflt) {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), MetaKey(name), &v);
  if (s.IsNotFound()) return dflt;
  if (!s.ok()) return FromRocks(s, std::string("reading ") + name);
  return ParseU64(v, name);
}

Status EmbeddedStore::PutMeta(const char* name, uint64_t v) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = db_->Put(wo, MetaKey(name), U64Value(v));
  if (!s.ok()) return FromRocks(s, std::string("writing ") + name);
  return Status::OK();
}

Status EmbeddedStore::Init() {
  RETURN_IF_ERROR(files_.Init());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(DbOptions(), dir_ + "/db", &raw);
  if (!s.ok()) return FromRocks(s, "opening RocksDB in " + dir_ + "/db");
  db_.reset(raw);

  // Pools.
  {
    std::string prefix(1, kPoolPrefix);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      ASSIGN_OR_RETURN(uint64_t id, ParseU64(it->value().ToString(), "pool id"));
      pools_[it->key().ToString().substr(1)] = id;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "loading pools");
  }
  ASSIGN_OR_RETURN(next_pool_id_, GetMeta(kMetaNextPool, 1));

  ASSIGN_OR_RETURN(uint64_t last_instance, GetMeta(kMetaInstance, 0));
  instance_id_ = last_instance + 1;
  RETURN_IF_ERROR(PutMeta(kMetaInstance, instance_id_));

  ASSIGN_OR_RETURN(uint64_t ceiling, GetMeta(kMetaVersionCeiling, 0));
  next_version_ = ceiling + 1;
  version_ceiling_ = ceiling + kVersionBlock;
  RETURN_IF_ERROR(PutMeta(kMetaVersionCeiling, version_ceiling_));

  RETURN_IF_ERROR(CollectGarbage());
  cls::RegisterBuiltinClasses();
  return Status::OK();
}

// Data files not referenced by an 'F' key were written by ops that never
// committed (or were replaced by a commit whose unlink the crash prevented).
// We hold the directory lock and no op has run yet, so all such are garbage.
Status EmbeddedStore::CollectGarbage() {
  ASSIGN_OR_RETURN(std::vector<uint64_t> ids, files_.List());
  for (uint64_t id : ids) {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), FileKey(id), &v);
    if (s.IsNotFound()) {
      files_.Unlink(id);
    } else if (!s.ok()) {
      return FromRocks(s, "checking data file references");
    }
  }
  return Status::OK();
}

Result<uint64_t> EmbeddedStore::AllocVersion() {
  std::lock_guard<std::mutex> l(version_mu_);
  if (next_version_ > version_ceiling_) {
    RETURN_IF_ERROR(PutMeta(kMetaVersionCeiling, version_ceiling_ + kVersionBlock));
    version_ceiling_ += kVersionBlock;
  }
  return next_version_++;
}

Result<uint64_t> EmbeddedStore::AllocateInstanceId() {
  std::lock_guard<std::mutex> l(instance_mu_);
  ASSIGN_OR_RETURN(uint64_t last, GetMeta(kMetaInstance, 0));
  RETURN_IF_ERROR(PutMeta(kMetaInstance, last + 1));
  return last + 1;
}

Result<uint64_t> EmbeddedStore::PoolIdOf(const std::string& pool) {
  std::shared_lock<std::shared_mutex> l(pools_mu_);
  auto it = pools_.find(pool);
  if (it == pools_.end()) return Status::NotFound("pool " + pool + " does not exist");
  return it->second;
}

Status EmbeddedStore::CreatePool(const std::string& pool) {
  if (pool.empty()) return Status::Invalid("empty pool name");
  std::unique_lock<std::shared_mutex> l(pools_mu_);
  if (pools_.count(pool)) return Status::Exists("pool " + pool + " already exists");
  uint64_t id = next_pool_id_;
  rocksdb::WriteBatch batch;
  batch.Put(Prefixed(kPoolPrefix, pool), U64Value(id));
  batch.Put(MetaKey(kMetaNextPool), U64Value(id + 1));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) return FromRocks(s, "creating pool " + pool);
  pools_[pool] = id;
  next_pool_id_ = id + 1;
  return Status::OK();
}

Result<bool> EmbeddedStore::PoolExists(const std::string& pool) {
  std::shared_lock<std::shared_mutex> l(pools_mu_);
  return pools_.count(pool) > 0;
}

Result<std::vector<std::string>> EmbeddedStore::ListPools() {
  std::shared_lock<std::shared_mutex> l(pools_mu_);
  std::vector<std::string> out;
  for (const auto& [name, id] : pools_) out.push_back(name);
  return out;
}

Result<int64_t> EmbeddedStore::PoolId(const std::string& pool) {
  ASSIGN_OR_RETURN(uint64_t id, PoolIdOf(pool));
  return static_cast<int64_t>(id);
}

Status EmbeddedStore::Operate(const ObjectId& id, const WriteOp& op, uint64_t* version) {
  ASSIGN_OR_RETURN(uint64_t pool_id, PoolIdOf(id.pool));
  std::string objkey = ObjectKey(pool_id, id);
  std::unique_lock<std::shared_mutex> l(LockFor(objkey));
  StagedObject obj(db_.get(), &files_, objkey, id.ToString());
  RETURN_IF_ERROR(obj.Load());
  ASSIGN_OR_RETURN(uint64_t new_version, AllocVersion());
  CephTime now = CephTime::Now();
  RETURN_IF_ERROR(RunSteps(obj, op.steps(), OpEnv{false, new_version, now}));
  if (!obj.dirty()) {
    if (version) *version = obj.record().version;
    return Status::OK();
  }

  rocksdb::WriteBatch batch;
  StagedObject::Commit commit;
  Status st = obj.Prepare(new_version, now, &batch, &commit);
  if (st.ok() && commit.new_file) st = Fault("data_file_written");
  if (st.ok()) st = Fault("before_commit");
  if (st.ok()) {
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    rocksdb::Status s = db_->Write(wo, &batch);
    if (!s.ok()) st = FromRocks(s, "committing op on " + id.ToString());
  }
  if (!st.ok()) {
    if (commit.new_file) files_.Unlink(*commit.new_file);
    return st;
  }
  (void)Fault("after_commit");  // a hook may only crash here: the op is durable
  for (uint64_t old : commit.unlink_after) files_.Unlink(old);
  if (version) *version = new_version;
  return Status::OK();
}

Status EmbeddedStore::Operate(const ObjectId& id, const ReadOp& op) {
  ASSIGN_OR_RETURN(uint64_t pool_id, PoolIdOf(id.pool));
  std::string objkey = ObjectKey(pool_id, id);
  std::shared_lock<std::shared_mutex> l(LockFor(objkey));
  StagedObject obj(db_.get(), &files_, objkey, id.ToString());
  RETURN_IF_ERROR(obj.Load());
  // Like an OSD: a read op on a missing object fails as a whole.
  if (!obj.exists()) return Status::NotFound(id.ToString() + " does not exist");
  return RunSteps(obj, op.steps(), OpEnv{true, obj.record().version, CephTime::Now()});
}

Result<std::vector<ListEntry>> EmbeddedStore::List(const std::string& pool, const std::string& ns,
                                                   const std::string& cursor, size_t max,
                                                   std::string* next_cursor) {
  ASSIGN_OR_RETURN(uint64_t pool_id, PoolIdOf(pool));
  std::string scope(1, kRecordPrefix);
  if (ns == kAllNamespaces) {
    AppendBE64(&scope, pool_id);
  } else {
    scope += NamespaceKey(pool_id, ns);
  }
  std::string start = scope;
  if (!cursor.empty()) {
    std::string raw;
    if (!Unhex(cursor, &raw) || !std::string_view(raw).starts_with(scope.substr(1))) {
      return Status::Invalid("bad listing cursor for pool " + pool);
    }
    start = Prefixed(kRecordPrefix, raw);
  }
  std::string upper = PrefixEnd(scope);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  it->Seek(start);
  if (!cursor.empty() && it->Valid() && it->key() == rocksdb::Slice(start)) it->Next();

  std::vector<ListEntry> out;
  std::string last;
  for (; it->Valid(); it->Next()) {
    if (max && out.size() >= max) break;
    std::string_view objkey(it->key().data() + 1, it->key().size() - 1);
    ListEntry e;
    if (!ParseObjectKey(objkey, &e)) return Status::Corruption("bad object key in pool " + pool);
    out.push_back(std::move(e));
    last.assign(objkey);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "listing pool " + pool);
  if (next_cursor) *next_cursor = it->Valid() ? Hex(last) : std::string();
  return out;
}

Status EmbeddedStore::RequireObject(const ObjectId& id, std::string* objkey) {
  ASSIGN_OR_RETURN(uint64_t pool_id, PoolIdOf(id.pool));
  *objkey = ObjectKey(pool_id, id);
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Prefixed(kRecordPrefix, *objkey), &v);
  if (s.IsNotFound()) return Status::NotFound(id.ToString() + " does not exist");
  if (!s.ok()) return FromRocks(s, "reading " + id.ToString());
  return Status::OK();
}

Result<uint64_t> EmbeddedStore::Watch(const ObjectId& id, WatchCallback cb) {
  std::string objkey;
  RETURN_IF_ERROR(RequireObject(id, &objkey));  // librados: ENOENT
  return watches_.Add(objkey, std::move(cb));
}

Status EmbeddedStore::Unwatch(uint64_t handle) { return watches_.Remove(handle); }

Result<std::vector<NotifyReply>> EmbeddedStore::Notify(const ObjectId& id,
                                                       const std::string& payload,
                                                       uint64_t timeout_ms) {
  std::string objkey;
  RETURN_IF_ERROR(RequireObject(id, &objkey));
  return watches_.Notify(objkey, payload, timeout_ms, instance_id_);
}

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenEmbeddedStore(const std::string& dir,
                                                       EmbeddedOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("creating store directory " + dir + ": " + ec.message());
  ASSIGN_OR_RETURN(DirLock lock, DirLock::Acquire(dir));
  auto store = std::make_unique<EmbeddedStore>(dir, options, std::move(lock));
  RETURN_IF_ERROR(store->Init().Annotate("opening store " + dir));
  return std::unique_ptr<ObjectStore>(std::move(store));
}

Result<uint64_t> AllocateInstanceId(ObjectStore& store) {
  auto* embedded = dynamic_cast<EmbeddedStore*>(&store);
  if (!embedded) return Status(Code::kNotImplemented, "not an embedded store");
  return embedded->AllocateInstanceId();
}

}  // namespace kelp::store::embedded
