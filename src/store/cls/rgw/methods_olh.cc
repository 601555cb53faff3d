// `rgw` methods of versioned buckets: bucket_link_olh,
// bucket_unlink_instance, bucket_read_olh_log, bucket_trim_olh_log,
// bucket_clear_olh (cls_rgw.cc, radosgw 16.2).
//
// For an object "foo" with version BAR the index holds:
//   OLH entry          \x80 1001_foo           which version is current + log
//   instance entry     \x80 1000_foo \0i BAR   the version's DirEntry
//   list entry         foo \0v <dec epoch> \0i BAR  (newest first in listings)
//   plain "foo"        a VER_MARKER placeholder
// A null version (empty instance) that is a delete marker uses the
// instance key with a "\0d" suffix so it cannot collide with null data.
#include "store/cls/rgw/index_io.h"

namespace kelp::store::cls::rgw {
namespace {

constexpr size_t kMaxOlhLogEntries = 1000;

// Writes the instance entry and, when different, its list entry.
Status WriteObjEntries(ClsContext& ctx, const DirEntry& e, const std::string& instance_idx) {
  if (Status s = WriteEntry(ctx, instance_idx, e); !s.ok()) return s;
  std::string list_idx = ListIndexKey(e.key.name, e.versioned_epoch, e.key.instance);
  if (instance_idx != list_idx) return WriteEntry(ctx, list_idx, e);
  return Status::OK();
}

// BIVerObjEntry: one version's instance + list entries.
class VersionEntry {
 public:
  VersionEntry(ClsContext& ctx, const ObjKey& key) : ctx_(ctx), key_(key) {}

  Status Init(bool check_delete_marker = true) {
    Status s = ReadKeyEntry(ctx_, key_, &instance_idx_, &entry_,
                            check_delete_marker && key_.instance.empty());
    if (s.ok()) initialized_ = true;
    return s;
  }
  void InitAsDeleteMarker(const DirEntryMeta& meta) {
    entry_.key = key_;
    entry_.flags = DirEntry::kFlagDeleteMarker;
    entry_.meta = meta;
    entry_.tag = "delete-marker";
    initialized_ = true;
  }
  void SetEpoch(uint64_t epoch) { entry_.versioned_epoch = epoch; }
  Status UnlinkListEntry() {
    return ctx_.OmapRm(ListIndexKey(entry_.key.name, entry_.versioned_epoch, entry_.key.instance));
  }
  Status Unlink() { return ctx_.OmapRm(instance_idx_); }
  Status WriteEntries(uint16_t set, uint16_t reset) {
    if (!initialized_) {
      if (Status s = Init(); !s.ok()) return s;
    }
    entry_.flags = static_cast<uint16_t>((entry_.flags & ~reset) | set);
    bool dm_key = entry_.IsDeleteMarker() && entry_.key.instance.empty();
    instance_idx_ = InstanceKey(key_, dm_key);
    return WriteObjEntries(ctx_, entry_, instance_idx_);
  }
  Status Write(uint64_t epoch, bool current) {
    if (entry_.versioned_epoch > 0) {
      if (Status s = UnlinkListEntry(); !s.ok()) return s;  // its list key changes
    }
    entry_.versioned_epoch = epoch;
    return WriteEntries(DirEntry::kFlagVer | (current ? DirEntry::kFlagCurrent : 0), 0);
  }
  Status DemoteCurrent() { return WriteEntries(0, DirEntry::kFlagCurrent); }
  bool IsDeleteMarker() const { return entry_.IsDeleteMarker(); }
  // The next (older) version of the same name in list order.
  Status FindNextKey(ObjKey* next, bool* found) {
    std::string list_idx = ListIndexKey(entry_.key.name, entry_.versioned_epoch,
                                        entry_.key.instance);
    bool more = false;
    auto keys = ctx_.OmapGetVals(list_idx, key_.name, 1, &more);
    if (!keys.ok()) return keys.status();
    *found = false;
    if (keys->empty()) return Status::OK();
    DirEntry e;
    if (!DecodeFromString(keys->rbegin()->second, e).ok()) return Status::IOError("corrupt entry");
    *found = e.key.name == key_.name;
    if (*found) *next = e.key;
    return Status::OK();
  }
  DirEntry& entry() { return entry_; }
  CephTime mtime() const { return entry_.meta.mtime; }

 private:
  ClsContext& ctx_;
  ObjKey key_;
  std::string instance_idx_;
  DirEntry entry_;
  bool initialized_ = false;
};

// BIOLHEntry: the OLH entry of a name.
class OlhRef {
 public:
  OlhRef(ClsContext& ctx, const ObjKey& key) : ctx_(ctx), idx_(OlhKey(key.name)) {}

