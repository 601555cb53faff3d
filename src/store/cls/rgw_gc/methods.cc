#include "store/cls/rgw_gc/methods.h"

#include <algorithm>

#include "store/cls/rgw_gc/types.h"

namespace kelp::store::cls::rgw_gc {
namespace {

constexpr uint32_t kListDefaultMax = 128;  // GC_LIST_DEFAULT_MAX
constexpr char kUrgentXattr[] = "cls_queue_urgent_data";

template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  if (!DecodeFromString(in, *op).ok()) return Status::Invalid("cannot decode input");
  return Status::OK();
}

CephTime AddSeconds(CephTime t, uint32_t secs) { return CephTime{t.sec + secs, t.nsec}; }

// The queue object: its whole data and decoded head, edited in memory and
// written back with WriteFull.
struct Queue {
  std::string data;
  QueueHead head;

  // queue_read_head: NotFound for a missing object, Invalid when the data
  // holds no queue head.
  Status Load(ClsContext& ctx) {
    auto d = ctx.Read(0, 0);
    if (!d.ok()) return d.status();
    data = std::move(*d);
    return DecodeQueueHeadBlock(data, &head);
  }

  void WriteAt(uint64_t off, std::string_view bytes) {
    if (data.size() < off + bytes.size()) data.resize(off + bytes.size(), '\0');
    std::copy(bytes.begin(), bytes.end(), data.begin() + off);
  }
  void ZeroAt(uint64_t off, uint64_t len) {
    if (off >= data.size()) return;
    len = std::min<uint64_t>(len, data.size() - off);
    std::fill_n(data.begin() + off, len, '\0');
  }
  Status Store(ClsContext& ctx) {
    WriteAt(0, EncodeQueueHeadBlock(head));
    return ctx.WriteFull(data);
  }

  // Advances `m` by n bytes through the ring (wrapping at queue_size).
  void Advance(QueueMarker& m, uint64_t n) const {
    while (n > 0) {
      uint64_t room = head.queue_size - m.offset;
      uint64_t step = std::min(n, room);
      m.offset += step;
      n -= step;
      if (m.offset == head.queue_size) {
        m.offset = head.max_head_size;
        ++m.gen;
      }
    }
  }
  // n bytes at m, following the wrap; missing bytes (sparse end) read as 0.
  std::string ReadRing(QueueMarker m, uint64_t n) const {
    std::string out;
    while (n > 0 && m.offset < head.queue_size) {
      uint64_t step = std::min(n, head.queue_size - m.offset);
      std::string piece = m.offset < data.size() ? data.substr(m.offset, step) : std::string();
      piece.resize(step, '\0');
      out += piece;
      n -= step;
      Advance(m, step);
    }
    return out;
  }

  struct Entry {
    QueueMarker at;
    std::string data;
  };
  // queue_list_entries: up to max entries from `start` (front when its
  // offset is 0); *next is where listing stops, *truncated whether entries
  // remain before the tail.
  Status List(QueueMarker start, uint64_t max, std::vector<Entry>* out, QueueMarker* next,
              bool* truncated) const {
    out->clear();
    QueueMarker pos = start.offset == 0 ? head.front : start;
    while (!(pos == head.tail) && out->size() < max) {
      std::string hdr = ReadRing(pos, kQueueEntryOverhead);
      Decoder d(hdr);
      uint16_t magic = d.U16();
      uint64_t size = d.U64();
      if (magic != kQueueEntryStart) return Status::Invalid("invalid queue entry start");
      if (size > head.queue_size) return Status::Invalid("queue entry larger than the queue");
      QueueMarker body = pos;
      Advance(body, kQueueEntryOverhead);
      out->push_back(Entry{pos, ReadRing(body, size)});
      pos = body;
      Advance(pos, size);
    }
    *next = pos;
    *truncated = !(pos == head.tail);
    return Status::OK();
  }

