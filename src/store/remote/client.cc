// The remote store's client (see remote_store.h, protocol.h): an
// ObjectStore whose every call is one request/response on a pooled
// connection, plus one event connection for watches.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "store/remote/protocol.h"
#include "store/remote/remote_store.h"

namespace kelp::store::remote {

namespace {

constexpr size_t kMaxConnections = 16;

// The watch whose callback this thread runs (Unwatch from inside it must not
// wait for itself).
thread_local const void* current_watch = nullptr;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  // The server closed it (or sent something unasked) while it sat idle.
  bool Stale() const {
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) != 0;
  }

 private:
  int fd_;
};

struct ClientWatch {
  WatchCallback cb;
  std::mutex mu;
  std::condition_variable idle;
  int running = 0;
};

// The event connection; shared with the callback threads that answer on it,
// so its fd stays open until the last of them is done.
struct Events {
  Events(std::unique_ptr<Socket> s, uint64_t id) : sock(std::move(s)), channel_id(id) {}
  std::unique_ptr<Socket> sock;
  uint64_t channel_id;
  std::mutex write_mu;
  std::atomic<bool> dead{false};
};

struct WatchTable {
  std::mutex mu;
  std::map<uint64_t, std::shared_ptr<ClientWatch>> by_id;
};

class RemoteStore final : public ObjectStore {
 public:
  explicit RemoteStore(std::string path) : path_(std::move(path)) {}
  ~RemoteStore() override;

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

 private:
  Status Closed() const {
    return Status::IOError("the store server at " + path_ + " closed the connection");
  }
  Result<std::unique_ptr<Socket>> Dial(Channel channel, uint64_t* channel_id);
  // Sends `request` and reads the response; fails only for the transport.
  Status Call(const std::string& request, std::string* response);
  Result<std::shared_ptr<Events>> EnsureEvents();
  static void ReadEvents(std::shared_ptr<Events> ev, std::shared_ptr<WatchTable> table);

  const std::string path_;
  uint64_t instance_id_ = 0;
  std::atomic<bool> connected_{false};  // Init() succeeded

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Socket>> idle_;
  size_t open_ = 0;

  std::mutex events_mu_;  // events_, reader_, handles_, next_watch_id_
  std::shared_ptr<Events> events_;
  std::thread reader_;
  std::shared_ptr<WatchTable> table_ = std::make_shared<WatchTable>();
  std::map<uint64_t, uint64_t> handles_;  // store handle -> watch id
  uint64_t next_watch_id_ = 1;
};

// A request being built: opcode first.
struct Request {
  explicit Request(Opcode op) : e(&bytes) { e.U8(static_cast<uint8_t>(op)); }
  std::string bytes;
  Encoder e;
};

// A response: its status first, then the results (read by the caller).
struct Response {
  std::string bytes;
  std::optional<Decoder> d;
  // The response's status, or Corruption if it does not decode.
  Status Start(const std::string& path) {
    d.emplace(bytes);
    Status st;
    Decode(*d, st);
    return d->ok() ? st : Bad(path);
  }
  // After the results: Corruption if they did not decode.
  Status Finish(const std::string& path) { return d->ok() ? Status::OK() : Bad(path); }
  static Status Bad(const std::string& path) {
    return Status::Corruption("bad response from the store server at " + path);
  }
};

RemoteStore::~RemoteStore() {
  std::shared_ptr<Events> ev;
  {
    std::lock_guard<std::mutex> l(events_mu_);
    ev = events_;
  }
  if (ev) ::shutdown(ev->sock->fd(), SHUT_RDWR);
  if (reader_.joinable()) reader_.join();
}

Result<std::unique_ptr<Socket>> RemoteStore::Dial(Channel channel, uint64_t* channel_id) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof(addr.sun_path)) {
    return Status::Invalid("store socket path too long: " + path_);
  }
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  auto sock = std::make_unique<Socket>(fd);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Status::IOError("cannot connect to the store server at " + path_ + ": " +
                           std::strerror(errno));
  }
  // Something that is not a store server must not hang us in the hello.
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char reply[14];
  if (!SendAll(fd, HelloRequest(channel)) || !RecvAll(fd, reply, sizeof(reply))) {
    return Closed();
  }
  Decoder d(std::string_view(reply, sizeof(reply)));
  d.Skip(4);
  uint16_t version = d.U16();
  if (std::memcmp(reply, kMagic, 4) != 0 || version != kVersion) {
    return Status::IOError("the server at " + path_ + " does not speak the store protocol v" +
                           std::to_string(kVersion));
  }
  if (channel_id) *channel_id = d.U64();
  tv = timeval{0, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return sock;
}

