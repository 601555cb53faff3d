#include "rgw/meta/sysobj.h"

#include "base/crypto.h"
#include "rgw/meta/cache_notify.h"
#include "rgw/meta/meta_cache.h"

namespace kelp::rgw {
ObjVersion NewWriteVersion() {
  ObjVersion v;
  v.ver = 1;
  v.tag = "_" + RandomAlnum(24);
  return v;
}

void AddVersionCheck(store::WriteOp& op, const ObjVersion& check) {
  if (check.ver == 0) return;
  namespace v = store::cls::version;
  v::CheckOp call;
  call.objv = check;
  call.conds.push_back(v::ObjVersionCond{check, v::kCondEq});
  op.Exec("version", "check_conds", EncodeToString(call));
}

void AddVersionSet(store::WriteOp& op, const ObjVersion& write) {
  store::cls::version::SetOp call;
  call.objv = write;
  op.Exec("version", "set", EncodeToString(call));
}

Result<ObjVersion> PutSysObj(store::ObjectStore& store, const store::ObjectId& id, std::string data,
                             const std::map<std::string, std::string>& attrs,
                             const SysObjWrite& how) {
  ObjVersion written;
  if (how.versioned) {
    written = how.write;
    if (written.ver == 0) {
      if (how.check.ver != 0) {
        written = how.check;
        ++written.ver;
      } else {
        written = NewWriteVersion();
      }
    }
  }
  // radosgw appends the objv ops after remove+create; steps apply in order
  // here, so the guard goes first to compare against the object being
  // replaced. The resulting object is the same.
  store::WriteOp guarded;
  if (how.versioned) AddVersionCheck(guarded, how.check);
  if (how.exclusive) {
    guarded.Create(true);
  } else {
    guarded.Remove(/*failok=*/true);
    guarded.Create(false);
  }
  if (how.versioned) AddVersionSet(guarded, written);
  CephTime mtime = how.mtime.IsZero() ? CephTime::Now() : how.mtime;
  guarded.SetMtime(mtime);
  guarded.WriteFull(data);
  std::map<std::string, std::string> stored;
  for (const auto& [k, v] : attrs) {
    if (!v.empty() && k != kVersionXattr) {
      guarded.SetXattr(k, v);
      stored[k] = v;
    }
  }
  Status st = store.Operate(id, guarded);
  // Even a failed write may have landed (a timeout) or show that our copy
  // is stale (Canceled): drop it either way.
  if (how.cache) how.cache->Invalidate(id);
  RETURN_IF_ERROR(st);
  if (!how.notify_pool.empty()) {
    DistributeCacheNotify(
        store, how.notify_pool, id,
        EncodeCacheUpdate(id, data, stored, how.versioned ? &written : nullptr, mtime));
  }
  return written;
}

namespace {

Result<SysObj> ReadSysObj(store::ObjectStore& store, const store::ObjectId& id) {
  SysObj o;
  store::ObjectStat st;
  store::ReadOp op;
  op.Stat(&st).Read(0, 0, &o.data).GetXattrs(&o.attrs);
  RETURN_IF_ERROR(store.Operate(id, op));
  o.mtime = st.mtime;
  auto it = o.attrs.find(kVersionXattr);
  if (it != o.attrs.end()) {
    Decoder d(it->second);
    Decode(d, o.objv);
    if (!d.ok()) return d.status().Annotate("objv of " + id.ToString());
    o.attrs.erase(it);
  }
  return o;
}

}  // namespace

Result<SysObj> GetSysObj(store::ObjectStore& store, const store::ObjectId& id, MetaCache* cache) {
  if (!cache) return ReadSysObj(store, id);
  MetaCache::Ticket ticket;
  if (auto hit = cache->Lookup(id, &ticket)) return std::move(*hit);
  Result<SysObj> r = ReadSysObj(store, id);
  cache->Insert(id, r, ticket);
  return r;
}

Status RemoveSysObj(store::ObjectStore& store, const store::ObjectId& id, const ObjVersion& check,
                    const Pool& notify_pool, MetaCache* cache) {
  store::WriteOp op;
  AddVersionCheck(op, check);
  op.Remove(/*failok=*/false);
  Status st = store.Operate(id, op);
  if (cache) cache->Invalidate(id);
  RETURN_IF_ERROR(st);
  DistributeCacheNotify(store, notify_pool, id, EncodeCacheRemove(id));
  return Status::OK();
}

}  // namespace kelp::rgw
