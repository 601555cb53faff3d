#include "store/rados/rados_store.h"

#include <rados/librados.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "store/rados/rados_errors.h"
#include "store/rados/rados_ops.h"
#include "store/rados/watch_dispatcher.h"

namespace kelp::store::rados {

namespace {

using librados::bufferlist;

constexpr uint64_t kDefaultNotifyTimeoutMs = 30000;  // as the embedded engine
constexpr size_t kListChunk = 1000;                  // object_list batch for max = 0

// One cached IoCtx per pool. librados copies the namespace and locator into
// an op when it is submitted, so setting them and submitting under `mu` is
// enough to share the IoCtx between threads.
struct PoolCtx {
  std::mutex mu;
  librados::IoCtx io;
  int64_t id = -1;  // the pool's id when opened (a recreated pool gets a new one)
};

// The completion callback runs on librados' finisher thread: it only marks
// the op done. It owns one reference to the op's state, so an op whose
// caller stopped waiting (timeout) still has its buffers when it completes.
void OnComplete(librados::completion_t, void* arg) {
  auto* ref = static_cast<std::shared_ptr<OpState>*>(arg);
  {
    std::lock_guard<std::mutex> l((*ref)->mu);
    (*ref)->done = true;
  }
  (*ref)->cv.notify_all();
  delete ref;
}

class RadosStore;

// One watch: the librados WatchCtx2 plus its own IoCtx (namespace/locator of
// the watched object, used for notify_ack and unwatch).
class WatchRec : public librados::WatchCtx2, public std::enable_shared_from_this<WatchRec> {
 public:
  WatchRec(WatchDispatcher* dispatcher, ObjectId id, WatchCallback cb)
      : dispatcher_(dispatcher), id_(std::move(id)), cb_(std::move(cb)) {}

  librados::IoCtx io;
  std::mutex mu;        // guards cookie
  uint64_t cookie = 0;  // current librados watch handle

  const ObjectId& id() const { return id_; }

  // librados finisher thread: hand the work to our dispatcher thread, so the
  // callback may call back into the store (whose completions need the
  // finisher) without deadlocking.
  void handle_notify(uint64_t notify_id, uint64_t acked_cookie, uint64_t notifier_id,
                     bufferlist& bl) override {
    auto self = shared_from_this();
    std::string payload = bl.to_str();
    dispatcher_->Post([self, notify_id, acked_cookie, notifier_id, payload = std::move(payload)] {
      std::string reply;
      try {
        reply = self->cb_(notify_id, notifier_id, payload);
      } catch (...) {
        // A throwing callback must not take the dispatcher thread down;
        // the notifier then sees an empty ack from this watcher.
      }
      bufferlist rbl;
      rbl.append(reply.data(), reply.size());
      self->io.notify_ack(self->id_.oid, notify_id, acked_cookie, rbl);
    });
  }

  // The watch broke (ENOTCONN: session reset, OSD restarted, ...): radosgw
  // re-registers its watches (RGWWatcher::reinit); so do we.
  void handle_error(uint64_t broken_cookie, int err) override {
    auto self = shared_from_this();
    dispatcher_->Post([self, broken_cookie] { self->Rewatch(broken_cookie); });
  }

  // Unregister the current watch; Rewatch becomes a no-op afterwards.
  int Stop() {
    std::lock_guard<std::mutex> l(mu);
    stopped_ = true;
    return io.unwatch2(cookie);
  }

 private:
  void Rewatch(uint64_t broken) {
    std::lock_guard<std::mutex> l(mu);
    if (stopped_ || broken != cookie) return;
    (void)io.unwatch2(cookie);
    uint64_t c = 0;
    if (io.watch2(id_.oid, &c, this) == 0) cookie = c;
  }

  WatchDispatcher* dispatcher_;
  ObjectId id_;
  WatchCallback cb_;
  bool stopped_ = false;
};

class RadosStore final : public ObjectStore {
 public:
  explicit RadosStore(RadosOptions opts) : opts_(std::move(opts)) {}
  ~RadosStore() override;

  Status Connect();

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

 private:
  Result<std::shared_ptr<PoolCtx>> Pool(const std::string& name);
  // After an ENOENT: drops the cached handle if `name` was deleted or
  // recreated since it was opened; true if it exists now under a new id
  // (then the op is worth one retry on the new pool).
  bool PoolRecreated(const std::string& name);
  // An IoCtx of its own for `id` (watch, notify, list): namespace and locator set.
  Result<librados::IoCtx> OwnCtx(const ObjectId& id);
  // Submit st's op (write if is_write) on id and wait for it.
  Status Submit(const ObjectId& id, OpState& st, const std::shared_ptr<OpState>& ref,
                bool is_write, const std::string& what, int* r, uint64_t* version);

