// Cache coherence with running radosgw instances (reference G): every
// metadata write or removal is announced on the zone's control objects
// notify.0..7 with an RGWCacheNotifyInfo payload, exactly as radosgw's
// RGWSI_SysObj_Cache::distribute_cache does, so a radosgw sharing the
// cluster drops or refreshes its cached copy instead of serving stale users
// and buckets. Kelp's own metadata cache (meta_cache.h) is kept coherent by
// receiving the same notifies (cache_watcher.h, DecodeCacheNotify).
#pragma once

#include <map>
#include <string>

#include "base/encoding.h"
#include "rgw/meta/sysobj.h"
#include "rgw/types/common.h"
#include "store/object_store.h"

namespace kelp::rgw {

inline constexpr int kCacheNotifyOps = 8;  // rgw_num_control_oids
inline constexpr uint32_t kCacheUpdateObj = 0;
inline constexpr uint32_t kCacheRemoveObj = 1;
// ObjectCacheInfo flags.
inline constexpr uint32_t kCacheFlagData = 0x01;
inline constexpr uint32_t kCacheFlagXattrs = 0x02;
inline constexpr uint32_t kCacheFlagMeta = 0x04;
inline constexpr uint32_t kCacheFlagModifyXattrs = 0x08;
inline constexpr uint32_t kCacheFlagObjv = 0x10;

// The control object a change of `id` is announced on:
// notify.<ceph_str_hash_linux("pool+ns+oid") % 8>.
store::ObjectId CacheNotifyObject(const Pool& control_pool, const store::ObjectId& id);

// RGWCacheNotifyInfo ENC(2,2){u32 op, rgw_raw_obj, ObjectCacheInfo, s64 ofs, ns}
// for a full write (DATA|XATTRS|META [|OBJV]) and for a removal.
std::string EncodeCacheUpdate(const store::ObjectId& id, const std::string& data,
                              const std::map<std::string, std::string>& attrs,
                              const ObjVersion* objv, CephTime mtime);
std::string EncodeCacheRemove(const store::ObjectId& id);

// A decoded RGWCacheNotifyInfo (what a receiver needs of it).
struct CacheNotice {
  uint32_t op = 0;  // kCacheUpdateObj / kCacheRemoveObj
  store::ObjectId id;
  uint32_t flags = 0;  // ObjectCacheInfo flags
  std::string data;
  std::map<std::string, std::string> xattrs;
  std::map<std::string, std::string> rm_xattrs;
  CephTime mtime;
  ObjVersion objv;
};

// Decodes a notify payload as radosgw's RGWSI_SysObj_Cache::watch_cb does;
// Corruption when it is not an RGWCacheNotifyInfo (or an rgw_raw_obj older
// than v6, which radosgw 16 never sends).
Result<CacheNotice> DecodeCacheNotify(std::string_view payload);

// Sends `payload` for `id` (no-op when control_pool is empty). Failures are
// ignored as radosgw ignores them: the write itself has succeeded.
void DistributeCacheNotify(store::ObjectStore& store, const Pool& control_pool,
                           const store::ObjectId& id, const std::string& payload);

}  // namespace kelp::rgw
