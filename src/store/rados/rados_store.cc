#include "store/rados/rados_store.h"

#include <rados/librados.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "base/suspend.h"

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

// The completion callback runs on librados' finisher thread: it marks the op
// done and resumes a parked fiber, if one waits. It owns one reference to the
// op's state, so an op whose caller stopped waiting (timeout) still has its
// buffers when it completes.
void OnComplete(librados::completion_t, void* arg) {
  auto* ref = static_cast<std::shared_ptr<OpState>*>(arg);
  std::function<void()> resume;
  {
    std::lock_guard<std::mutex> l((*ref)->mu);
    (*ref)->done = true;
    resume = std::move((*ref)->on_done);
  }
  (*ref)->cv.notify_all();
  if (resume) resume();
  delete ref;
}

class RadosStore;

// One watch: the librados WatchCtx2 plus its own IoCtx (namespace/locator of
// the watched object, used for notify_ack and unwatch).
class WatchRec : public librados::WatchCtx2, public std::enable_shared_from_this<WatchRec> {
 public:
  WatchRec(WatchDispatcher* dispatcher, ObjectId id, WatchCallback cb)
      : dispatcher_(dispatcher), id_(std::move(id)), cb_(std::move(cb)) {}
  ~WatchRec() override = default;

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
      {
        std::lock_guard<std::recursive_mutex> l(self->cb_mu_);
        try {
          if (self->live_) reply = self->cb_(notify_id, notifier_id, payload);
        } catch (...) {
          // A throwing callback must not take the dispatcher thread down;
          // the notifier then sees an empty ack from this watcher.
        }
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

  // After Stop() and watch_flush: notifications already queued on the
  // dispatcher no longer reach the callback (whose owner may be gone once
  // Unwatch returns); waits for one that is running. Recursive, so a
  // callback may unwatch its own watch.
  void Fence() {
    std::lock_guard<std::recursive_mutex> l(cb_mu_);
    live_ = false;
  }

  // Unregister the current watch; Rewatch becomes a no-op afterwards.
  int Stop() {
    std::lock_guard<std::mutex> l(mu);
    stopped_ = true;
    if (cookie == 0) return -ENOTCONN;  // a failed re-watch left none
    int r = io.unwatch2(cookie);
    cookie = 0;
    return r;
  }

 private:
  // A librados watch cookie is its LingerOp's address: unwatch2 frees it
  // whatever the OSD answers, so a cookie is passed to unwatch2 once and
  // cleared (0 = no watch registered). A re-watch that fails (paused or
  // unreachable cluster) leaves none; the watch's owner notices by its own
  // means (CacheWatcher's pings) and watches again.
  void Rewatch(uint64_t broken) {
    std::lock_guard<std::mutex> l(mu);
    if (stopped_ || broken != cookie || cookie == 0) return;
    (void)io.unwatch2(cookie);
    cookie = 0;
    uint64_t c = 0;
    if (io.watch2(id_.oid, &c, this) == 0) cookie = c;
  }

  WatchDispatcher* dispatcher_;
  ObjectId id_;
  WatchCallback cb_;
  std::recursive_mutex cb_mu_;  // guards live_; held while cb_ runs
  bool live_ = true;
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
  std::unique_ptr<PendingOp> OperateAsync(const ObjectId& id, WriteOp op,
                                          uint64_t* version) override;
  std::unique_ptr<PendingOp> OperateAsync(const ObjectId& id, ReadOp op) override;
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
  // Pool() for a write: with create_missing_pools a missing pool is created.
  Result<std::shared_ptr<PoolCtx>> PoolForWrite(const std::string& name);
  // An IoCtx of its own for `id` (watch, notify, list): namespace and locator set.
  Result<librados::IoCtx> OwnCtx(const ObjectId& id);
  // Builds and submits `op` on `id` without waiting; *st is the op's state.
  template <typename Op>
  Status Start(const ObjectId& id, const Op& op, std::shared_ptr<OpState>* st);
  // Waits for a started op (parking a fiber under a Suspender), retries it
  // once on a recreated pool, and delivers its outputs.
  template <typename Op>
  Status Complete(const ObjectId& id, const Op& op, std::shared_ptr<OpState> st,
                  Status started, uint64_t* version);
  // Waits for st's completion: its return value and object version.
  Status WaitOp(OpState& st, const std::string& what, int* r, uint64_t* version);

  // Runs a synchronous librados call (object listing, pool creation, watch
  // registration, notify) on a thread of its own while the calling fiber is
  // parked, so the fiber's I/O thread never blocks on the cluster. These
  // calls are rare (start-up, metadata writes, admin listings); object ops
  // use aio. The store outlives these threads (its destructor waits).
  template <typename Fn>
  auto OffThread(Fn fn) -> decltype(fn());

  friend class RadosPendingOp;

  RadosOptions opts_;
  librados::Rados rados_;
  bool connected_ = false;
  uint64_t instance_id_ = 0;

  std::mutex pools_mu_;
  std::map<std::string, std::shared_ptr<PoolCtx>> pools_;

  std::mutex watch_mu_;
  // By our own handle: a librados cookie is a LingerOp's address, which a
  // re-watch changes and a later watch may reuse.
  std::map<uint64_t, std::shared_ptr<WatchRec>> watches_;
  uint64_t next_watch_ = 1;
  WatchDispatcher dispatcher_;

  std::mutex off_mu_;
  std::condition_variable off_cv_;
  int off_threads_ = 0;  // OffThread threads still running
};

template <typename Fn>
auto RadosStore::OffThread(Fn fn) -> decltype(fn()) {
  using R = decltype(fn());
  std::optional<R> out;
  auto done = [this] {
    std::lock_guard<std::mutex> l(off_mu_);
    if (--off_threads_ == 0) off_cv_.notify_all();
  };
  Await([&](Resume resume) {
    {
      std::lock_guard<std::mutex> l(off_mu_);
      ++off_threads_;
    }
    std::thread t;
    try {
      t = std::thread([&out, &fn, done, resume = std::move(resume)] {
        try {
          out.emplace(fn());
        } catch (const std::exception& e) {
          out.emplace(Status::Internal(std::string("librados call failed: ") + e.what()));
        } catch (...) {
          out.emplace(Status::Internal("librados call failed"));
        }
        resume();  // `out` and `fn` belong to the resumed caller from here on
        done();
      });
    } catch (...) {
      done();  // no thread: the caller is not parked, the error is its
      throw;
    }
    t.detach();
  });
  return std::move(*out);
}

RadosStore::~RadosStore() {
  {
    // A thread running a librados call for a parked fiber uses the cluster
    // handle until it resumes it (each call is bounded by the op timeout).
    std::unique_lock<std::mutex> l(off_mu_);
    off_cv_.wait(l, [this] { return off_threads_ == 0; });
  }
  if (connected_) {
    std::map<uint64_t, std::shared_ptr<WatchRec>> watches;
    {
      std::lock_guard<std::mutex> l(watch_mu_);
      watches.swap(watches_);
    }
    for (auto& [h, w] : watches) (void)w->Stop();
    if (!watches.empty()) (void)rados_.watch_flush();
    for (auto& [h, w] : watches) w->Fence();
  }
  dispatcher_.Stop();  // runs what is queued (fenced callbacks are skipped), then joins
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

Result<std::shared_ptr<PoolCtx>> RadosStore::PoolForWrite(const std::string& name) {
  auto pool = Pool(name);
  if (pool.ok() || !pool.status().IsNotFound() || !opts_.create_missing_pools) return pool;
  Status created = CreatePool(name);
  if (!created.ok() && !created.IsExists()) {
    return created.Annotate("recreating missing pool " + name);
  }
  return Pool(name);
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
  if (CanSuspend()) return OffThread([&] { return CreatePool(pool); });
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
  if (CanSuspend()) return OffThread([&] { return ListPools(); });
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

Status BuildOp(const WriteOp& op, OpState* st) { return BuildWrite(op, st); }
Status BuildOp(const ReadOp& op, OpState* st) { return BuildRead(op, st); }
constexpr bool IsWrite(const WriteOp*) { return true; }
constexpr bool IsWrite(const ReadOp*) { return false; }
std::string Describe(const WriteOp*, const ObjectId& id) { return "write op on " + id.ToString(); }
std::string Describe(const ReadOp*, const ObjectId& id) { return "read op on " + id.ToString(); }

template <typename Op>
Status RadosStore::Start(const ObjectId& id, const Op& op, std::shared_ptr<OpState>* out) {
  auto st = std::make_shared<OpState>();
  *out = st;
  RETURN_IF_ERROR(BuildOp(op, st.get()));
  ASSIGN_OR_RETURN(auto pool, IsWrite(&op) ? PoolForWrite(id.pool) : Pool(id.pool));
  auto* cb_ref = new std::shared_ptr<OpState>(st);
  st->completion = librados::Rados::aio_create_completion(cb_ref, &OnComplete);
  int sr;
  {
    std::lock_guard<std::mutex> l(pool->mu);
    pool->io.set_namespace(id.ns);
    pool->io.locator_set_key(id.locator);
    sr = IsWrite(&op) ? pool->io.aio_operate(id.oid, st->completion, &st->wop, st->flags)
                      : pool->io.aio_operate(id.oid, st->completion, &st->rop, st->flags,
                                             &st->read_bl);
  }
  if (sr < 0) {
    delete cb_ref;  // rejected before submission: the callback never runs
    return FromRados(sr, Describe(&op, id));
  }
  return Status::OK();
}

Status RadosStore::WaitOp(OpState& st, const std::string& what, int* r, uint64_t* version) {
  if (CanSuspend()) {
    // librados' rados_osd_op_timeout (= op_timeout_s) ends a stuck op with
    // ETIMEDOUT, which resumes the fiber.
    Await([&st](Resume resume) {
      std::unique_lock<std::mutex> l(st.mu);
      if (!st.done) {
        st.on_done = std::move(resume);
        return;
      }
      l.unlock();
      resume();
    });
  } else {
    // librados' own timeout normally ends the op first; this bound covers a
    // stuck client.
    std::unique_lock<std::mutex> l(st.mu);
    if (!st.cv.wait_for(l, std::chrono::seconds(opts_.op_timeout_s + 5),
                        [&] { return st.done; })) {
      return Status::IOError(what + ": timed out after " + std::to_string(opts_.op_timeout_s + 5) +
                             " s waiting for the cluster");
    }
  }
  *r = st.completion->get_return_value();
  *version = st.completion->get_version64();
  return Status::OK();
}

template <typename Op>
Status RadosStore::Complete(const ObjectId& id, const Op& op, std::shared_ptr<OpState> st,
                            Status started, uint64_t* version) {
  const std::string what = Describe(&op, id);
  RETURN_IF_ERROR(started);
  int r = 0;
  uint64_t v = 0;
  RETURN_IF_ERROR(WaitOp(*st, what, &r, &v));
  // A stale handle to a deleted pool: retry on the pool recreated since (by
  // anyone), or, for a write with create_missing_pools, on one we create.
  auto pool_gone = [&] {
    auto exists = PoolExists(id.pool);
    return exists.ok() && !*exists;
  };
  if (r == -ENOENT &&
      (PoolRecreated(id.pool) || (IsWrite(&op) && opts_.create_missing_pools && pool_gone()))) {
    RETURN_IF_ERROR(Start(id, op, &st));
    RETURN_IF_ERROR(WaitOp(*st, what, &r, &v));
  }
  RETURN_IF_ERROR(FinishOp(op.steps(), *st, r, v, what));
  if (version) *version = v;
  return Status::OK();
}

Status RadosStore::Operate(const ObjectId& id, const WriteOp& op, uint64_t* version) {
  if (op.empty()) {
    // Nothing to apply (the embedded engine's no-op): report the current
    // version, 0 for a missing object, without sending an empty op.
    ObjectStat st;
    Status s = Operate(id, ReadOp().Stat(&st));
    if (!s.ok() && !s.IsNotFound()) return s;
    if (version) *version = s.ok() ? st.version : 0;
    return Status::OK();
  }
  std::shared_ptr<OpState> st;
  Status started = Start(id, op, &st);
  return Complete(id, op, std::move(st), std::move(started), version);
}

Status RadosStore::Operate(const ObjectId& id, const ReadOp& op) {
  std::shared_ptr<OpState> st;
  Status started = Start(id, op, &st);
  return Complete(id, op, std::move(st), std::move(started), nullptr);
}

// An op in flight: it keeps its own copy of the op for the outputs and a retry.
class RadosPendingOp final : public PendingOp {
 public:
  template <typename Op>
  RadosPendingOp(RadosStore* store, ObjectId id, Op op, uint64_t* version)
      : store_(store), id_(std::move(id)), version_(version) {
    if constexpr (std::is_same_v<Op, WriteOp>) {
      wop_ = std::move(op);
      started_ = store_->Start(id_, *wop_, &st_);
    } else {
      rop_ = std::move(op);
      started_ = store_->Start(id_, *rop_, &st_);
    }
  }
  ~RadosPendingOp() override { (void)Wait(); }

  Status Wait() override {
    if (!waited_) {
      waited_ = true;
      result_ = wop_ ? store_->Complete(id_, *wop_, st_, started_, version_)
                     : store_->Complete(id_, *rop_, st_, started_, nullptr);
    }
    return result_;
  }

 private:
  RadosStore* store_;
  ObjectId id_;
  uint64_t* version_;
  std::optional<WriteOp> wop_;
  std::optional<ReadOp> rop_;
  std::shared_ptr<OpState> st_;
  Status started_;
  bool waited_ = false;
  Status result_;
};

std::unique_ptr<PendingOp> RadosStore::OperateAsync(const ObjectId& id, WriteOp op,
                                                    uint64_t* version) {
  if (op.empty()) return ObjectStore::OperateAsync(id, std::move(op), version);
  return std::make_unique<RadosPendingOp>(this, id, std::move(op), version);
}

std::unique_ptr<PendingOp> RadosStore::OperateAsync(const ObjectId& id, ReadOp op) {
  return std::make_unique<RadosPendingOp>(this, id, std::move(op), nullptr);
}

Result<std::vector<ListEntry>> RadosStore::List(const std::string& pool, const std::string& ns,
                                                const std::string& cursor, size_t max,
                                                std::string* next_cursor) {
  if (CanSuspend()) return OffThread([&] { return List(pool, ns, cursor, max, next_cursor); });
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
  if (CanSuspend()) return OffThread([&] { return Watch(id, std::move(cb)); });
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
  const uint64_t handle = next_watch_++;
  watches_[handle] = rec;
  return handle;
}

Status RadosStore::Unwatch(uint64_t handle) {
  if (CanSuspend()) return OffThread([&] { return Unwatch(handle); });
  std::shared_ptr<WatchRec> rec;
  {
    std::lock_guard<std::mutex> l(watch_mu_);
    auto it = watches_.find(handle);
    if (it == watches_.end()) return Status::NotFound("no watch " + std::to_string(handle));
    rec = std::move(it->second);
    watches_.erase(it);
  }
  int r = rec->Stop();
  // Wait for callbacks librados already started (ours hold `rec` alive),
  // then keep the ones queued on the dispatcher from reaching the caller's
  // callback once we return.
  (void)rados_.watch_flush();
  rec->Fence();
  if (r < 0 && r != -ENOENT && r != -ENOTCONN) {
    return FromRados(r, "unwatching " + rec->id().ToString());
  }
  return Status::OK();
}

Result<std::vector<NotifyReply>> RadosStore::Notify(const ObjectId& id, const std::string& payload,
                                                    uint64_t timeout_ms) {
  if (CanSuspend()) return OffThread([&] { return Notify(id, payload, timeout_ms); });
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
