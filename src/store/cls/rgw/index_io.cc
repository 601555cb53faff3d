#include "store/cls/rgw/index_io.h"

namespace kelp::store::cls::rgw {

Result<DirHeader> ReadHeader(ClsContext& ctx) {
  auto bytes = ctx.OmapGetHeader();
  if (!bytes.ok()) return bytes.status();
  DirHeader h;
  if (bytes->empty()) return h;
  Decoder d(*bytes);
  Decode(d, h);
  if (!d.ok()) return Status::IOError("corrupt bucket index header: " + d.status().message());
  return h;
}

Status WriteHeader(ClsContext& ctx, DirHeader* header) {
  header->ver++;
  return ctx.OmapSetHeader(EncodeToString(*header));
}

Status ReadKeyEntry(ClsContext& ctx, const ObjKey& key, std::string* idx, DirEntry* entry,
                    bool special_delete_marker_name) {
  *idx = ObjIndexKey(key);
  Status s = ReadEntry(ctx, *idx, entry);
  if (!s.ok()) return s;
  if (key.instance.empty() && (entry->flags & DirEntry::kFlagVerMarker)) {
    // The plain key only marks a versioned object; the null version lives
    // under its instance key (delete markers of it under the "\0d" variant).
    if (special_delete_marker_name) {
      *idx = InstanceKey(key, true);
      if (ReadEntry(ctx, *idx, entry).ok()) return Status::OK();
    }
    *idx = InstanceKey(key);
    s = ReadEntry(ctx, *idx, entry);
    if (!s.ok()) {
      *entry = DirEntry();
      return s;
    }
  }
  return Status::OK();
}

void UnaccountEntry(DirHeader& header, const DirEntry& entry) {
  if (!entry.exists) return;
  CategoryStats& st = header.stats[entry.meta.category];
  st.num_entries--;
  st.total_size -= entry.meta.accounted_size;
  st.total_size_rounded -= RoundedSize(entry.meta.accounted_size);
  st.actual_size -= entry.meta.size;
}

void AccountEntry(DirHeader& header, const DirEntryMeta& meta) {
  CategoryStats& st = header.stats[meta.category];
  st.num_entries++;
  st.total_size += meta.accounted_size;
  st.total_size_rounded += RoundedSize(meta.accounted_size);
  st.actual_size += meta.size;
}

Status LogIndexOperation(ClsContext& ctx, const ObjKey& key, uint8_t op, const std::string& tag,
                         CephTime timestamp, const BucketEntryVer& ver, uint8_t state,
                         uint64_t index_ver, std::string* max_marker, uint16_t bilog_flags,
                         const std::string* owner, const std::string* owner_display_name,
                         const ZoneSet* zones_trace) {
  BiLogEntry e;
  e.object = key.name;
  e.instance = key.instance;
  e.timestamp = timestamp;
  e.op = op;
  e.ver = ver;
  e.state = state;
  e.index_ver = index_ver;
  e.tag = tag;
  e.bilog_flags = bilog_flags;
  if (owner) e.owner = *owner;
  if (owner_display_name) e.owner_display_name = *owner_display_name;
  if (zones_trace) e.zones_trace = *zones_trace;
  // cls_current_subop_num is not exposed by ClsContext; radosgw's ops put
  // the logged method second (after guard_bucket_resharding), hence 1.
  e.id = BilogId(index_ver, ctx.CurrentVersion(), 1);
  if (e.id > *max_marker) *max_marker = e.id;
  return ctx.OmapSet(BilogPrefix() + e.id, EncodeToString(e));
}

}  // namespace kelp::store::cls::rgw
