#include "store/cls/user/methods.h"

#include <algorithm>

#include "store/cls/user/types.h"

namespace kelp::store::cls::user {
namespace {

constexpr uint64_t kMaxEntries = 1000;

template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  if (!DecodeFromString(in, *op).ok()) return Status::Invalid("cannot decode input");
  return Status::OK();
}

Status ReadHeader(ClsContext& ctx, UserHeader* h) {
  *h = UserHeader();
  auto bytes = ctx.OmapGetHeader();
  if (!bytes.ok()) return bytes.status();
  if (bytes->empty()) return Status::OK();
  if (!DecodeFromString(*bytes, *h).ok()) return Status::IOError("corrupt user header");
  return Status::OK();
}

Status WriteHeader(ClsContext& ctx, const UserHeader& h) {
  return ctx.OmapSetHeader(EncodeToString(h));
}

Status ReadBucketEntry(ClsContext& ctx, const std::string& name, BucketEntry* e) {
  if (name.empty()) return Status::Invalid("empty bucket name");
  auto v = ctx.OmapGet(name);
  if (!v.ok()) return v.status();
  if (!DecodeFromString(*v, *e).ok()) return Status::IOError("corrupt bucket entry");
  return Status::OK();
}

void AddStats(UserStats& s, const BucketEntry& e) {
  s.total_entries += e.count;
  s.total_bytes += e.size;
  s.total_bytes_rounded += e.size_rounded;
}
void SubStats(UserStats& s, const BucketEntry& e) {
  s.total_bytes -= e.size;
  s.total_bytes_rounded -= e.size_rounded;
  s.total_entries -= e.count;
}

// add=true links buckets (new entries stored as given; existing ones only
// get bucket_id and creation_time updated); add=false updates the stats of
// existing entries and skips missing ones (a racing removal).
Status SetBucketsInfo(ClsContext& ctx, const std::string& in, std::string*) {
  SetBucketsOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  UserHeader header;
  if (Status s = ReadHeader(ctx, &header); !s.ok()) return s;
  for (const BucketEntry& update : op.entries) {
    BucketEntry entry;
    Status s = ReadBucketEntry(ctx, update.bucket.name, &entry);
    if (s.IsNotFound()) {
      if (!op.add) continue;
      entry = update;
    } else if (!s.ok()) {
      return s;
    } else if (op.add) {
      entry.bucket.bucket_id = update.bucket.bucket_id;
      entry.creation_time = update.creation_time;
    }
    if (entry.user_stats_sync) SubStats(header.stats, entry);
    if (!op.add) {
      entry.size = update.size;
      entry.size_rounded = update.size_rounded;
      entry.count = update.count;
    }
    entry.user_stats_sync = true;
    if (Status w = ctx.OmapSet(update.bucket.name, EncodeToString(entry)); !w.ok()) return w;
    AddStats(header.stats, entry);
  }
  header.last_stats_update = std::max(header.last_stats_update, op.time);
  return WriteHeader(ctx, header);
}

Status CompleteStatsSync(ClsContext& ctx, const std::string& in, std::string*) {
  CompleteStatsSyncOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  UserHeader header;
  if (Status s = ReadHeader(ctx, &header); !s.ok()) return s;
  header.last_stats_sync = std::max(header.last_stats_sync, op.time);
  return WriteHeader(ctx, header);
}

// Idempotent: removing an unknown bucket succeeds.
Status RemoveBucket(ClsContext& ctx, const std::string& in, std::string*) {
  RemoveBucketOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  UserHeader header;
  if (Status s = ReadHeader(ctx, &header); !s.ok()) return s;
  BucketEntry entry;
  Status s = ReadBucketEntry(ctx, op.bucket.name, &entry);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  if (Status r = ctx.OmapRm(op.bucket.name); !r.ok()) return r;
  if (!entry.user_stats_sync) return Status::OK();
  SubStats(header.stats, entry);
  return WriteHeader(ctx, header);
}

// Entries after `marker` (at most 1000), stopping before `end_marker`.
Status ListBuckets(ClsContext& ctx, const std::string& in, std::string* out) {
  ListBucketsOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  uint64_t max = std::min<uint64_t>(op.max_entries < 0 ? 0 : op.max_entries, kMaxEntries);
  ListBucketsRet ret;
  auto keys = ctx.OmapGetVals(op.marker, "", max, &ret.truncated);
  if (!keys.ok()) return keys.status();
  std::string marker;
  for (const auto& [k, v] : *keys) {
    marker = k;
    if (!op.end_marker.empty() && op.end_marker <= k) {
      ret.truncated = false;
      break;
    }
    BucketEntry e;
    if (DecodeFromString(v, e).ok()) ret.entries.push_back(std::move(e));  // upstream skips bad ones
  }
  if (ret.truncated) ret.marker = marker;
  if (out) *out = EncodeToString(ret);
  return Status::OK();
}

Status GetHeader(ClsContext& ctx, const std::string& in, std::string* out) {
  GetHeaderOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  GetHeaderRet ret;
  if (Status s = ReadHeader(ctx, &ret.header); !s.ok()) return s;
  if (out) *out = EncodeToString(ret);
  return Status::OK();
}

// Recomputes the header stats from the entries (not a bucket stats sync);
// last_stats_sync is reset, as upstream builds a fresh header.
Status ResetUserStats(ClsContext& ctx, const std::string& in, std::string*) {
  ResetStatsOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  UserHeader header;
  std::string from;
  bool more = true;
  while (more) {
    auto keys = ctx.OmapGetVals(from, "", kMaxEntries, &more);
    if (!keys.ok()) return keys.status();
    for (const auto& [k, v] : *keys) {
      BucketEntry e;
      if (!DecodeFromString(v, e).ok()) return Status::IOError("corrupt bucket entry " + k);
      AddStats(header.stats, e);
    }
    if (keys->empty()) break;
    from = keys->rbegin()->first;
  }
  header.last_stats_update = op.time;
  return WriteHeader(ctx, header);
}

}  // namespace

void RegisterMethods(ClsRegistry& r) {
  r.Register("user", "set_buckets_info", SetBucketsInfo);
  r.Register("user", "complete_stats_sync", CompleteStatsSync);
  r.Register("user", "remove_bucket", RemoveBucket);
  r.Register("user", "list_buckets", ListBuckets);
  r.Register("user", "get_header", GetHeader);
  r.Register("user", "reset_user_stats", ResetUserStats);
}

}  // namespace kelp::store::cls::user
