// StoreServer: serves an ObjectStore on a Unix socket (see remote_store.h,
// protocol.h). One thread per connection; request channels run one request
// at a time; event channels carry the notify events of the watches their
// client registered, and the client's replies back.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <thread>

#include "base/crypto.h"
#include "store/embedded/embedded_store.h"
#include "store/remote/protocol.h"
#include "store/remote/remote_store.h"

namespace kelp::store::remote {

namespace {

constexpr size_t kMaxConnections = 256;
// How long a server-side watch callback waits for its client's reply. The
// notifier stops waiting at its own timeout anyway; this only bounds the
// thread of a client that never answers.
constexpr auto kMaxCallbackWait = std::chrono::minutes(5);
const char kNotRun[] = "\x01step not run";

// An event connection and the replies awaited on it.
struct EventChannel {
  uint64_t id = 0;
  int fd = -1;
  std::mutex write_mu;
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  uint64_t next_cookie = 1;
  std::map<uint64_t, std::optional<std::string>> pending;  // cookie -> reply
};

// One watch registered through this server.
struct ServedWatch {
  uint64_t watch_id = 0;  // the client's id of it (routes its events)
  std::shared_ptr<EventChannel> channel;
  std::atomic<bool> cancelled{false};  // stop waiting for replies
};

}  // namespace

struct StoreServer::Impl {
  std::string path;
  ObjectStore& store;
  int listen_fd = -1;
  std::thread acceptor;
  std::atomic<bool> stopping{false};

  std::mutex mu;
  struct Conn {
    int fd = -1;
    std::thread thread;
    bool done = false;
  };
  std::list<Conn> conns;
  std::map<uint64_t, std::shared_ptr<EventChannel>> channels;
  std::map<uint64_t, std::shared_ptr<ServedWatch>> watches;  // by store handle

  Impl(std::string p, ObjectStore& s) : path(std::move(p)), store(s) {}

  void AcceptLoop();
  void Serve(Conn* conn);
  void ServeEvents(int fd, uint64_t channel_id);
  std::string Handle(const std::string& request);
  std::string HandleOp(Decoder& d, bool write);
  Status Unwatch(uint64_t handle, bool from_callback);
  std::string WatchCallback(const std::shared_ptr<ServedWatch>& w, uint64_t notify_id,
                            uint64_t notifier_id, const std::string& payload);
  void CloseChannel(const std::shared_ptr<EventChannel>& ch);
  void StopAll();
};

void StoreServer::Impl::AcceptLoop() {
  while (!stopping) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (stopping) return;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      return;
    }
    std::lock_guard<std::mutex> l(mu);
    for (auto it = conns.begin(); it != conns.end();) {  // reap finished connections
      if (it->done) {
        it->thread.join();
        it = conns.erase(it);
      } else {
        ++it;
      }
    }
    if (stopping || conns.size() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    Conn& c = conns.emplace_back();
    c.fd = fd;
    c.thread = std::thread([this, &c] { Serve(&c); });
  }
}