  // queue_enqueue of one entry.
  Status Enqueue(const std::string& payload) {
    if (head.front.offset == head.tail.offset && head.tail.gen == head.front.gen + 1) {
      return Status(Code::kNoSpace, "no space left in queue");
    }
    std::string bl;
    Encoder e(&bl);
    e.U16(kQueueEntryStart);
    e.U64(payload.size());
    bl += payload;
    uint64_t len = bl.size();
    if (head.tail.offset >= head.front.offset) {
      if (head.tail.offset + len <= head.queue_size) {
        WriteAt(head.tail.offset, bl);
        head.tail.offset += len;
      } else {
        uint64_t free_space =
            (head.queue_size - head.tail.offset) + (head.front.offset - head.max_head_size);
        if (len > free_space) return Status(Code::kNoSpace, "no space left in queue");
        uint64_t before_wrap = head.queue_size - head.tail.offset;
        WriteAt(head.tail.offset, std::string_view(bl).substr(0, before_wrap));
        head.tail.offset = head.max_head_size;
        head.tail.gen += 1;
        WriteAt(head.tail.offset, std::string_view(bl).substr(before_wrap));
        head.tail.offset += len - before_wrap;
      }
    } else {
      if (head.tail.offset + len > head.front.offset) {
        return Status(Code::kNoSpace, "no space left in queue");
      }
      WriteAt(head.tail.offset, bl);
      head.tail.offset += len;
    }
    if (head.tail.offset == head.queue_size) {
      head.tail.offset = head.max_head_size;
      head.tail.gen += 1;
    }
    return Status::OK();
  }