  RadosOptions opts_;
  librados::Rados rados_;
  bool connected_ = false;
  uint64_t instance_id_ = 0;

  std::mutex pools_mu_;
  std::map<std::string, std::shared_ptr<PoolCtx>> pools_;

  std::mutex watch_mu_;
  std::map<uint64_t, std::shared_ptr<WatchRec>> watches_;
  WatchDispatcher dispatcher_;
};

RadosStore::~RadosStore() {
  if (connected_) {
    std::map<uint64_t, std::shared_ptr<WatchRec>> watches;
    {
      std::lock_guard<std::mutex> l(watch_mu_);
      watches.swap(watches_);
    }
    for (auto& [h, w] : watches) (void)w->Stop();
    if (!watches.empty()) (void)rados_.watch_flush();
  }
  dispatcher_.Stop();  // runs what is queued, then joins
  watches_.clear();
  pools_.clear();  // IoCtxs go before the cluster handle
  rados_.shutdown();
}

Status RadosStore::Connect() {
  const std::string who = "client." + opts_.user;
  const std::string conf = opts_.conf_path.empty() ? "default ceph.conf" : opts_.conf_path;
  int r = rados_.init(opts_.user.c_str());
  if (r < 0) return FromRados(r, "initialising librados for " + who);
  r = rados_.conf_read_file(opts_.conf_path.empty() ? nullptr : opts_.conf_path.c_str());
  if (r < 0) return FromRados(r, "reading " + conf);
  // librados gives up on its own after op_timeout_s: ops fail with
  // ETIMEDOUT instead of waiting for an unreachable cluster forever.
  const std::string t = std::to_string(opts_.op_timeout_s);
  for (const char* opt : {"rados_osd_op_timeout", "rados_mon_op_timeout", "client_mount_timeout"}) {
    r = rados_.conf_set(opt, t.c_str());
    if (r < 0) return FromRados(r, std::string("setting ") + opt);
  }
  r = rados_.connect();
  if (r < 0) return FromRados(r, "connecting to the Ceph cluster (" + conf + ", " + who + ")");
  connected_ = true;
  instance_id_ = rados_.get_instance_id();
  dispatcher_.Start();
  return Status::OK();
}

Result<std::shared_ptr<PoolCtx>> RadosStore::Pool(const std::string& name) {
  std::lock_guard<std::mutex> l(pools_mu_);
  auto it = pools_.find(name);
  if (it != pools_.end()) return it->second;
  if (name.empty()) return Status::Invalid("empty pool name");
  auto ctx = std::make_shared<PoolCtx>();
  int r = rados_.ioctx_create(name.c_str(), ctx->io);
  if (r == -ENOENT) return Status::NotFound("pool " + name + " does not exist");
  if (r < 0) return FromRados(r, "opening pool " + name);
  ctx->id = ctx->io.get_id();
  pools_.emplace(name, ctx);  // only existing pools are cached
  return ctx;
}

bool RadosStore::PoolRecreated(const std::string& name) {
  int64_t now = rados_.pool_lookup(name.c_str());
  std::lock_guard<std::mutex> l(pools_mu_);
  auto it = pools_.find(name);
  if (it == pools_.end()) return now >= 0;
  if (now >= 0 && now == it->second->id) return false;  // same pool: a real ENOENT
  pools_.erase(it);  // deleted (and maybe recreated): reopen on next use
  return now >= 0;
}

Result<librados::IoCtx> RadosStore::OwnCtx(const ObjectId& id) {
  ASSIGN_OR_RETURN(auto pool, Pool(id.pool));
  librados::IoCtx io;
  {
    std::lock_guard<std::mutex> l(pool->mu);
    io.dup(pool->io);  // a copy would share (and race on) the IoCtx's state
  }
  io.set_namespace(id.ns);
  io.locator_set_key(id.locator);
  return io;
}

Status RadosStore::CreatePool(const std::string& pool) {
  if (pool.empty()) return Status::Invalid("empty pool name");
  int r = rados_.pool_create(pool.c_str());
  if (r == -EEXIST) return Status::Exists("pool " + pool + " already exists");
  if (r < 0) return FromRados(r, "creating pool " + pool);
  ASSIGN_OR_RETURN(auto ctx, Pool(pool));
  std::lock_guard<std::mutex> l(ctx->mu);
  // radosgw tags the pools it creates with application "rgw" (rgw_init_ioctx).
  r = ctx->io.application_enable("rgw", false);
  if (r < 0 && r != -EOPNOTSUPP) return FromRados(r, "enabling application rgw on pool " + pool);
  return Status::OK();
}

Result<bool> RadosStore::PoolExists(const std::string& pool) {
  if (pool.empty()) return false;
  int64_t r = rados_.pool_lookup(pool.c_str());
  if (r >= 0) return true;
  if (r == -ENOENT) return false;
  return FromRados(static_cast<int>(r), "looking up pool " + pool);
}

Result<std::vector<std::string>> RadosStore::ListPools() {
  std::list<std::string> names;
  int r = rados_.pool_list(names);
  if (r < 0) return FromRados(r, "listing pools");
  return std::vector<std::string>(names.begin(), names.end());
}

Result<int64_t> RadosStore::PoolId(const std::string& pool) {
  if (pool.empty()) return Status::Invalid("empty pool name");
  int64_t r = rados_.pool_lookup(pool.c_str());
  if (r == -ENOENT) return Status::NotFound("pool " + pool + " does not exist");
  if (r < 0) return FromRados(static_cast<int>(r), "looking up pool " + pool);
  return r;
}

Status RadosStore::Submit(const ObjectId& id, OpState& st, const std::shared_ptr<OpState>& ref,
                          bool is_write, const std::string& what, int* r, uint64_t* version) {
  ASSIGN_OR_RETURN(auto pool, Pool(id.pool));
  auto* cb_ref = new std::shared_ptr<OpState>(ref);
  st.completion = librados::Rados::aio_create_completion(cb_ref, &OnComplete);
  int sr;
  {
    std::lock_guard<std::mutex> l(pool->mu);
    pool->io.set_namespace(id.ns);
    pool->io.locator_set_key(id.locator);
    sr = is_write ? pool->io.aio_operate(id.oid, st.completion, &st.wop, st.flags)
                  : pool->io.aio_operate(id.oid, st.completion, &st.rop, st.flags, &st.read_bl);
  }
  if (sr < 0) {
    delete cb_ref;  // rejected before submission: the callback never runs
    return FromRados(sr, what);
  }
  // librados' own rados_osd_op_timeout normally ends the op first (ETIMEDOUT);
  // this bound covers a stuck client.
  std::unique_lock<std::mutex> l(st.mu);
  if (!st.cv.wait_for(l, std::chrono::seconds(opts_.op_timeout_s + 5), [&] { return st.done; })) {
    return Status::IOError(what + ": timed out after " + std::to_string(opts_.op_timeout_s + 5) +
                           " s waiting for the cluster");
  }
  *r = st.completion->get_return_value();
  *version = st.completion->get_version64();
  return Status::OK();
}

Status RadosStore::Operate(const ObjectId& id, const WriteOp& op, uint64_t* version) {
  const std::string what = "write op on " + id.ToString();
  if (op.empty()) {
    // Nothing to apply (the embedded engine's no-op): report the current
    // version, 0 for a missing object, without sending an empty op.
    ObjectStat st;
    Status s = Operate(id, ReadOp().Stat(&st));
    if (!s.ok() && !s.IsNotFound()) return s;
    if (version) *version = s.ok() ? st.version : 0;
    return Status::OK();
  }
  auto st = std::make_shared<OpState>();
  RETURN_IF_ERROR(BuildWrite(op, st.get()));
  int r = 0;
  uint64_t v = 0;
  RETURN_IF_ERROR(Submit(id, *st, st, /*is_write=*/true, what, &r, &v));
  if (r == -ENOENT && PoolRecreated(id.pool)) {  // a stale handle to a deleted pool
    st = std::make_shared<OpState>();
    RETURN_IF_ERROR(BuildWrite(op, st.get()));
    RETURN_IF_ERROR(Submit(id, *st, st, /*is_write=*/true, what, &r, &v));
  }
  RETURN_IF_ERROR(FinishOp(op.steps(), *st, r, v, what));
  if (version) *version = v;
  return Status::OK();
}

Status RadosStore::Operate(const ObjectId& id, const ReadOp& op) {
  const std::string what = "read op on " + id.ToString();
  auto st = std::make_shared<OpState>();
  RETURN_IF_ERROR(BuildRead(op, st.get()));
  int r = 0;
  uint64_t v = 0;
  RETURN_IF_ERROR(Submit(id, *st, st, /*is_write=*/false, what, &r, &v));
  if (r == -ENOENT && PoolRecreated(id.pool)) {
    st = std::make_shared<OpState>();
    RETURN_IF_ERROR(BuildRead(op, st.get()));
    RETURN_IF_ERROR(Submit(id, *st, st, /*is_write=*/false, what, &r, &v));
  }
  return FinishOp(op.steps(), *st, r, v, what);
}

Result<std::vector<ListEntry>> RadosStore::List(const std::string& pool, const std::string& ns,
                                                const std::string& cursor, size_t max,
                                                std::string* next_cursor) {
  const std::string what = "listing pool " + pool;
  ObjectId scope{pool, ns == kAllNamespaces ? librados::all_nspaces : ns, "", ""};
  ASSIGN_OR_RETURN(librados::IoCtx io, OwnCtx(scope));
  librados::ObjectCursor pos = io.object_list_begin();
  if (!cursor.empty() && !pos.from_str(cursor)) {
    return Status::Invalid("bad listing cursor for pool " + pool);
  }
  const librados::ObjectCursor end = io.object_list_end();
  std::vector<ListEntry> out;
  bool at_end = io.object_list_is_end(pos);
  while (!at_end && (!max || out.size() < max)) {
    size_t want = max ? max - out.size() : kListChunk;
    std::vector<librados::ObjectItem> items;
    librados::ObjectCursor next;
    int r = io.object_list(pos, end, want, {}, &items, &next);
    if (r < 0) return FromRados(r, what);
    for (auto& it : items) {
      out.push_back(ListEntry{std::move(it.nspace), std::move(it.oid), std::move(it.locator)});
    }
    pos = next;
    at_end = io.object_list_is_end(pos);
  }
  if (next_cursor) *next_cursor = at_end ? std::string() : pos.to_str();
  return out;
}

Result<uint64_t> RadosStore::Watch(const ObjectId& id, WatchCallback cb) {
  ASSIGN_OR_RETURN(librados::IoCtx io, OwnCtx(id));
  auto rec = std::make_shared<WatchRec>(&dispatcher_, id, std::move(cb));
  rec->io = std::move(io);
  uint64_t cookie = 0;
  {
    std::lock_guard<std::mutex> l(rec->mu);
    int r = rec->io.watch2(id.oid, &cookie, rec.get());
    if (r < 0) return FromRados(r, "watching " + id.ToString());
    rec->cookie = cookie;
  }
  std::lock_guard<std::mutex> l(watch_mu_);
  watches_[cookie] = rec;
  return cookie;
}

Status RadosStore::Unwatch(uint64_t handle) {
  std::shared_ptr<WatchRec> rec;
  {
    std::lock_guard<std::mutex> l(watch_mu_);
    auto it = watches_.find(handle);
    if (it == watches_.end()) return Status::NotFound("no watch " + std::to_string(handle));
    rec = std::move(it->second);
    watches_.erase(it);
  }
  int r = rec->Stop();
  // Wait for callbacks librados already started; ours hold `rec` alive.
  (void)rados_.watch_flush();
  if (r < 0 && r != -ENOENT && r != -ENOTCONN) {
    return FromRados(r, "unwatching " + rec->id().ToString());
  }
  return Status::OK();
}

Result<std::vector<NotifyReply>> RadosStore::Notify(const ObjectId& id, const std::string& payload,
                                                    uint64_t timeout_ms) {
  const std::string what = "notify on " + id.ToString();
  ASSIGN_OR_RETURN(librados::IoCtx io, OwnCtx(id));
  bufferlist in, reply;
  in.append(payload.data(), payload.size());
  int r = io.notify2(id.oid, in, timeout_ms ? timeout_ms : kDefaultNotifyTimeoutMs, &reply);
  // A watcher that did not answer in time makes notify2 fail with ETIMEDOUT
  // while still carrying the acks of the others; like the embedded engine
  // (and radosgw's robust_notify) we return those.
  if (r == -ETIMEDOUT && reply.length() > 0) r = 0;
  if (r < 0) return FromRados(r, what);
  return DecodeNotifyReply(reply.to_str());
}

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenRadosStore(const RadosOptions& opts) {
  if (opts.user.empty()) return Status::Invalid("RadosOptions.user is empty");
  if (opts.op_timeout_s <= 0) return Status::Invalid("RadosOptions.op_timeout_s must be > 0");
  auto store = std::make_unique<RadosStore>(opts);
  RETURN_IF_ERROR(store->Connect());
  return std::unique_ptr<ObjectStore>(std::move(store));
}

}  // namespace kelp::store::rados
