#include "rgw/object/olh_writer.h"

#include <cinttypes>
#include <cstdio>

#include "base/crypto.h"
#include "rgw/meta/zone_service.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_reader.h"
#include "rgw/object/object_writer.h"
#include "rgw/services.h"
#include "rgw/types/olh.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"

namespace kelp::rgw {

namespace clsrgw = ::kelp::store::cls::rgw;

namespace {

constexpr const char* kAttrOlhVer = "user.rgw.olh.ver";
constexpr const char* kAttrOlhIdTag = "user.rgw.olh.idtag";
constexpr const char* kAttrOlhPendingPrefix = "user.rgw.olh.pending.";
constexpr int kMaxCanceledRetries = 100;  // MAX_ECANCELED_RETRY

std::string RandomFrom(std::string_view alphabet, size_t n) {
  std::string r = RandomBytes(n);
  for (auto& c : r) c = alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  return r;
}

// gen_rand_alphanumeric_lower.
std::string RandomLower(size_t n) { return RandomFrom("0123456789abcdefghijklmnopqrstuvwxyz", n); }

// What get_obj_state(follow_olh=false) tells set_olh about the OLH object.
struct OlhState {
  store::ObjectId id;
  bool exists = false;
  CephTime mtime;
  std::map<std::string, std::string> attrs;
  std::string olh_tag() const {
    auto it = attrs.find(kAttrOlhIdTag);
    return it == attrs.end() ? std::string() : it->second;
  }
};

Obj OlhObj(const LoadedBucket& bucket, const ObjKey& target) {
  Obj o;
  o.bucket = bucket.info.bucket;
  o.key.name = target.name;
  o.key.ns = target.ns;
  return o;
}

Status ReadOlhState(Services& services, const LoadedBucket& bucket, const ObjKey& target,
                    OlhState* st) {
  *st = OlhState();
  st->id = DataObjectId(services, bucket, OlhObj(bucket, target));
  store::ObjectStat stat;
  store::ReadOp op;
  op.Stat(&stat);
  op.GetXattrs(&st->attrs);
  Status s = services.store().Operate(st->id, op);
  if (s.IsNotFound()) {
    st->attrs.clear();
    return Status::OK();
  }
  RETURN_IF_ERROR(s.Annotate("reading OLH object"));
  st->exists = true;
  st->mtime = stat.mtime;
  return Status::OK();
}

// RGWOLHPendingInfo ENC(1,1){real_time time}.
std::string EncodePendingInfo(CephTime t) {
  std::string out;
  Encoder e(&out);
  e.Versioned(1, 1, [&] { Encode(e, t); });
  return out;
}

// olh_init_modification_impl: creates the OLH object (or guards the existing
// one by its OLH tag), gives a non-OLH object its idtag/olh tags and adds a
// pending marker named after the op tag. Canceled/Exists: raced, retry.
Status InitModification(Services& services, OlhState* st, std::string* op_tag) {
  store::WriteOp op;
  const bool has_tag = st->exists && st->attrs.count(kAttrOlhIdTag);
  if (!st->exists) {
    op.Create(true);
  } else {
    op.AssertExists();
    if (!st->mtime.IsZero()) op.SetMtime(st->mtime);
  }
  if (has_tag) {
    op.CmpXattr(kAttrOlhIdTag, store::CmpOp::kEq, st->olh_tag());
  } else {
    // Separate object and OLH tags: the OLH may share its object with the
    // null version's data. Neither carries a NUL.
    std::string obj_tag = RandomLower(32);
    std::string olh_tag = RandomLower(32);
    op.SetXattr(kAttrIdTag, obj_tag);
    op.SetXattr(kAttrOlhIdTag, olh_tag);
    op.SetXattr(kAttrOlhVer, "");
    st->attrs[kAttrIdTag] = obj_tag;
    st->attrs[kAttrOlhIdTag] = olh_tag;
  }
  CephTime now = CephTime::Now();
  std::string pending = EncodePendingInfo(now);
  // The tag starts with the time so pending entries sort by age.
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, static_cast<uint64_t>(now.sec));
  *op_tag = std::string(buf) + RandomLower(32 - 16);
  const std::string attr = std::string(kAttrOlhPendingPrefix) + *op_tag;
  op.SetXattr(attr, pending);
  RETURN_IF_ERROR(services.store().Operate(st->id, op));
  st->exists = true;
  st->attrs[attr] = pending;
  return Status::OK();
}

store::ObjectId ShardOf(Services& services, const LoadedBucket& bucket, const ObjKey& key) {
  return bucket.IndexShard(services.zone(), bucket.ShardFor(key.name));
}

// Runs one cls rgw method on the key's index shard behind the reshard guard.
Status IndexWrite(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                  const std::string& method, std::string input) {
  clsrgw::GuardReshardingOp guard;
  guard.ret_err = -clsrgw::kErrBusyResharding;
  store::WriteOp op;
  op.Exec("rgw", "guard_bucket_resharding", EncodeToString(guard));
  op.Exec("rgw", method, std::move(input));
  return services.store().Operate(ShardOf(services, bucket, key), op);
}

clsrgw::ObjKey IndexKey(const ObjKey& key) {
  std::string inst = key.instance == "null" ? std::string() : key.instance;
  return clsrgw::ObjKey(key.GetIndexKeyName(), inst);
}

// rgw_obj_key::parse_index_key: "__x" -> "_x", "_ns_x" -> ns + "x".
ObjKey FromIndexKey(const clsrgw::ObjKey& ik) {
  ObjKey k;
  k.instance = ik.instance;
  const std::string& n = ik.name;
  if (n.empty() || n[0] != '_') {
    k.name = n;
  } else if (n.size() > 1 && n[1] == '_') {
    k.name = n.substr(1);
  } else {
    auto pos = n.find('_', 1);
    if (pos == std::string::npos) {
      k.name = n;
    } else {
      k.ns = n.substr(1, pos - 1);
      k.name = n.substr(pos + 1);
    }
  }
  return k;
}

uint64_t ParseVer(const std::string& v) {
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') break;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

// RGWRados::delete_obj of one version's head with no versioning (what
// apply_olh_log does for REMOVE_INSTANCE): index prepare(DEL), head removal
// keeping the OLH xattrs (the null version shares its object with the OLH),
// index complete, tail release. A missing head is fine.
Status RemoveInstanceHead(Services& services, const LoadedBucket& bucket,
                          const clsrgw::ObjKey& ikey) {
  auto& store = services.store();
  ObjKey key = FromIndexKey(ikey);
  if (key.instance == "null") key.instance.clear();
  Obj obj;
  obj.bucket = bucket.info.bucket;
  obj.key = key;
  store::ObjectId id = DataObjectId(services, bucket, obj);
  std::map<std::string, std::string> attrs;
  store::ObjectStat stat;
  store::ReadOp rop;
  rop.Stat(&stat);
  rop.GetXattrs(&attrs);
  Status rs = store.Operate(id, rop);
  if (rs.IsNotFound()) return Status::OK();
  RETURN_IF_ERROR(rs.Annotate("reading version head"));

  BucketIndex index(store, services.zone(), bucket);
  clsrgw::ObjKey cls_key(key.GetIndexKeyName(), key.instance);
  const std::string tag = RandomTagChars(32);
  const std::string locator = key.GetLoc();
  RETURN_IF_ERROR(index.Prepare(cls_key, key.name, clsrgw::kOpDel, tag, locator));
  store::WriteOp op;
  auto idtag = attrs.find(kAttrIdTag);
  op.CmpXattr(kAttrIdTag, store::CmpOp::kEq, idtag == attrs.end() ? "" : idtag->second);
  clsrgw::ObjRemoveOp rm;
  rm.keep_attr_prefixes.push_back(kAttrOlhPrefix);
  op.Exec("rgw", "obj_remove", EncodeToString(rm));
  uint64_t version = 0;
  Status ws = store.Operate(id, op, &version);
  if (!ws.ok()) {
    (void)index.Cancel(cls_key, key.name, tag);
    if (ws.IsNotFound()) return Status::OK();
    if (ws.IsCanceled()) return Status(Code::kServiceUnavailable, "version changed during delete");
    return ws.Annotate("removing version head");
  }
  clsrgw::DirEntryMeta meta;
  meta.mtime = stat.mtime;
  RETURN_IF_ERROR(index.Complete(cls_key, key.name, clsrgw::kOpDel, tag,
                                 index.EntryVer(id, version), meta, locator, {}));
  auto m = attrs.find(kAttrManifest);
  if (m != attrs.end()) {
    ObjManifest manifest;
    if (DecodeFromString(m->second, manifest).ok()) {
      auto t = attrs.find(kAttrTailTag);
      if (t == attrs.end()) t = idtag;
      RemoveTails(services, manifest, t == attrs.end() ? "" : t->second);
    }
  }
  return Status::OK();
}

// apply_olh_log: replays the index's OLH log onto the OLH object.
// *last_ver gets the newest epoch seen (the next read's marker).
Status ApplyOlhLog(Services& services, const LoadedBucket& bucket, const ObjKey& target,
                   OlhState* st, const std::map<uint64_t, std::vector<clsrgw::OlhLogEntry>>& log,
                   uint64_t* last_ver) {
  if (log.empty()) return Status::OK();
  auto& store = services.store();
  const std::string olh_tag = st->olh_tag();
  const uint64_t ver = log.rbegin()->first;
  *last_ver = ver;

  for (int attempt = 0;; ++attempt) {
    // The current link, from the OLH's own xattrs.
    uint64_t link_epoch = 0;
    clsrgw::ObjKey key;
    bool delete_marker = false;
    std::string stored_ver;
    if (auto it = st->attrs.find(kAttrOlhVer); it != st->attrs.end()) {
      stored_ver = it->second;
      link_epoch = ParseVer(stored_ver);
    }
    if (auto it = st->attrs.find(kAttrOlhInfo); it != st->attrs.end()) {
      OlhInfo info;
      RETURN_IF_ERROR(DecodeFromString(it->second, info).Annotate("decoding olh info"));
      key = clsrgw::ObjKey(info.target.key.GetIndexKeyName(), info.target.key.instance);
      delete_marker = info.removed;
    }
    // radosgw guards with cmpxattr(olh.ver >= ver) in u64 mode; the store
    // compares bytes, so check the number here and guard on equality with
    // what we read (a race re-reads and re-checks).
    if (link_epoch > ver) return Status::OK();  // a newer log was applied already

    store::WriteOp op;
    op.CmpXattr(kAttrOlhIdTag, store::CmpOp::kEq, olh_tag);
    op.CmpXattr(kAttrOlhVer, store::CmpOp::kEq, stored_ver);
    op.SetXattr(kAttrOlhVer, std::to_string(ver));
    if (!st->mtime.IsZero()) op.SetMtime(st->mtime);  // the OLH keeps its mtime

    bool need_to_link = false, need_to_remove = false;
    std::vector<clsrgw::ObjKey> remove_instances;
    for (const auto& [epoch, entries] : log) {
      for (const auto& e : entries) {
        switch (e.op) {
          case clsrgw::kOlhOpRemoveInstance:
            remove_instances.push_back(e.key);
            break;
          case clsrgw::kOlhOpLinkOlh:
            // A link of the same epoch only wins if its key sorts first.
            if (link_epoch < epoch || key.instance.empty() || key.instance > e.key.instance) {
              need_to_link = true;
              need_to_remove = false;
              key = e.key;
              delete_marker = e.delete_marker;
            }
            break;
          case clsrgw::kOlhOpUnlinkOlh:
            need_to_remove = true;
            need_to_link = false;
            break;
          default:
            return Status::Corruption("invalid olh log op " + std::to_string(e.op));
        }
        op.RmXattr(std::string(kAttrOlhPendingPrefix) + e.op_tag);
      }
    }
    if (need_to_link) {
      OlhInfo info;
      info.target.bucket = bucket.info.bucket;
      info.target.key = FromIndexKey(key);
      info.removed = delete_marker;
      op.SetXattr(kAttrOlhInfo, EncodeToString(info));
    }
    for (const auto& ik : remove_instances) {
      RETURN_IF_ERROR(RemoveInstanceHead(services, bucket, ik));
    }
    Status ws = store.Operate(st->id, op);
    if (ws.IsCanceled() && attempt < kMaxCanceledRetries) {
      // Raced with another applier: see where the OLH is now.
      OlhState fresh;
      RETURN_IF_ERROR(ReadOlhState(services, bucket, target, &fresh));
      if (!fresh.exists || fresh.olh_tag() != olh_tag) return Status::OK();
      st->attrs = std::move(fresh.attrs);
      st->mtime = fresh.mtime;
      continue;
    }
    if (!ws.ok() && !ws.IsCanceled()) return ws.Annotate("applying olh log");

    clsrgw::TrimOlhLogOp trim;
    trim.olh = clsrgw::ObjKey(target.GetIndexKeyName(), "");
    trim.ver = ver;
    trim.olh_tag = olh_tag;
    RETURN_IF_ERROR(IndexWrite(services, bucket, target, "bucket_trim_olh_log",
                               EncodeToString(trim))
                        .Annotate("trimming olh log"));
    if (need_to_remove) {
      // The last version went away: remove the OLH object unless another
      // op is pending on it, then its index entries.
      store::WriteOp rm;
      rm.CmpXattr(kAttrOlhIdTag, store::CmpOp::kEq, olh_tag);
      rm.CmpXattr(kAttrOlhVer, store::CmpOp::kEq, std::to_string(ver));
      clsrgw::CheckAttrsPrefixOp check;
      check.check_prefix = kAttrOlhPendingPrefix;
      check.fail_if_exist = true;
      rm.Exec("rgw", "obj_check_attrs_prefix", EncodeToString(check));
      rm.Remove();
      Status r = store.Operate(st->id, rm);
      if (r.IsCanceled()) return Status::OK();  // someone else won this race
      clsrgw::ClearOlhOp clear;
      clear.key = clsrgw::ObjKey(target.GetIndexKeyName(), "");
      clear.olh_tag = olh_tag;
      RETURN_IF_ERROR(IndexWrite(services, bucket, target, "bucket_clear_olh",
                                 EncodeToString(clear))
                          .Annotate("clearing olh index entry"));
    }
    return Status::OK();
  }
}

// update_olh: read_olh_log + apply until the log is consumed.
Status UpdateOlh(Services& services, const LoadedBucket& bucket, const ObjKey& target,
                 OlhState* st) {
  uint64_t ver_marker = 0;
  for (;;) {
    clsrgw::ReadOlhLogOp rop;
    rop.olh = clsrgw::ObjKey(target.GetIndexKeyName(), "");
    rop.ver_marker = ver_marker;
    rop.olh_tag = st->olh_tag();
    std::string out;
    store::ReadOp op;
    op.Exec("rgw", "bucket_read_olh_log", EncodeToString(rop), &out);
    Status s = services.store().Operate(ShardOf(services, bucket, target), op);
    if (s.IsCanceled()) return Status::OK();  // raced: another writer owns the OLH now
    RETURN_IF_ERROR(s.Annotate("reading olh log"));
    clsrgw::ReadOlhLogRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    RETURN_IF_ERROR(ApplyOlhLog(services, bucket, target, st, ret.log, &ver_marker));
    if (!ret.is_truncated) return Status::OK();
  }
}

}  // namespace

std::string NewInstanceId() {
  return RandomFrom("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.", 31);
}

Result<bool> IsOlh(Services& services, const LoadedBucket& bucket, const std::string& name) {
  ObjKey k;
  k.name = name;
  OlhState st;
  RETURN_IF_ERROR(ReadOlhState(services, bucket, k, &st));
  return st.exists && st.attrs.count(kAttrOlhInfo) > 0;
}

Status SetOlh(Services& services, const LoadedBucket& bucket, const ObjKey& target,
              bool delete_marker, const clsrgw::DirEntryMeta* meta, uint64_t olh_epoch) {
  OlhState st;
  int i = 0;
  for (; i < kMaxCanceledRetries; ++i) {
    RETURN_IF_ERROR(ReadOlhState(services, bucket, target, &st));
    std::string op_tag;
    Status s = InitModification(services, &st, &op_tag);
    if (s.IsCanceled() || s.IsExists()) continue;
    RETURN_IF_ERROR(s.Annotate("olh init modification"));

    clsrgw::LinkOlhOp link;
    link.key = IndexKey(target);
    link.olh_tag = st.olh_tag();
    link.delete_marker = delete_marker;
    link.op_tag = op_tag;
    if (meta) link.meta = *meta;
    link.olh_epoch = olh_epoch;
    link.log_op = false;  // bilog only with data sync (zone log_data)
    s = IndexWrite(services, bucket, target, "bucket_link_olh", EncodeToString(link));
    if (s.IsCanceled()) continue;  // olh tag mismatch: re-read and retry
    if (s.IsNotFound()) {
      // radosgw leaves its pending marker to expire (follow_olh drops it
      // after rgw_olh_pending_timeout_sec); until then it blocks removing
      // the OLH. Nothing else will use it, so drop it now.
      store::WriteOp drop;
      drop.CmpXattr(kAttrOlhIdTag, store::CmpOp::kEq, st.olh_tag());
      drop.RmXattr(std::string(kAttrOlhPendingPrefix) + op_tag);
      (void)services.store().Operate(st.id, drop);
      return Status::NotFound("a delete marker is already current");
    }
    RETURN_IF_ERROR(s.Annotate("bucket_link_olh"));
    break;
  }
  if (i == kMaxCanceledRetries) return Status(Code::kServiceUnavailable, "olh update kept racing");
  return UpdateOlh(services, bucket, target, &st);
}

Status UnlinkInstance(Services& services, const LoadedBucket& bucket, const ObjKey& target,
                      uint64_t olh_epoch) {
  OlhState st;
  int i = 0;
  for (; i < kMaxCanceledRetries; ++i) {
    RETURN_IF_ERROR(ReadOlhState(services, bucket, target, &st));
    std::string op_tag;
    Status s = InitModification(services, &st, &op_tag);
    if (s.IsCanceled() || s.IsExists()) continue;
    RETURN_IF_ERROR(s.Annotate("olh init modification"));

    clsrgw::UnlinkInstanceOp unlink;
    unlink.key = IndexKey(target);
    unlink.op_tag = op_tag;
    unlink.olh_epoch = olh_epoch;
    unlink.log_op = false;
    unlink.olh_tag = st.olh_tag();
    s = IndexWrite(services, bucket, target, "bucket_unlink_instance", EncodeToString(unlink));
    if (s.IsCanceled()) continue;
    RETURN_IF_ERROR(s.Annotate("bucket_unlink_instance"));
    break;
  }
  if (i == kMaxCanceledRetries) return Status(Code::kServiceUnavailable, "olh update kept racing");
  return UpdateOlh(services, bucket, target, &st);
}

Result<clsrgw::DirEntry> GetInstanceEntry(Services& services, const LoadedBucket& bucket,
                                          const ObjKey& target) {
  clsrgw::BiGetOp op;
  op.key = IndexKey(target);
  op.type = clsrgw::kBiInstance;
  std::string out;
  store::ReadOp rop;
  rop.Exec("rgw", "bi_get", EncodeToString(op), &out);
  Status s = services.store().Operate(ShardOf(services, bucket, target), rop);
  if (s.IsNotFound()) return Status::NotFound("no such version");
  RETURN_IF_ERROR(s);
  clsrgw::BiGetRet ret;
  RETURN_IF_ERROR(DecodeFromString(out, ret));
  clsrgw::DirEntry e;
  RETURN_IF_ERROR(DecodeFromString(ret.entry.data, e));
  return e;
}

}  // namespace kelp::rgw