  // queue_remove_entries: everything before `end` goes (zeroed, as the
  // OSD does to reclaim space) and the front moves to `end`.
  Status RemoveUntil(QueueMarker end) {
    if (head.Empty()) return Status::OK();
    if (end.offset > head.front.offset && end.gen == head.front.gen) {
      ZeroAt(head.front.offset, end.offset - head.front.offset);
    } else if (head.front.offset >= end.offset && end.gen == head.front.gen + 1) {
      ZeroAt(head.front.offset, head.queue_size - head.front.offset);
      ZeroAt(head.max_head_size, end.offset - head.max_head_size);
    } else if (!(head.front == end)) {
      return Status::Invalid("invalid end marker " + end.ToString());
    }
    head.front = end;
    if (head.front.offset == head.queue_size) {
      head.front.offset = head.max_head_size;
      head.front.gen += 1;
    }
    return Status::OK();
  }
};

Status ReadUrgent(const Queue& q, UrgentData* u) {
  *u = UrgentData();
  if (q.head.bl_urgent_data.empty()) return Status::OK();
  if (!DecodeFromString(q.head.bl_urgent_data, *u).ok()) {
    return Status::Invalid("cannot decode urgent data");
  }
  return Status::OK();
}

// Deferred tags that spilled out of the head (num_xattr_urgent_entries > 0).
Status ReadXattrUrgent(ClsContext& ctx, const UrgentData& u, std::map<std::string, CephTime>* out) {
  out->clear();
  if (u.num_xattr_urgent_entries == 0) return Status::OK();
  auto x = ctx.GetXattr(kUrgentXattr);
  if (!x.ok()) return x.status().IsNotFound() ? Status::OK() : x.status();
  if (!DecodeFromString(*x, *out).ok()) return Status::Invalid("cannot decode xattr urgent data");
  return Status::OK();
}

// An entry whose tag was deferred to a later time is superseded by the
// deferred copy (cls_rgw_gc: "tag found in urgent data").
bool Superseded(const GcObjInfo& info, const UrgentData& u,
                const std::map<std::string, CephTime>& xattr_map) {
  auto it = u.urgent_data_map.find(info.tag);
  if (it != u.urgent_data_map.end()) return it->second > info.time;
  auto xt = xattr_map.find(info.tag);
  return xt != xattr_map.end() && xt->second > info.time;
}

Status QueueInit(ClsContext& ctx, const std::string& in, std::string*) {
  QueueInitOp op;
  RETURN_IF_ERROR(DecodeInput(in, &op));
  Queue q;
  Status st = q.Load(ctx);
  if (st.ok()) return Status::Exists("queue head is already initialized");
  if (!st.Is(Code::kInvalid)) return st;
  UrgentData urgent;
  urgent.num_urgent_data_entries = static_cast<uint32_t>(op.num_deferred_entries);
  q.head = QueueHead();
  q.head.bl_urgent_data = EncodeToString(urgent);
  q.head.max_urgent_data_size = kMaxDeferredEntriesSize;
  q.head.max_head_size = kQueueHeadSize1K + kMaxDeferredEntriesSize;
  q.head.queue_size = op.size + q.head.max_head_size;
  q.head.front = q.head.tail = QueueMarker{q.head.max_head_size, 0};
  return q.Store(ctx);
}

Status QueueEnqueue(ClsContext& ctx, const std::string& in, std::string*) {
  SetEntryOp op;
  RETURN_IF_ERROR(DecodeInput(in, &op));
  op.info.time = AddSeconds(ctx.Now(), op.expiration_secs);
  Queue q;
  RETURN_IF_ERROR(q.Load(ctx));
  RETURN_IF_ERROR(q.Enqueue(EncodeToString(op.info)));
  return q.Store(ctx);
}

Status QueueListEntries(ClsContext& ctx, const std::string& in, std::string* out) {
  ListOp op;
  RETURN_IF_ERROR(DecodeInput(in, &op));
  Queue q;
  RETURN_IF_ERROR(q.Load(ctx));
  UrgentData urgent;
  RETURN_IF_ERROR(ReadUrgent(q, &urgent));
  std::map<std::string, CephTime> xattr_map;
  RETURN_IF_ERROR(ReadXattrUrgent(ctx, urgent, &xattr_map));
  if (op.max == 0) op.max = kListDefaultMax;

  QueueMarker start{0, 0};
  if (!QueueMarker::FromString(op.marker, &start)) start = QueueMarker{0, 0};
  const CephTime now = ctx.Now();
  ListRet ret;
  uint32_t counted = 0;  // entries seen, expired or not, deferred ones excluded
  bool truncated = false;
  QueueMarker next;
  uint64_t max = op.max;
  do {
    std::vector<Queue::Entry> entries;
    RETURN_IF_ERROR(q.List(start, max, &entries, &next, &truncated));
    if (entries.empty()) break;
    for (const auto& e : entries) {
      GcObjInfo info;
      if (!DecodeFromString(e.data, info).ok()) return Status::Invalid("cannot decode gc info");
      if (Superseded(info, urgent, xattr_map)) continue;
      if (!op.expired_only || info.time <= now) ret.entries.push_back(std::move(info));
      ++counted;
    }
    if (counted >= op.max) break;
    max = op.max - counted;
    start = next;
  } while (truncated);
  ret.truncated = truncated;
  if (truncated) ret.next_marker = next.ToString();
  *out = EncodeToString(ret);
  return Status::OK();
}

Status QueueRemoveEntries(ClsContext& ctx, const std::string& in, std::string*) {
  QueueRemoveEntriesOp op;
  RETURN_IF_ERROR(DecodeInput(in, &op));
  Queue q;
  RETURN_IF_ERROR(q.Load(ctx));
  UrgentData urgent;
  RETURN_IF_ERROR(ReadUrgent(q, &urgent));
  std::map<std::string, CephTime> xattr_map;
  RETURN_IF_ERROR(ReadXattrUrgent(ctx, urgent, &xattr_map));
  if (op.num_entries == 0) op.num_entries = kListDefaultMax;

  // The end is the first entry that stays: the (num_entries + 1)-th
  // counted one, or the tail when the queue holds fewer.
  QueueMarker pos{0, 0};
  QueueMarker end = q.head.tail;
  uint64_t counted = 0;
  bool truncated = true;
  while (truncated) {
    std::vector<Queue::Entry> entries;
    QueueMarker next;
    RETURN_IF_ERROR(q.List(pos, 1024, &entries, &next, &truncated));
    bool done = false;
    for (const auto& e : entries) {
      GcObjInfo info;
      if (!DecodeFromString(e.data, info).ok()) return Status::Invalid("cannot decode gc info");
      auto it = urgent.urgent_data_map.find(info.tag);
      if (it != urgent.urgent_data_map.end()) {
        if (it->second > info.time) continue;  // superseded copy: removed, not counted
        if (it->second == info.time) {         // the deferred copy itself goes now
          urgent.urgent_data_map.erase(it);
          urgent.num_head_urgent_entries -= 1;
        }
      } else if (auto xt = xattr_map.find(info.tag); xt != xattr_map.end()) {
        if (xt->second > info.time) continue;
        if (xt->second == info.time) {
          xattr_map.erase(xt);
          urgent.num_xattr_urgent_entries -= 1;
        }
      }
      if (++counted == op.num_entries + 1) {
        end = e.at;
        done = true;
        break;
      }
    }
    if (done || entries.empty()) break;
    pos = next;
  }
  RETURN_IF_ERROR(q.RemoveUntil(end));
  // As cls_rgw_gc: the head's urgent data is rewritten, the xattr map is
  // only counted down (its entries stay until a later defer rewrites it).
  q.head.bl_urgent_data = EncodeToString(urgent);
  return q.Store(ctx);
}

}  // namespace

void RegisterMethods(ClsRegistry& r) {
  r.Register("rgw_gc", "rgw_gc_queue_init", QueueInit);
  r.Register("rgw_gc", "rgw_gc_queue_enqueue", QueueEnqueue);
  r.Register("rgw_gc", "rgw_gc_queue_list_entries", QueueListEntries);
  r.Register("rgw_gc", "rgw_gc_queue_remove_entries", QueueRemoveEntries);
}

}  // namespace kelp::store::cls::rgw_gc
