// System objects: how radosgw writes and reads its metadata objects
// (RGWSI_SysObj_Core + RGWObjVersionTracker, reference B.5).
//
// A put is ONE atomic WriteOp:
//   exclusive ? create(exclusive) : remove(failok) + create
//   [cls version check_conds(EQ check)]  [cls version set(write)]
//   mtime, write_full(data), setxattr for every attr with a non-empty value
// so a put replaces the object's xattrs wholesale, and a concurrent writer
// that changed the object since `check` was read makes it fail with Canceled.
//
//   ASSIGN_OR_RETURN(SysObj o, GetSysObj(store, id));
//   SysObjWrite w{.check = o.objv};  // write = o.objv.ver + 1, same tag
//   ASSIGN_OR_RETURN(o.objv, PutSysObj(store, id, new_data, o.attrs, w));
//
// Caching: GetSysObj with a MetaCache (meta_cache.h) serves hits from it and
// fills it; writes with SysObjWrite::cache (RemoveSysObj's `cache`) drop the
// local entry once the write was attempted, before their notify goes out.
// Only pass a cache for objects radosgw's sysobj cache holds: users, the
// key/email/swift index objects, bucket entrypoints and instances.
//
// Thread-safety: free functions over a thread-safe ObjectStore.
#pragma once

#include <map>
#include <string>

#include "base/encoding.h"
#include "base/status.h"
#include "rgw/types/common.h"
#include "store/cls/version/types.h"
#include "store/object_store.h"

namespace kelp::rgw {

class MetaCache;

using ObjVersion = store::cls::version::ObjVersion;

// The xattr cls_version keeps the object's version in.
using store::cls::version::kVersionXattr;

// RGWObjVersionTracker::generate_new_write_ver: ver 1, tag "_" + 24 alnum.
ObjVersion NewWriteVersion();

struct SysObjWrite {
  bool exclusive = false;  // Exists if the object exists
  bool versioned = true;   // false: no cls_version ops (zone and index objects)
  ObjVersion check;        // ver 0 = no guard
  ObjVersion write;        // ver 0 = check.ver + 1 with check's tag, or NewWriteVersion()
  CephTime mtime;          // zero = now
  // The zone's control pool: announce the write to radosgw caches there
  // (cache_notify.h). Empty = no announcement.
  Pool notify_pool;
  // This process's metadata cache: its entry for the object is invalidated.
  MetaCache* cache = nullptr;
};

struct SysObj {
  std::string data;
  std::map<std::string, std::string> attrs;  // without kVersionXattr
  ObjVersion objv;                           // ver 0 when the object has none
  CephTime mtime;
};

// Writes data + attrs; returns the version written ({} when !versioned).
// Exists (exclusive), Canceled (check failed), NotFound (no pool).
Result<ObjVersion> PutSysObj(store::ObjectStore& store, const store::ObjectId& id, std::string data,
                             const std::map<std::string, std::string>& attrs,
                             const SysObjWrite& how);

// NotFound if absent. With `cache`, a cached copy (or cached absence) is
// returned and a store read is remembered.
Result<SysObj> GetSysObj(store::ObjectStore& store, const store::ObjectId& id,
                         MetaCache* cache = nullptr);

// Removes the object, guarded by `check` (ver 0 = unguarded), and
// announces it on `notify_pool` if given. NotFound if absent.
Status RemoveSysObj(store::ObjectStore& store, const store::ObjectId& id,
                    const ObjVersion& check = {}, const Pool& notify_pool = {},
                    MetaCache* cache = nullptr);

// Adds the cls_version guard / set steps of a metadata write to `op`.
void AddVersionCheck(store::WriteOp& op, const ObjVersion& check);
void AddVersionSet(store::WriteOp& op, const ObjVersion& write);

}  // namespace kelp::rgw
