#include "store/cls/rgw_gc/types.h"

#include <charconv>

namespace kelp::store::cls::rgw_gc {

using rgw::Decode;
using rgw::Encode;

void Encode(Encoder& e, const ChainObj& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.pool);
    Encode(e, v.key.name);
    Encode(e, v.loc);
    Encode(e, v.key);
  });
}
void Decode(Decoder& d, ChainObj& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.pool);
    Decode(d, v.key.name);
    Decode(d, v.loc);
    if (sv >= 2) Decode(d, v.key);
  });
}

void Encode(Encoder& e, const GcObjInfo& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.tag);
    e.Versioned(1, 1, [&] { Encode(e, v.chain); });
    Encode(e, v.time);
  });
}
void Decode(Decoder& d, GcObjInfo& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.tag);
    d.Versioned(1, [&](uint8_t) { Decode(d, v.chain); });
    Decode(d, v.time);
  });
}

void Encode(Encoder& e, const SetEntryOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.expiration_secs);
    Encode(e, v.info);
  });
}
void Decode(Decoder& d, SetEntryOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.expiration_secs);
    Decode(d, v.info);
  });
}

void Encode(Encoder& e, const ListOp& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.marker);
    Encode(e, v.max);
    Encode(e, v.expired_only);
  });
}
void Decode(Decoder& d, ListOp& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.marker);
    Decode(d, v.max);
    v.expired_only = true;
    if (sv >= 2) Decode(d, v.expired_only);
  });
}

void Encode(Encoder& e, const ListRet& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.entries);
    Encode(e, v.next_marker);
    Encode(e, v.truncated);
  });
}
void Decode(Decoder& d, ListRet& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.entries);
    if (sv >= 2) Decode(d, v.next_marker);
    Decode(d, v.truncated);
  });
}

void Encode(Encoder& e, const RemoveOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.tags); });
}
void Decode(Decoder& d, RemoveOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.tags); });
}

void Encode(Encoder& e, const QueueInitOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.size);
    Encode(e, v.num_deferred_entries);
  });
}
void Decode(Decoder& d, QueueInitOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.size);
    Decode(d, v.num_deferred_entries);
  });
}

void Encode(Encoder& e, const QueueRemoveEntriesOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.num_entries); });
}
void Decode(Decoder& d, QueueRemoveEntriesOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.num_entries); });
}

std::string QueueMarker::ToString() const {
  return std::to_string(gen) + "/" + std::to_string(offset);
}

bool QueueMarker::FromString(const std::string& s, QueueMarker* m) {
  auto slash = s.find('/');
  if (slash == std::string::npos) return false;
  uint64_t g = 0, o = 0;
  const char* b = s.data();
  auto r1 = std::from_chars(b, b + slash, g);
  if (r1.ec != std::errc() || r1.ptr != b + slash || slash == 0) return false;
  auto r2 = std::from_chars(b + slash + 1, b + s.size(), o);
  if (r2.ec != std::errc() || r2.ptr != b + s.size() || slash + 1 == s.size()) return false;
  m->gen = g;
  m->offset = o;
  return true;
}

void Encode(Encoder& e, const QueueMarker& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.gen);
    Encode(e, v.offset);
  });
}
void Decode(Decoder& d, QueueMarker& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.gen);
    Decode(d, v.offset);
  });
}

void Encode(Encoder& e, const QueueHead& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.max_head_size);
    Encode(e, v.front);
    Encode(e, v.tail);
    Encode(e, v.queue_size);
    Encode(e, v.max_urgent_data_size);
    Encode(e, v.bl_urgent_data);
  });
}
void Decode(Decoder& d, QueueHead& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.max_head_size);
    Decode(d, v.front);
    Decode(d, v.tail);
    Decode(d, v.queue_size);
    Decode(d, v.max_urgent_data_size);
    Decode(d, v.bl_urgent_data);
  });
}

void Encode(Encoder& e, const UrgentData& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.urgent_data_map);
    Encode(e, v.num_urgent_data_entries);
    Encode(e, v.num_head_urgent_entries);
    Encode(e, v.num_xattr_urgent_entries);
  });
}
void Decode(Decoder& d, UrgentData& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.urgent_data_map);
    Decode(d, v.num_urgent_data_entries);
    Decode(d, v.num_head_urgent_entries);
    Decode(d, v.num_xattr_urgent_entries);
  });
}

std::string EncodeQueueHeadBlock(const QueueHead& h) {
  std::string head = EncodeToString(h);
  std::string out;
  Encoder e(&out);
  e.U16(kQueueHeadStart);
  e.U64(head.size());
  out += head;
  return out;
}

Status DecodeQueueHeadBlock(std::string_view data, QueueHead* h) {
  if (data.empty()) return Status::Invalid("queue head not initialized");
  Decoder d(data);
  if (d.U16() != kQueueHeadStart || !d.ok()) return Status::Invalid("invalid queue start");
  uint64_t len = d.U64();
  if (!d.ok() || len > d.remaining()) return Status::Invalid("queue head length past the data");
  Decoder hd(data.substr(d.pos(), len));
  Decode(hd, *h);
  if (!hd.ok()) return Status::Invalid("cannot decode queue head: " + hd.status().message());
  return Status::OK();
}

}  // namespace kelp::store::cls::rgw_gc
