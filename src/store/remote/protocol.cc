#include "store/remote/protocol.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace kelp::store {

void Encode(Encoder& e, const ObjectId& id) {
  e.Str(id.pool);
  e.Str(id.ns);
  e.Str(id.oid);
  e.Str(id.locator);
}

void Decode(Decoder& d, ObjectId& id) {
  id.pool = d.Str();
  id.ns = d.Str();
  id.oid = d.Str();
  id.locator = d.Str();
}

void Encode(Encoder& e, const ListEntry& le) {
  e.Str(le.ns);
  e.Str(le.oid);
  e.Str(le.locator);
}

void Decode(Decoder& d, ListEntry& le) {
  le.ns = d.Str();
  le.oid = d.Str();
  le.locator = d.Str();
}

void Encode(Encoder& e, const NotifyReply& r) {
  e.U64(r.watcher_id);
  e.Str(r.payload);
}

void Decode(Decoder& d, NotifyReply& r) {
  r.watcher_id = d.U64();
  r.payload = d.Str();
}

}  // namespace kelp::store

namespace kelp::store::remote {

bool SendAll(int fd, const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool RecvAll(int fd, void* p, size_t n) {
  char* c = static_cast<char*>(p);
  size_t off = 0;
  while (off < n) {
    ssize_t r = ::recv(fd, c + off, n - off, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    off += static_cast<size_t>(r);
  }
  return true;
}

bool SendFrame(int fd, const std::string& body) {
  if (body.size() > kMaxFrame) return false;
  std::string header;
  Encoder(&header).U32(static_cast<uint32_t>(body.size()));
  // Two sends rather than a copy of a multi-MiB body.
  return SendAll(fd, header) && SendAll(fd, body);
}

bool RecvFrame(int fd, std::string* body) {
  uint32_t len = 0;
  if (!RecvAll(fd, &len, 4) || len > kMaxFrame) return false;
  body->resize(len);
  return RecvAll(fd, body->data(), len);
}

std::string HelloRequest(Channel channel) {
  std::string s(kMagic, 4);
  Encoder e(&s);
  e.U16(kVersion);
  e.U8(static_cast<uint8_t>(channel));
  return s;
}

std::string HelloReply(uint64_t channel_id) {
  std::string s(kMagic, 4);
  Encoder e(&s);
  e.U16(kVersion);
  e.U64(channel_id);
  return s;
}

void Encode(Encoder& e, const Status& st) {
  e.U16(static_cast<uint16_t>(st.code()));
  e.Str(st.message());
}

void Decode(Decoder& d, Status& st) {
  auto code = static_cast<Code>(d.U16());
  std::string message = d.Str();
  st = code == Code::kOk ? Status::OK() : Status(code, std::move(message));
}

namespace {

// Which outputs a step asks for.
enum Want : uint8_t { kStat = 1, kData = 2, kMap = 4, kMore = 8, kStatus = 16 };

uint8_t Wants(const OpStep& s) {
  return (s.out_stat ? kStat : 0) | (s.out_data ? kData : 0) | (s.out_map ? kMap : 0) |
         (s.out_more ? kMore : 0) | (s.out_status ? kStatus : 0);
}

}  // namespace

void EncodeSteps(Encoder& e, const std::vector<OpStep>& steps) {
  e.U32(static_cast<uint32_t>(steps.size()));
  for (const OpStep& s : steps) {
    e.U8(static_cast<uint8_t>(s.type));
    e.Bool(s.exclusive);
    e.U8(static_cast<uint8_t>(s.cmp));
    e.U64(s.off);
    e.U64(s.len);
    e.Str(s.name);
    e.Str(s.name2);
    e.Str(s.data);
    Encode(e, s.kv);
    Encode(e, s.keys);
    Encode(e, s.mtime);
    e.U64(s.max);
    e.Bool(s.failok);
    e.U8(Wants(s));
  }
}

void DecodeSteps(Decoder& d, std::vector<OpStep>* steps, std::vector<StepOutputs>* outs) {
  uint32_t n = d.U32();
  if (!SaneCount(d, n)) return;
  steps->resize(n);
  outs->resize(n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    OpStep& s = (*steps)[i];
    StepOutputs& o = (*outs)[i];
    s.type = static_cast<OpStep::Type>(d.U8());
    s.exclusive = d.Bool();
    s.cmp = static_cast<CmpOp>(d.U8());
    s.off = d.U64();
    s.len = d.U64();
    s.name = d.Str();
    s.name2 = d.Str();
    s.data = d.Str();
    Decode(d, s.kv);
    Decode(d, s.keys);
    Decode(d, s.mtime);
    s.max = d.U64();
    s.failok = d.Bool();
    uint8_t wants = d.U8();
    if (wants & kStat) s.out_stat = &o.stat;
    if (wants & kData) s.out_data = &o.data;
    if (wants & kMap) s.out_map = &o.map;
    if (wants & kMore) s.out_more = &o.more;
    // The server always learns each step's status, to know which ran.
    s.out_status = &o.status;
  }
}

void EncodeStepResults(Encoder& e, const std::vector<OpStep>& steps,
                       const std::vector<StepOutputs>& outs) {
  e.U32(static_cast<uint32_t>(steps.size()));
  for (size_t i = 0; i < steps.size(); ++i) {
    const OpStep& s = steps[i];
    const StepOutputs& o = outs[i];
    e.Bool(o.ran);
    if (!o.ran) continue;
    Encode(e, o.status);
    if (!o.status.ok()) continue;
    if (s.out_stat) {
      e.U64(o.stat.size);
      Encode(e, o.stat.mtime);
      e.U64(o.stat.version);
    }
    if (s.out_data) e.Str(o.data);
    if (s.out_map) Encode(e, o.map);
    if (s.out_more) e.Bool(o.more);
  }
}

void DecodeStepResults(Decoder& d, const std::vector<OpStep>& steps) {
  uint32_t n = d.U32();
  if (n != steps.size()) {
    d.Fail("step result count " + std::to_string(n) + " for " + std::to_string(steps.size()) +
           " steps");
    return;
  }
  for (const OpStep& s : steps) {
    if (!d.Bool()) continue;
    Status st;
    Decode(d, st);
    if (!d.ok()) return;
    if (s.out_status) *s.out_status = st;
    if (!st.ok()) continue;
    if (s.out_stat) {
      s.out_stat->size = d.U64();
      Decode(d, s.out_stat->mtime);
      s.out_stat->version = d.U64();
    }
    if (s.out_data) *s.out_data = d.Str();
    if (s.out_map) Decode(d, *s.out_map);
    if (s.out_more) *s.out_more = d.Bool();
  }
}

}  // namespace kelp::store::remote