Status RemoteStore::Call(const std::string& request, std::string* response) {
  if (request.size() > kMaxFrame) {
    return Status::Invalid("the request (" + std::to_string(request.size()) +
                           " bytes) exceeds the store protocol's frame limit");
  }
  std::unique_ptr<Socket> sock;
  {
    std::unique_lock<std::mutex> l(pool_mu_);
    while (!sock) {
      if (!idle_.empty()) {
        sock = std::move(idle_.back());
        idle_.pop_back();
        if (sock->Stale()) {  // e.g. the server restarted: connect again
          sock.reset();
          --open_;
        }
      } else if (open_ < kMaxConnections) {
        ++open_;
        l.unlock();
        auto r = Dial(Channel::kRequests, nullptr);
        l.lock();
        if (!r.ok()) {
          --open_;
          pool_cv_.notify_one();
          // Once connected, a server that is gone reads the same however we
          // notice it.
          return connected_ ? Closed() : r.status();
        }
        sock = std::move(*r);
      } else {
        pool_cv_.wait(l);
      }
    }
  }
  bool ok = SendFrame(sock->fd(), request) && RecvFrame(sock->fd(), response);
  {
    std::lock_guard<std::mutex> l(pool_mu_);
    if (ok) {
      idle_.push_back(std::move(sock));
    } else {
      sock.reset();
      --open_;
    }
  }
  pool_cv_.notify_one();
  return ok ? Status::OK() : Closed();
}

Status RemoteStore::Init() {
  Request req(Opcode::kAllocateInstanceId);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_).Annotate("allocating an instance id"));
  instance_id_ = resp.d->U64();
  RETURN_IF_ERROR(resp.Finish(path_));
  connected_ = true;
  return Status::OK();
}

Status RemoteStore::CreatePool(const std::string& pool) {
  Request req(Opcode::kCreatePool);
  req.e.Str(pool);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  return resp.Start(path_);
}

Result<bool> RemoteStore::PoolExists(const std::string& pool) {
  Request req(Opcode::kPoolExists);
  req.e.Str(pool);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_));
  Decoder* d = &*resp.d;
  bool exists = d->Bool();
  RETURN_IF_ERROR(resp.Finish(path_));
  return exists;
}

Result<std::vector<std::string>> RemoteStore::ListPools() {
  Request req(Opcode::kListPools);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_));
  Decoder* d = &*resp.d;
  std::vector<std::string> pools;
  Decode(*d, pools);
  RETURN_IF_ERROR(resp.Finish(path_));
  return pools;
}

Status RemoteStore::Operate(const ObjectId& id, const WriteOp& op, uint64_t* version) {
  Request req(Opcode::kWriteOp);
  Encode(req.e, id);
  EncodeSteps(req.e, op.steps());
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  Status st = resp.Start(path_);  // the op's status; the step results follow
  if (!resp.d->ok() || (!st.ok() && resp.d->AtEnd())) return st;
  Decoder* d = &*resp.d;
  uint64_t v = d->U64();
  DecodeStepResults(*d, op.steps());
  RETURN_IF_ERROR(resp.Finish(path_));
  if (st.ok() && version) *version = v;
  return st;
}

Status RemoteStore::Operate(const ObjectId& id, const ReadOp& op) {
  Request req(Opcode::kReadOp);
  Encode(req.e, id);
  EncodeSteps(req.e, op.steps());
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  Status st = resp.Start(path_);
  if (!resp.d->ok() || (!st.ok() && resp.d->AtEnd())) return st;
  Decoder* d = &*resp.d;
  (void)d->U64();
  DecodeStepResults(*d, op.steps());
  RETURN_IF_ERROR(resp.Finish(path_));
  return st;
}

Result<std::vector<ListEntry>> RemoteStore::List(const std::string& pool, const std::string& ns,
                                                 const std::string& cursor, size_t max,
                                                 std::string* next_cursor) {
  Request req(Opcode::kList);
  req.e.Str(pool);
  req.e.Str(ns);
  req.e.Str(cursor);
  req.e.U64(max);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_));
  Decoder* d = &*resp.d;
  std::vector<ListEntry> entries;
  Decode(*d, entries);
  std::string next = d->Str();
  RETURN_IF_ERROR(resp.Finish(path_));
  if (next_cursor) *next_cursor = std::move(next);
  return entries;
}

Result<int64_t> RemoteStore::PoolId(const std::string& pool) {
  Request req(Opcode::kPoolId);
  req.e.Str(pool);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_));
  Decoder* d = &*resp.d;
  int64_t id = d->Fixed<int64_t>();
  RETURN_IF_ERROR(resp.Finish(path_));
  return id;
}

Result<std::vector<NotifyReply>> RemoteStore::Notify(const ObjectId& id, const std::string& payload,
                                                     uint64_t timeout_ms) {
  Request req(Opcode::kNotify);
  Encode(req.e, id);
  req.e.Str(payload);
  req.e.U64(timeout_ms);
  Response resp;
  RETURN_IF_ERROR(Call(req.bytes, &resp.bytes));
  RETURN_IF_ERROR(resp.Start(path_));
  Decoder* d = &*resp.d;
  std::vector<NotifyReply> replies;
  Decode(*d, replies);
  RETURN_IF_ERROR(resp.Finish(path_));
  return replies;
}

// ---------------------------------------------------------------- watches