  Status Init(bool* found) {
    Status s = ReadEntry(ctx_, idx_, &e_);
    if (!s.ok() && !s.IsNotFound()) return s;
    if (!s.ok()) e_ = OlhEntry();
    *found = s.ok();
    return Status::OK();
  }
  // False when candidate_epoch is older than the OLH (a stale op).
  bool StartModify(uint64_t candidate_epoch) {
    if (candidate_epoch) {
      if (candidate_epoch < e_.epoch) return false;
      e_.epoch = candidate_epoch;
    } else {
      // Versioned epochs start at 2; 1 is for converted plain entries.
      e_.epoch = e_.epoch == 0 ? 2 : e_.epoch + 1;
    }
    return true;
  }
  void Update(const ObjKey& key, bool delete_marker) {
    e_.delete_marker = delete_marker;
    e_.key = key;
  }
  void UpdateLog(uint8_t op, const std::string& op_tag, const ObjKey& key, bool delete_marker,
                 uint64_t epoch = 0) {
    OlhLogEntry le;
    le.epoch = epoch ? epoch : e_.epoch;
    le.op = op;
    le.op_tag = op_tag;
    le.key = key;
    le.delete_marker = delete_marker;
    e_.pending_log[e_.epoch].push_back(std::move(le));
  }
  Status Write() { return WriteEntry(ctx_, idx_, e_); }
  OlhEntry& entry() { return e_; }

