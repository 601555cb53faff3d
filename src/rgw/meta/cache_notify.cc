#include "rgw/meta/cache_notify.h"

#include "base/ceph_hash.h"

namespace kelp::rgw {
namespace {

constexpr uint64_t kNotifyTimeoutMs = 10000;  // librados' default notify timeout

// rgw_raw_obj ENC(6,6){rgw_pool, oid, loc}.
void EncodeRawObj(Encoder& e, const store::ObjectId& id) {
  e.Versioned(6, 6, [&] {
    Encode(e, Pool{id.pool, id.ns});
    Encode(e, id.oid);
    Encode(e, id.locator);
  });
}

// ObjectCacheInfo ENC(5,3){s32 status, u32 flags, bl data, map xattrs,
// ObjectMetaInfo ENC(2,2){u64 size, real_time mtime}, map rm_xattrs,
// u64 epoch, obj_version}.
void EncodeCacheInfo(Encoder& e, uint32_t flags, const std::string& data,
                     const std::map<std::string, std::string>& attrs, CephTime mtime,
                     const ObjVersion& objv) {
  e.Versioned(5, 3, [&] {
    e.Fixed<int32_t>(0);
    e.U32(flags);
    Encode(e, data);
    Encode(e, attrs);
    e.Versioned(2, 2, [&] {
      e.U64(data.size());
      Encode(e, mtime);
    });
    Encode(e, std::map<std::string, std::string>{});
    e.U64(0);
    Encode(e, objv);
  });
}

std::string EncodeNotify(uint32_t op, const store::ObjectId& id,
                         const std::function<void(Encoder&)>& info) {
  std::string out;
  Encoder e(&out);
  e.Versioned(2, 2, [&] {
    e.U32(op);
    EncodeRawObj(e, id);
    info(e);
    e.Fixed<int64_t>(0);
    Encode(e, std::string());
  });
  return out;
}

}  // namespace

Result<CacheNotice> DecodeCacheNotify(std::string_view payload) {
  CacheNotice n;
  Decoder d(payload);
  d.Versioned(2, [&](uint8_t) {
    n.op = d.U32();
    d.Versioned(6, [&](uint8_t v) {
      if (v < 6) return d.Fail("rgw_raw_obj v" + std::to_string(v) + " (pre-raw rgw_obj form)");
      Pool pool;
      Decode(d, pool);
      n.id.pool = pool.name;
      n.id.ns = pool.ns;
      Decode(d, n.id.oid);
      Decode(d, n.id.locator);
    });
    d.VersionedLegacy(5, 3, 3, [&](uint8_t v) {
      (void)d.Fixed<int32_t>();  // status
      n.flags = d.U32();
      Decode(d, n.data);
      Decode(d, n.xattrs);
      d.VersionedLegacy(2, 2, 2, [&](uint8_t) {
        (void)d.U64();  // size
        Decode(d, n.mtime);
      });
      if (v >= 2) Decode(d, n.rm_xattrs);
      if (v >= 4) (void)d.U64();  // epoch
      if (v >= 5) Decode(d, n.objv);
    });
    (void)d.Fixed<int64_t>();  // ofs
    std::string ns;
    Decode(d, ns);
  });
  if (!d.ok()) return d.status().Annotate("cache notify payload");
  if (!d.AtEnd()) return Status::Corruption("cache notify payload: trailing bytes");
  return n;
}

store::ObjectId CacheNotifyObject(const Pool& control_pool, const store::ObjectId& id) {
  std::string name = id.pool + "+" + id.ns + "+" + id.oid;  // RGWSI_SysObj_Cache::normal_name
  uint32_t n = CephStrHashLinux(name) % kCacheNotifyOps;
  return store::ObjectId{control_pool.name, control_pool.ns, "notify." + std::to_string(n), ""};
}

std::string EncodeCacheUpdate(const store::ObjectId& id, const std::string& data,
                              const std::map<std::string, std::string>& attrs,
                              const ObjVersion* objv, CephTime mtime) {
  uint32_t flags = kCacheFlagData | kCacheFlagXattrs | kCacheFlagMeta;
  if (objv) flags |= kCacheFlagObjv;
  std::map<std::string, std::string> set;
  for (const auto& [k, v] : attrs) {
    if (!v.empty()) set[k] = v;  // what the write stored
  }
  return EncodeNotify(kCacheUpdateObj, id, [&](Encoder& e) {
    EncodeCacheInfo(e, flags, data, set, mtime, objv ? *objv : ObjVersion{});
  });
}

std::string EncodeCacheRemove(const store::ObjectId& id) {
  return EncodeNotify(kCacheRemoveObj, id,
                      [&](Encoder& e) { EncodeCacheInfo(e, 0, "", {}, CephTime{}, ObjVersion{}); });
}

void DistributeCacheNotify(store::ObjectStore& store, const Pool& control_pool,
                           const store::ObjectId& id, const std::string& payload) {
  if (control_pool.empty()) return;
  (void)store.Notify(CacheNotifyObject(control_pool, id), payload, kNotifyTimeoutMs);
}

}  // namespace kelp::rgw