void StoreServer::Impl::Serve(Conn* conn) {
  int fd = conn->fd;
  // A peer that never says hello must not hold a connection slot forever.
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char magic[4];
  uint16_t version = 0;
  uint8_t channel = 0;
  bool hello = RecvAll(fd, magic, 4) && std::memcmp(magic, kMagic, 4) == 0 &&
               RecvAll(fd, &version, 2) && version == kVersion && RecvAll(fd, &channel, 1);
  tv = timeval{0, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (hello && channel == static_cast<uint8_t>(Channel::kRequests)) {
    if (SendAll(fd, HelloReply(0))) {
      std::string request;
      while (RecvFrame(fd, &request)) {
        std::string response = Handle(request);
        if (response.size() > kMaxFrame) {  // e.g. one Read of a huge object
          Status st = Status::Invalid("the response (" + std::to_string(response.size()) +
                                      " bytes) exceeds the store protocol's frame limit");
          response.clear();
          Encoder e(&response);
          Encode(e, st);
        }
        if (!SendFrame(fd, response)) break;
      }
    }
  } else if (hello && channel == static_cast<uint8_t>(Channel::kEvents)) {
    // Random, so a client that missed a server restart cannot name another
    // client's channel of the new server by accident.
    uint64_t id = 0;
    while (id == 0) std::memcpy(&id, RandomBytes(8).data(), 8);
    ServeEvents(fd, id);
  }
  std::lock_guard<std::mutex> l(mu);
  ::close(fd);
  conn->fd = -1;
  conn->done = true;
}

void StoreServer::Impl::ServeEvents(int fd, uint64_t channel_id) {
  auto ch = std::make_shared<EventChannel>();
  ch->id = channel_id;
  ch->fd = fd;
  {
    std::lock_guard<std::mutex> l(mu);
    if (stopping) return;
    channels[channel_id] = ch;
  }
  if (SendAll(fd, HelloReply(channel_id))) {
    std::string ack;
    while (RecvFrame(fd, &ack)) {  // { u64 cookie, str reply }
      Decoder d(ack);
      uint64_t cookie = d.U64();
      std::string reply = d.Str();
      if (!d.ok()) break;
      std::lock_guard<std::mutex> l(ch->mu);
      auto it = ch->pending.find(cookie);
      if (it != ch->pending.end()) it->second = std::move(reply);
      ch->cv.notify_all();
    }
  }
  CloseChannel(ch);
  // The client is gone: its watches go with it (librados: watch timeout).
  std::vector<uint64_t> handles;
  {
    std::lock_guard<std::mutex> l(mu);
    channels.erase(channel_id);
    for (const auto& [h, w] : watches) {
      if (w->channel == ch) handles.push_back(h);
    }
  }
  for (uint64_t h : handles) (void)Unwatch(h, /*from_callback=*/true);
}

void StoreServer::Impl::CloseChannel(const std::shared_ptr<EventChannel>& ch) {
  std::lock_guard<std::mutex> l(ch->mu);
  ch->closed = true;
  ch->cv.notify_all();
}

std::string StoreServer::Impl::WatchCallback(const std::shared_ptr<ServedWatch>& w,
                                             uint64_t notify_id, uint64_t notifier_id,
                                             const std::string& payload) {
  EventChannel& ch = *w->channel;
  uint64_t cookie;
  {
    std::lock_guard<std::mutex> l(ch.mu);
    if (ch.closed || w->cancelled) return {};
    cookie = ch.next_cookie++;
    ch.pending[cookie];
  }
  std::string event;
  Encoder e(&event);
  e.U64(w->watch_id);
  e.U64(notify_id);
  e.U64(notifier_id);
  e.U64(cookie);
  e.Str(payload);
  bool sent;
  {
    std::lock_guard<std::mutex> l(ch.write_mu);
    sent = SendFrame(ch.fd, event);
  }
  std::unique_lock<std::mutex> l(ch.mu);
  if (sent) {
    ch.cv.wait_for(l, kMaxCallbackWait,
                   [&] { return ch.closed || w->cancelled || ch.pending[cookie].has_value(); });
  }
  std::string reply = ch.pending[cookie].value_or("");
  ch.pending.erase(cookie);
  return reply;
}

Status StoreServer::Impl::Unwatch(uint64_t handle, bool from_callback) {
  std::shared_ptr<ServedWatch> w;
  {
    std::lock_guard<std::mutex> l(mu);
    auto it = watches.find(handle);
    if (it == watches.end()) return Status::NotFound("no watch " + std::to_string(handle));
    w = it->second;
    watches.erase(it);
  }
  if (from_callback) {
    // The client unwatches from inside a callback of its own that the
    // store's Unwatch would wait for: stop waiting for that reply.
    w->cancelled = true;
    std::lock_guard<std::mutex> l(w->channel->mu);
    w->channel->cv.notify_all();
  }
  return store.Unwatch(handle);
}

std::string StoreServer::Impl::HandleOp(Decoder& d, bool write) {
  ObjectId id;
  Decode(d, id);
  std::vector<OpStep> steps;
  std::vector<StepOutputs> outs;
  DecodeSteps(d, &steps, &outs);
  std::string resp;
  Encoder e(&resp);
  if (!d.ok()) {
    Encode(e, d.status().Annotate("bad request"));
    return resp;
  }
  for (auto& o : outs) o.status = Status(Code::kInternal, kNotRun);
  // WriteOp/ReadOp expose their steps read-only, for backends; the op is our
  // own (non-const) object, so filling it with the decoded steps, out
  // pointers included, is well-defined and keeps every field as sent.
  Status st;
  uint64_t version = 0;
  if (write) {
    WriteOp op;
    const_cast<std::vector<OpStep>&>(op.steps()) = steps;
    st = store.Operate(id, op, &version);
  } else {
    ReadOp op;
    const_cast<std::vector<OpStep>&>(op.steps()) = steps;
    st = store.Operate(id, op);
  }
  for (auto& o : outs) {
    // A backend that does not report per-step statuses ran every step when
    // the op succeeded.
    bool marker = o.status.code() == Code::kInternal && o.status.message() == kNotRun;
    o.ran = !marker || st.ok();
    if (marker && st.ok()) o.status = Status::OK();
  }
  Encode(e, st);
  e.U64(version);
  EncodeStepResults(e, steps, outs);
  return resp;
}

std::string StoreServer::Impl::Handle(const std::string& request) {
  Decoder d(request);
  auto op = static_cast<Opcode>(d.U8());
  std::string resp;
  Encoder e(&resp);
  auto bad = [&] {
    resp.clear();
    Encode(e, d.ok()
                  ? Status::Invalid("unknown store request " + std::to_string(static_cast<int>(op)))
                  : d.status().Annotate("bad store request"));
    return resp;
  };
  switch (op) {
    case Opcode::kCreatePool: {
      std::string pool = d.Str();
      if (!d.ok()) return bad();
      Encode(e, store.CreatePool(pool));
      return resp;
    }
    case Opcode::kPoolExists: {
      std::string pool = d.Str();
      if (!d.ok()) return bad();
      auto r = store.PoolExists(pool);
      Encode(e, r.status());
      if (r.ok()) e.Bool(*r);
      return resp;
    }
    case Opcode::kListPools: {
      auto r = store.ListPools();
      Encode(e, r.status());
      if (r.ok()) Encode(e, *r);
      return resp;
    }
    case Opcode::kWriteOp:
    case Opcode::kReadOp:
      return HandleOp(d, op == Opcode::kWriteOp);
    case Opcode::kList: {
      std::string pool = d.Str(), ns = d.Str(), cursor = d.Str();
      uint64_t max = d.U64();
      if (!d.ok()) return bad();
      std::string next;
      auto r = store.List(pool, ns, cursor, max, &next);
      Encode(e, r.status());
      if (r.ok()) {
        Encode(e, *r);
        e.Str(next);
      }
      return resp;
    }
    case Opcode::kWatch: {
      ObjectId id;
      Decode(d, id);
      uint64_t channel_id = d.U64();
      auto w = std::make_shared<ServedWatch>();
      w->watch_id = d.U64();
      if (!d.ok()) return bad();
      {
        std::lock_guard<std::mutex> l(mu);
        auto it = channels.find(channel_id);
        if (it != channels.end()) w->channel = it->second;
      }
      if (!w->channel) {
        Encode(e, Status::Invalid(kNoEventChannel + (" " + std::to_string(channel_id))));
        return resp;
      }
      // The callback holds the watch weakly: the registry may keep it past
      // Unwatch while a notify still references it.
      std::weak_ptr<ServedWatch> weak = w;
      auto r = store.Watch(id,
                           [this, weak](uint64_t notify_id, uint64_t notifier_id,
                                        const std::string& payload) -> std::string {
                             auto sw = weak.lock();
                             return sw ? WatchCallback(sw, notify_id, notifier_id, payload)
                                       : std::string();
                           });
      if (r.ok()) {
        {
          std::lock_guard<std::mutex> l(mu);
          watches[*r] = w;
        }
        bool closed;
        {
          std::lock_guard<std::mutex> l(w->channel->mu);
          closed = w->channel->closed;
        }
        if (closed) {  // the channel died meanwhile; its cleanup missed this watch
          (void)Unwatch(*r, true);
          r = Status::IOError("the event channel closed");
        }
      }
      Encode(e, r.status());
      if (r.ok()) e.U64(*r);
      return resp;
    }
    case Opcode::kUnwatch: {
      uint64_t handle = d.U64();
      bool from_callback = d.Bool();
      if (!d.ok()) return bad();
      Encode(e, Unwatch(handle, from_callback));
      return resp;
    }
    case Opcode::kNotify: {
      ObjectId id;
      Decode(d, id);
      std::string payload = d.Str();
      uint64_t timeout_ms = d.U64();
      if (!d.ok()) return bad();
      auto r = store.Notify(id, payload, timeout_ms);
      Encode(e, r.status());
      if (r.ok()) Encode(e, *r);
      return resp;
    }
    case Opcode::kPoolId: {
      std::string pool = d.Str();
      if (!d.ok()) return bad();
      auto r = store.PoolId(pool);
      Encode(e, r.status());
      if (r.ok()) e.Fixed<int64_t>(*r);
      return resp;
    }
    case Opcode::kAllocateInstanceId: {
      auto r = embedded::AllocateInstanceId(store);
      Encode(e, r.status());
      if (r.ok()) e.U64(*r);
      return resp;
    }
  }
  return bad();
}

void StoreServer::Impl::StopAll() {
  if (stopping.exchange(true)) return;
  ::shutdown(listen_fd, SHUT_RDWR);  // wakes accept()
  if (acceptor.joinable()) acceptor.join();
  ::close(listen_fd);
  std::vector<std::shared_ptr<EventChannel>> chans;
  {
    std::lock_guard<std::mutex> l(mu);
    for (auto& c : conns) {
      if (c.fd >= 0) ::shutdown(c.fd, SHUT_RDWR);  // wakes its thread's recv()
    }
    for (auto& [id, ch] : channels) chans.push_back(ch);
  }
  for (auto& ch : chans) CloseChannel(ch);  // releases callbacks awaiting replies
  for (auto& c : conns) c.thread.join();    // no new conns: the acceptor is gone
  conns.clear();
  std::vector<uint64_t> handles;
  {
    std::lock_guard<std::mutex> l(mu);
    for (const auto& [h, w] : watches) handles.push_back(h);
  }
  for (uint64_t h : handles) (void)Unwatch(h, true);
  ::unlink(path.c_str());
}

Result<std::unique_ptr<StoreServer>> StoreServer::Start(const std::string& socket_path,
                                                        ObjectStore& store) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return Status::Invalid("store socket path too long: " + socket_path);
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  ::unlink(socket_path.c_str());  // a stale socket of a previous holder
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::chmod(socket_path.c_str(), 0600) != 0 || ::listen(fd, 64) != 0) {
    Status st =
        Status::IOError("cannot serve the store on " + socket_path + ": " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  auto impl = std::make_unique<Impl>(socket_path, store);
  impl->listen_fd = fd;
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->AcceptLoop(); });
  return std::unique_ptr<StoreServer>(new StoreServer(std::move(impl)));
}

StoreServer::StoreServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreServer::~StoreServer() { Stop(); }
void StoreServer::Stop() { impl_->StopAll(); }
const std::string& StoreServer::path() const { return impl_->path; }

}  // namespace kelp::store::remote