void RemoteStore::ReadEvents(std::shared_ptr<Events> ev, std::shared_ptr<WatchTable> table) {
  std::string frame;
  while (RecvFrame(ev->sock->fd(), &frame)) {
    Decoder d(frame);
    uint64_t watch_id = d.U64(), notify_id = d.U64(), notifier_id = d.U64(), cookie = d.U64();
    std::string payload = d.Str();
    if (!d.ok()) break;
    std::shared_ptr<ClientWatch> w;
    {
      std::lock_guard<std::mutex> l(table->mu);
      auto it = table->by_id.find(watch_id);
      if (it != table->by_id.end()) w = it->second;
    }
    if (w) {
      std::lock_guard<std::mutex> l(w->mu);
      ++w->running;
    }
    // Like the embedded registry: every callback on its own thread, so a slow
    // watcher delays nobody else.
    std::thread([ev, w, watch_id, notify_id, notifier_id, cookie, payload = std::move(payload)] {
      std::string reply;
      if (w) {
        current_watch = w.get();
        reply = w->cb(notify_id, notifier_id, payload);
        current_watch = nullptr;
      }
      std::string ack;
      Encoder e(&ack);
      e.U64(cookie);
      e.Str(reply);
      {
        std::lock_guard<std::mutex> l(ev->write_mu);
        (void)SendFrame(ev->sock->fd(), ack);
      }
      if (w) {
        std::lock_guard<std::mutex> l(w->mu);
        if (--w->running == 0) w->idle.notify_all();
      }
    }).detach();
  }
  ev->dead = true;
}

Result<std::shared_ptr<Events>> RemoteStore::EnsureEvents() {
  // Called with events_mu_ held.
  if (events_ && !events_->dead) return events_;
  if (events_) {  // the server went away: its watches are gone with it
    ::shutdown(events_->sock->fd(), SHUT_RDWR);
    if (reader_.joinable()) reader_.join();
    events_.reset();
  }
  uint64_t channel_id = 0;
  auto sock = Dial(Channel::kEvents, &channel_id);
  if (!sock.ok()) return connected_ ? Closed() : sock.status();
  auto ev = std::make_shared<Events>(std::move(*sock), channel_id);
  events_ = ev;
  reader_ = std::thread(&RemoteStore::ReadEvents, ev, table_);
  return ev;
}

Result<uint64_t> RemoteStore::Watch(const ObjectId& id, WatchCallback cb) {
  std::lock_guard<std::mutex> l(events_mu_);
  uint64_t watch_id = next_watch_id_++;
  auto w = std::make_shared<ClientWatch>();
  w->cb = std::move(cb);
  {
    std::lock_guard<std::mutex> tl(table_->mu);
    table_->by_id[watch_id] = w;
  }
  Status st;
  uint64_t handle = 0;
  // Twice at most: our event channel may be one of a server that restarted
  // since (the new one does not know it), then we open a fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto ev = EnsureEvents();
    if (!ev.ok()) {
      st = ev.status();
      break;
    }
    Request req(Opcode::kWatch);
    Encode(req.e, id);
    req.e.U64((*ev)->channel_id);
    req.e.U64(watch_id);
    Response resp;
    st = Call(req.bytes, &resp.bytes);
    if (st.ok()) st = resp.Start(path_);
    if (st.ok()) handle = resp.d->U64();
    if (st.ok()) st = resp.Finish(path_);
    if (!(st.Is(Code::kInvalid) && st.message().starts_with(kNoEventChannel))) break;
    (*ev)->dead = true;
  }
  if (!st.ok()) {
    std::lock_guard<std::mutex> tl(table_->mu);
    table_->by_id.erase(watch_id);
    return st;
  }
  handles_[handle] = watch_id;
  return handle;
}

Status RemoteStore::Unwatch(uint64_t handle) {
  uint64_t watch_id;
  std::shared_ptr<ClientWatch> w;
  {
    std::lock_guard<std::mutex> l(events_mu_);
    auto it = handles_.find(handle);
    if (it == handles_.end()) return Status::NotFound("no watch " + std::to_string(handle));
    watch_id = it->second;
    handles_.erase(it);
    std::lock_guard<std::mutex> tl(table_->mu);
    w = table_->by_id[watch_id];
  }
  bool from_callback = current_watch == w.get();
  Request req(Opcode::kUnwatch);
  req.e.U64(handle);
  req.e.Bool(from_callback);
  Response resp;
  Status st = Call(req.bytes, &resp.bytes);
  if (st.ok()) st = resp.Start(path_);
  {
    std::lock_guard<std::mutex> tl(table_->mu);
    table_->by_id.erase(watch_id);
  }
  if (!from_callback) {
    std::unique_lock<std::mutex> l(w->mu);
    w->idle.wait(l, [&] { return w->running == 0; });
  }
  return st;
}

}  // namespace

Result<std::unique_ptr<ObjectStore>> ConnectRemoteStore(const std::string& socket_path) {
  auto store = std::make_unique<RemoteStore>(socket_path);
  RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<ObjectStore>(std::move(store));
}

}  // namespace kelp::store::remote