 private:
  ClsContext& ctx_;
  std::string idx_;
  OlhEntry e_;
};

Status WriteVersionMarker(ClsContext& ctx, const ObjKey& key) {
  DirEntry e;
  e.key = key;
  e.flags = DirEntry::kFlagVerMarker;
  return WriteEntry(ctx, key.name, e);
}

// A plain entry written before versioning becomes version 1 ("null"),
// and the plain key becomes a version marker.
Status ConvertPlainEntryToVersioned(ClsContext& ctx, const ObjKey& key, bool demote_current,
                                    bool instance_only) {
  if (!key.instance.empty()) return Status::Invalid("instance given");
  DirEntry e;
  std::string orig_idx;
  Status s = ReadKeyEntry(ctx, key, &orig_idx, &e);
  if (!s.IsNotFound()) {
    if (!s.ok()) return s;
    e.versioned_epoch = 1;
    e.flags |= DirEntry::kFlagVer;
    if (demote_current) e.flags &= ~DirEntry::kFlagCurrent;
    std::string new_idx = InstanceKey(key);
    s = instance_only ? WriteEntry(ctx, new_idx, e) : WriteObjEntries(ctx, e, new_idx);
    if (!s.ok()) return s;
  }
  return WriteVersionMarker(ctx, key);
}

Status LogVersionedOp(ClsContext& ctx, const ObjKey& key, uint8_t op, const std::string& op_tag,
                      CephTime mtime, uint64_t epoch, uint16_t bilog_flags,
                      const std::string* owner, const std::string* owner_display_name,
                      const ZoneSet& zones_trace) {
  auto h = ReadHeader(ctx);
  if (!h.ok()) return h.status();
  if (h->syncstopped) return Status::OK();
  BucketEntryVer ver;
  ver.epoch = epoch;
  Status s = LogIndexOperation(ctx, key, op, op_tag, mtime, ver, kStateComplete, h->ver,
                               &h->max_marker, bilog_flags | kBilogFlagVersionedOp, owner,
                               owner_display_name, &zones_trace);
  if (!s.ok()) return s;
  return WriteHeader(ctx, &*h);
}

Status LinkOlh(ClsContext& ctx, const std::string& in, std::string*) {
  LinkOlhOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;

  VersionEntry obj(ctx, op.key);
  Status s = obj.Init(op.delete_marker);
  // A delete without a version id comes with a fresh random instance, so
  // "not found" is expected then.
  bool existed = s.ok();
  if (!s.ok() && !(s.IsNotFound() && op.delete_marker)) return s;

  OlhRef olh(ctx, op.key);
  bool olh_read = false, olh_found = false;
  if (!existed && op.delete_marker) {
    if (Status r = olh.Init(&olh_found); !r.ok()) return r;
    olh_read = true;
    if (olh_found && olh.entry().delete_marker) {
      return Status::NotFound("current version is already a delete marker");
    }
  }

  if (existed && !op.unmod_since.IsZero()) {
    CephTime mtime = obj.mtime(), unmod = op.unmod_since;
    if (!op.high_precision_time) {
      mtime.nsec = 0;
      unmod.nsec = 0;
    }
    if (mtime >= unmod) return Status::OK();  // modified since: nothing to do
  }

  bool removing;
  if (op.key.instance.empty()) {
    // Null version: data and delete marker have separate instance keys;
    // replacing one removes the other's list entry.
    VersionEntry other(ctx, op.key);
    Status r = other.Init(!op.delete_marker);
    existed = r.ok() && !other.IsDeleteMarker();
    if (r.ok() && other.IsDeleteMarker() != op.delete_marker) {
      if (Status u = other.UnlinkListEntry(); !u.ok()) return u;
    }
    removing = existed && op.delete_marker;
    if (!removing) {
      if (Status u = other.Unlink(); !u.ok()) return u;
    }
  } else {
    removing = existed && !obj.IsDeleteMarker() && op.delete_marker;
  }

  if (op.delete_marker) obj.InitAsDeleteMarker(op.meta);

  if (!olh_read) {
    if (Status r = olh.Init(&olh_found); !r.ok()) return r;
  }
  const uint64_t prev_epoch = olh.entry().epoch;
  if (!olh.StartModify(op.olh_epoch)) {
    // Older than the current OLH: record the version, not as current.
    if (Status w = obj.Write(op.olh_epoch, false); !w.ok()) return w;
    if (removing) {
      olh.UpdateLog(kOlhOpRemoveInstance, op.op_tag, op.key, false, op.olh_epoch);
    }
    return Status::OK();
  }
  // Promote if newer, or same epoch and sorting after the current instance.
  const bool promote = olh.entry().epoch > prev_epoch ||
                       (olh.entry().epoch == prev_epoch &&
                        olh.entry().key.instance >= op.key.instance);

  if (olh_found) {
    if (op.olh_tag != olh.entry().tag) {
      if (!olh.entry().pending_removal) return Status::Canceled("olh tag mismatch");
      olh.entry().tag = op.olh_tag;  // a new OLH generation
    }
    if (promote && olh.entry().exists && !(olh.entry().key == op.key)) {
      VersionEntry old(ctx, olh.entry().key);
      if (Status d = old.DemoteCurrent(); !d.ok()) return d;
    }
    olh.entry().pending_removal = false;
  } else {
    bool instance_only = op.key.instance.empty() && op.delete_marker;
    Status c = ConvertPlainEntryToVersioned(ctx, ObjKey(op.key.name), promote, instance_only);
    if (!c.ok()) return c;
    olh.entry().tag = op.olh_tag;
  }

  olh.UpdateLog(kOlhOpLinkOlh, op.op_tag, op.key, op.delete_marker);
  if (removing) olh.UpdateLog(kOlhOpRemoveInstance, op.op_tag, op.key, false);
  if (promote) olh.Update(op.key, op.delete_marker);
  olh.entry().exists = true;
  if (Status w = olh.Write(); !w.ok()) return w;
  if (Status w = obj.Write(olh.entry().epoch, promote); !w.ok()) return w;

  if (!op.log_op) return Status::OK();
  DirEntry& e = obj.entry();
  return LogVersionedOp(ctx, op.key, op.delete_marker ? kOpLinkOlhDm : kOpLinkOlh, op.op_tag,
                        e.meta.mtime, op.olh_epoch ? op.olh_epoch : olh.entry().epoch,
                        op.bilog_flags, op.delete_marker ? &e.meta.owner : nullptr,
                        op.delete_marker ? &e.meta.owner_display_name : nullptr,
                        op.zones_trace);
}

Status UnlinkInstance(ClsContext& ctx, const std::string& in, std::string*) {
  UnlinkInstanceOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  ObjKey dest = op.key;
  if (dest.instance == "null") dest.instance.clear();

  VersionEntry obj(ctx, dest);
  OlhRef olh(ctx, dest);
  Status s = obj.Init();
  if (s.IsNotFound()) return Status::OK();  // already removed
  if (!s.ok()) return s;
  bool olh_found = false;
  if (Status r = olh.Init(&olh_found); !r.ok()) return r;
  if (!olh_found) {
    Status c = ConvertPlainEntryToVersioned(ctx, ObjKey(dest.name), true, false);
    if (!c.ok()) return c;
    olh.Update(dest, false);
    olh.entry().tag = op.olh_tag;
    obj.SetEpoch(1);
  }

  if (!olh.StartModify(op.olh_epoch)) {
    if (Status u = obj.UnlinkListEntry(); !u.ok()) return u;
    if (obj.IsDeleteMarker()) return Status::OK();
    olh.UpdateLog(kOlhOpRemoveInstance, op.op_tag, op.key, false, op.olh_epoch);
    return olh.Write();
  }

  if (olh.entry().key == dest) {
    // Removing the current version: the next older one becomes current.
    ObjKey next;
    bool found = false;
    if (Status f = obj.FindNextKey(&next, &found); !f.ok()) return f;
    if (found) {
      VersionEntry n(ctx, next);
      if (Status w = n.Write(olh.entry().epoch, true); !w.ok()) return w;
      olh.Update(next, n.IsDeleteMarker());
      olh.UpdateLog(kOlhOpLinkOlh, op.op_tag, next, n.IsDeleteMarker());
    } else {
      // Keep the name: it decides the shard if the entry is resharded.
      next = ObjKey(dest.name);
      olh.Update(next, false);
      olh.UpdateLog(kOlhOpUnlinkOlh, op.op_tag, next, false);
      olh.entry().exists = false;
      olh.entry().pending_removal = true;
    }
  }

  if (!obj.IsDeleteMarker()) {
    olh.UpdateLog(kOlhOpRemoveInstance, op.op_tag, op.key, false);
  } else {
    // Delete markers have no head object; their instance entry goes here.
    if (Status u = obj.Unlink(); !u.ok()) return u;
  }
  if (Status u = obj.UnlinkListEntry(); !u.ok()) return u;
  if (Status w = olh.Write(); !w.ok()) return w;

  if (!op.log_op) return Status::OK();
  return LogVersionedOp(ctx, op.key, kOpUnlinkInstance, op.op_tag, obj.mtime(),
                        op.olh_epoch ? op.olh_epoch : olh.entry().epoch, op.bilog_flags,
                        nullptr, nullptr, op.zones_trace);
}

// Reads the OLH entry for the trim/read/clear methods; Canceled on a tag
// mismatch (a missing entry has an empty tag).
Status ReadOlhForTag(ClsContext& ctx, const ObjKey& key, const std::string& tag,
                     OlhEntry* e, std::string* idx) {
  if (!key.instance.empty()) return Status::Invalid("instance must be empty");
  *idx = OlhKey(key.name);
  Status s = ReadEntry(ctx, *idx, e);
  if (!s.ok() && !s.IsNotFound()) return s;
  if (!s.ok()) *e = OlhEntry();
  if (e->tag != tag) return Status::Canceled("olh tag mismatch");
  return Status::OK();
}

Status ReadOlhLog(ClsContext& ctx, const std::string& in, std::string* out) {
  ReadOlhLogOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  OlhEntry e;
  std::string idx;
  if (Status s = ReadOlhForTag(ctx, op.olh, op.olh_tag, &e, &idx); !s.ok()) return s;
  ReadOlhLogRet ret;
  auto& log = e.pending_log;
  if (!log.empty() && log.begin()->first > op.ver_marker && log.size() <= kMaxOlhLogEntries) {
    ret.log = log;
  } else {
    auto it = log.upper_bound(op.ver_marker);
    for (size_t i = 0; i < kMaxOlhLogEntries && it != log.end(); ++i, ++it) {
      ret.log[it->first] = it->second;
    }
    ret.is_truncated = it != log.end();
  }
  EncodeOutput(ret, out);
  return Status::OK();
}

Status TrimOlhLog(ClsContext& ctx, const std::string& in, std::string*) {
  TrimOlhLogOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  OlhEntry e;
  std::string idx;
  if (Status s = ReadOlhForTag(ctx, op.olh, op.olh_tag, &e, &idx); !s.ok()) return s;
  e.pending_log.erase(e.pending_log.begin(), e.pending_log.upper_bound(op.ver));
  return WriteEntry(ctx, idx, e);
}

// Removes the OLH entry and the plain version marker (not a plain object).
Status ClearOlh(ClsContext& ctx, const std::string& in, std::string*) {
  ClearOlhOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  OlhEntry e;
  std::string idx;
  if (Status s = ReadOlhForTag(ctx, op.key, op.olh_tag, &e, &idx); !s.ok()) return s;
  if (Status s = ctx.OmapRm(idx); !s.ok()) return s;
  DirEntry plain;
  Status s = ReadEntry(ctx, op.key.name, &plain);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  if (!(plain.flags & DirEntry::kFlagVerMarker)) return Status::OK();
  return ctx.OmapRm(op.key.name);
}

}  // namespace

void RegisterOlhMethods(ClsRegistry& r) {
  r.Register("rgw", "bucket_link_olh", LinkOlh);
  r.Register("rgw", "bucket_unlink_instance", UnlinkInstance);
  r.Register("rgw", "bucket_read_olh_log", ReadOlhLog);
  r.Register("rgw", "bucket_trim_olh_log", TrimOlhLog);
  r.Register("rgw", "bucket_clear_olh", ClearOlh);
}

}  // namespace kelp::store::cls::rgw
