// `rgw` methods that maintain the object entries and the shard header:
// bucket_init_index, bucket_set_tag_timeout, bucket_prepare_op,
// bucket_complete_op, guard_bucket_resharding, bucket_check_index,
// bucket_rebuild_index, bucket_update_stats, dir_suggest_changes
// (semantics of cls_rgw.cc, radosgw 16.2).
#include <chrono>

#include "store/cls/rgw/index_io.h"

namespace kelp::store::cls::rgw {
namespace {

Status InitIndex(ClsContext& ctx, const std::string&, std::string*) {
  auto bytes = ctx.OmapGetHeader();
  if (!bytes.ok() && !bytes.status().IsNotFound()) return bytes.status();
  if (bytes.ok() && !bytes->empty()) return Status::Invalid("index already initialized");
  DirHeader h;
  return WriteHeader(ctx, &h);
}

Status SetTagTimeout(ClsContext& ctx, const std::string& in, std::string*) {
  TagTimeoutOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  h->tag_timeout = op.tag_timeout;
  return WriteHeader(ctx, &*h);
}

// Records a pending modification under `tag`; no stats, no bilog, no
// header write (those happen at completion).
Status PrepareOpMethod(ClsContext& ctx, const std::string& in, std::string*) {
  PrepareOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  if (op.tag.empty()) return Status::Invalid("tag is empty");
  std::string idx;
  DirEntry entry;
  Status s = ReadKeyEntry(ctx, op.key, &idx, &entry);
  if (!s.ok() && !s.IsNotFound()) return s;
  if (s.IsNotFound()) {
    entry.key = op.key;
    entry.ver = BucketEntryVer();
    entry.exists = false;
    entry.locator = op.locator;
  }
  PendingInfo info;
  info.timestamp = ctx.Now();
  info.state = kStatePendingModify;
  info.op = op.op;
  entry.pending_map.emplace(op.tag, info);
  return WriteEntry(ctx, idx, entry);
}

Status CompleteOpMethod(ClsContext& ctx, const std::string& in, std::string*) {
  CompleteOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  auto hr = ReadHeader(ctx);
  if (!hr.ok()) return Status::Invalid("cannot read header");
  DirHeader header = std::move(*hr);

  DirEntry entry;
  bool ondisk = true;
  std::string idx;
  Status s = ReadKeyEntry(ctx, op.key, &idx, &entry);
  if (s.IsNotFound()) {
    entry.key = op.key;
    entry.ver = op.ver;
    entry.meta = op.meta;
    entry.locator = op.locator;
    ondisk = false;
  } else if (!s.ok()) {
    return s;
  }
  entry.index_ver = header.ver;
  // A previous delete-marker state must not stick to the new entry.
  entry.flags &= DirEntry::kFlagVer;

  if (!op.tag.empty()) {
    auto it = entry.pending_map.find(op.tag);
    if (it == entry.pending_map.end()) return Status::Invalid("no pending op with this tag");
    entry.pending_map.erase(it);
  }

  bool cancel = false;
  if (!op.tag.empty() && op.op == kOpCancel) {
    cancel = true;
  } else if (op.ver.pool == entry.ver.pool && op.ver.epoch && op.ver.epoch <= entry.ver.epoch) {
    cancel = true;  // a newer write already completed
  }
  if (cancel) {
    if (!op.tag.empty()) return WriteEntry(ctx, idx, entry);
    return Status::OK();
  }

  UnaccountEntry(header, entry);
  entry.ver = op.ver;
  switch (op.op) {
    case kOpDel:
      entry.meta = op.meta;
      if (!ondisk) return Status::NotFound("no such index entry");
      if (entry.pending_map.empty()) {
        if (Status r = ctx.OmapRm(idx); !r.ok()) return r;
      } else {
        entry.exists = false;
        if (Status r = WriteEntry(ctx, idx, entry); !r.ok()) return r;
      }
      break;
    case kOpAdd:
      entry.meta = op.meta;
      entry.key = op.key;
      entry.exists = true;
      entry.tag = op.tag;
      AccountEntry(header, op.meta);
      if (Status r = WriteEntry(ctx, idx, entry); !r.ok()) return r;
      break;
    default:
      break;
  }

  if (op.log_op && !header.syncstopped) {
    Status r = LogIndexOperation(ctx, op.key, op.op, op.tag, entry.meta.mtime, entry.ver,
                                 kStateComplete, header.ver, &header.max_marker,
                                 op.bilog_flags, nullptr, nullptr, &op.zones_trace);
    if (!r.ok()) return r;
  }

  for (const ObjKey& rk : op.remove_objs) {
    DirEntry re;
    std::string k;
    if (!ReadKeyEntry(ctx, rk, &k, &re).ok()) continue;
    UnaccountEntry(header, re);
    if (op.log_op && !header.syncstopped) {
      ++header.ver;  // distinct bilog key per removed entry
      Status r = LogIndexOperation(ctx, rk, kOpDel, op.tag, re.meta.mtime, re.ver,
                                   kStateComplete, header.ver, &header.max_marker,
                                   op.bilog_flags, nullptr, nullptr, &op.zones_trace);
      if (!r.ok()) continue;
    }
    ctx.OmapRm(k);
  }
  return WriteHeader(ctx, &header);
}

Status GuardResharding(ClsContext& ctx, const std::string& in, std::string*) {
  GuardReshardingOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  if (h->new_instance.Resharding()) {
    return Status(Code::kBusy, "bucket is resharding (errno " + std::to_string(op.ret_err) + ")");
  }
  return Status::OK();
}

// check_index: recomputes the stats from the plain entries.
Status CheckIndex(ClsContext& ctx, DirHeader* existing, DirHeader* calc) {
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  *existing = *h;
  calc->tag_timeout = existing->tag_timeout;
  calc->ver = existing->ver;
  calc->syncstopped = existing->syncstopped;
  std::string start;
  while (true) {
    bool more = false;
    auto vals = ctx.OmapGetVals(start, "", 1000, &more);
    if (!vals.ok()) return vals.status();
    for (const auto& [k, v] : *vals) {
      start = k;
      if (!IsPlainKey(k)) continue;
      DirEntry e;
      if (!DecodeFromString(v, e).ok()) return Status::IOError("corrupt entry");
      AccountEntry(*calc, e.meta);
    }
    if (!more || vals->empty()) break;
  }
  return Status::OK();
}

Status CheckIndexMethod(ClsContext& ctx, const std::string&, std::string* out) {
  CheckIndexRet ret;
  if (Status s = CheckIndex(ctx, &ret.existing_header, &ret.calculated_header); !s.ok()) return s;
  EncodeOutput(ret, out);
  return Status::OK();
}

Status RebuildIndex(ClsContext& ctx, const std::string&, std::string*) {
  DirHeader existing, calc;
  if (Status s = CheckIndex(ctx, &existing, &calc); !s.ok()) return s;
  return WriteHeader(ctx, &calc);
}

Status UpdateStats(ClsContext& ctx, const std::string& in, std::string*) {
  UpdateStatsOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  for (const auto& [cat, st] : op.stats) {
    CategoryStats& dest = h->stats[cat];
    if (op.absolute) {
      dest = st;
    } else {
      dest.total_size += st.total_size;
      dest.total_size_rounded += st.total_size_rounded;
      dest.num_entries += st.num_entries;
      dest.actual_size += st.actual_size;
    }
  }
  return WriteHeader(ctx, &*h);
}

// dir_suggest_changes: radosgw's listing repairs entries whose head object
// disagrees with the index; applied only when no op is pending (after
// expiring pending ops older than the tag timeout).
Status SuggestChanges(ClsContext& ctx, const std::string& in, std::string*) {
  auto hr = ReadHeader(ctx);
  if (!hr.ok()) return hr.status();
  DirHeader header = std::move(*hr);
  bool header_changed = false;
  uint64_t timeout_ns =
      (header.tag_timeout ? header.tag_timeout : kDefaultTagTimeoutSec) * 1000000000ull;
  uint64_t now = ctx.Now().ToNanos();

  Decoder d(in);
  while (!d.AtEnd()) {
    uint8_t op = d.U8();
    DirEntry change;
    Decode(d, change);
    if (!d.ok()) return Status::Invalid("cannot decode suggested change");
    std::string key = ObjIndexKey(change.key);
    auto disk_bytes = ctx.OmapGet(key);
    if (!disk_bytes.ok()) {
      if (disk_bytes.status().IsNotFound()) continue;
      return Status::Invalid("cannot read entry");
    }
    DirEntry disk;
    if (!disk_bytes->empty()) {
      if (!DecodeFromString(*disk_bytes, disk).ok()) return Status::Invalid("corrupt entry");
      for (auto it = disk.pending_map.begin(); it != disk.pending_map.end();) {
        if (now > it->second.timestamp.ToNanos() + timeout_ns) {
          it = disk.pending_map.erase(it);
        } else {
          ++it;
        }
      }
    }
    if (!disk.pending_map.empty()) continue;
    if (disk.exists) {
      UnaccountEntry(header, disk);
      header_changed = true;
    }
    bool log_op = (op & kSuggestLogOp) != 0;
    op &= 0x7f;
    if (op == kSuggestRemove) {
      if (Status r = ctx.OmapRm(key); !r.ok()) return r;
      if (log_op && disk.exists && !header.syncstopped) {
        Status r = LogIndexOperation(ctx, disk.key, kOpDel, disk.tag, disk.meta.mtime, disk.ver,
                                     kStateComplete, header.ver, &header.max_marker, 0, nullptr,
                                     nullptr, nullptr);
        if (!r.ok()) return r;
      }
    } else if (op == kSuggestUpdate) {
      AccountEntry(header, change.meta);
      header_changed = true;
      change.index_ver = header.ver;
      if (Status r = WriteEntry(ctx, key, change); !r.ok()) return r;
      if (log_op && !header.syncstopped) {
        Status r = LogIndexOperation(ctx, change.key, kOpAdd, change.tag, change.meta.mtime,
                                     change.ver, kStateComplete, header.ver, &header.max_marker,
                                     0, nullptr, nullptr, nullptr);
        if (!r.ok()) return r;
      }
    }
  }
  if (header_changed) return WriteHeader(ctx, &header);
  return Status::OK();
}

}  // namespace

void RegisterIndexMethods(ClsRegistry& r) {
  r.Register("rgw", "bucket_init_index", InitIndex);
  r.Register("rgw", "bucket_set_tag_timeout", SetTagTimeout);
  r.Register("rgw", "bucket_prepare_op", PrepareOpMethod);
  r.Register("rgw", "bucket_complete_op", CompleteOpMethod);
  r.Register("rgw", "guard_bucket_resharding", GuardResharding);
  r.Register("rgw", "bucket_check_index", CheckIndexMethod);
  r.Register("rgw", "bucket_rebuild_index", RebuildIndex);
  r.Register("rgw", "bucket_update_stats", UpdateStats);
  r.Register("rgw", "dir_suggest_changes", SuggestChanges);
}

}  // namespace kelp::store::cls::rgw
