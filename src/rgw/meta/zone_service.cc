#include "rgw/meta/zone_service.h"

#include "base/crypto.h"
#include "rgw/meta/sysobj.h"

namespace kelp::rgw {
namespace {

constexpr char kRootPool[] = ".rgw.root";  // rgw_zone_root_pool / rgw_zonegroup_root_pool
constexpr char kDefaultName[] = "default";
constexpr int kNumControlOids = 8;  // rgw_num_control_oids

std::string EncodeNameToId(const std::string& id) { return EncodeToString(NameToId{id}); }

Result<std::string> DecodeNameToId(const std::string& bytes) {
  NameToId n;
  RETURN_IF_ERROR(DecodeFromString(bytes, n));
  return n.obj_id;
}

store::ObjectId RootObj(const std::string& oid) { return store::ObjectId{kRootPool, "", oid, ""}; }

// Reads "<names_prefix>default" -> id -> "<info_prefix><id>" into *out.
// NotFound when the name object is absent.
template <typename T>
Status ReadNamed(store::ObjectStore& store, const std::string& names_prefix,
                 const std::string& info_prefix, T* out) {
  ASSIGN_OR_RETURN(SysObj names, GetSysObj(store, RootObj(names_prefix + kDefaultName)));
  ASSIGN_OR_RETURN(std::string id, DecodeNameToId(names.data));
  ASSIGN_OR_RETURN(SysObj info, GetSysObj(store, RootObj(info_prefix + id)));
  Decoder d(info.data);
  Decode(d, *out);
  return d.status().Annotate(info_prefix + id);
}

// RGWSystemMetaObj::create: the info object, then the name object, both
// exclusive and without objv (the golden .rgw.root objects carry no xattrs).
template <typename T>
Status CreateNamed(store::ObjectStore& store, const std::string& names_prefix,
                   const std::string& info_prefix, const std::string& id, const T& value,
                   const Pool& notify_pool) {
  SysObjWrite how;
  how.notify_pool = notify_pool;
  how.exclusive = true;
  how.versioned = false;
  RETURN_IF_ERROR(
      PutSysObj(store, RootObj(info_prefix + id), EncodeToString(value), {}, how).status());
  return PutSysObj(store, RootObj(names_prefix + kDefaultName), EncodeNameToId(id), {}, how)
      .status();
}

Status EnsurePool(store::ObjectStore& store, const std::string& pool) {
  if (pool.empty()) return Status::OK();
  ASSIGN_OR_RETURN(bool exists, store.PoolExists(pool));
  if (exists) return Status::OK();
  Status s = store.CreatePool(pool);
  return s.IsExists() ? Status::OK() : s;  // lost a race with another process
}

}  // namespace

Result<std::unique_ptr<ZoneService>> ZoneService::Init(store::ObjectStore& store) {
  RETURN_IF_ERROR(EnsurePool(store, kRootPool));
  auto zone = std::make_unique<ZoneService>();
  Status zs = ReadNamed(store, "zone_names.", "zone_info.", &zone->params_);
  if (!zs.ok() && !zs.IsNotFound()) return zs.Annotate("reading the zone");
  Status gs = ReadNamed(store, "zonegroups_names.", "zonegroup_info.", &zone->zonegroup_);
  if (!gs.ok() && !gs.IsNotFound()) return gs.Annotate("reading the zonegroup");
  // First start: radosgw's RGWZoneGroup::create_default with its default
  // zone (RGWZoneParams::create with fix_pool_names for zone "default").
  if (zs.IsNotFound()) {
    std::string zone_id = RandomUuid();
    zone->params_ = DefaultZoneParams(zone_id, kDefaultName);
    Status s = CreateNamed(store, "zone_names.", "zone_info.", zone_id, zone->params_,
                           zone->params_.control_pool);
    if (s.IsExists()) return Init(store);  // another process created it meanwhile
    RETURN_IF_ERROR(s.Annotate("creating the zone"));
  }
  if (gs.IsNotFound()) {
    std::string zg_id = RandomUuid();
    zone->zonegroup_ =
        DefaultZoneGroup(zg_id, zone->params_.id(), kDefaultName, zone->params_.name());
    Status s = CreateNamed(store, "zonegroups_names.", "zonegroup_info.", zg_id, zone->zonegroup_,
                           zone->params_.control_pool);
    if (s.IsExists()) return Init(store);
    RETURN_IF_ERROR(s.Annotate("creating the zonegroup"));
  }
  // radosgw creates pools as it first needs them; after a first start that
  // served any request all of these exist, so create them up front.
  const ZoneParams& p = zone->params_;
  for (const Pool* pool : {&p.log_pool, &p.control_pool, &p.domain_root}) {
    RETURN_IF_ERROR(EnsurePool(store, pool->name));
  }
  for (const auto& [name, placement] : p.placement_pools) {
    RETURN_IF_ERROR(EnsurePool(store, placement.index_pool.name));
    RETURN_IF_ERROR(EnsurePool(store, placement.data_extra_pool.name));
    for (const auto& [sc, cls] : placement.storage_classes.m) {
      if (cls.data_pool) RETURN_IF_ERROR(EnsurePool(store, cls.data_pool->name));
    }
  }
  // RGWSI_Notify::init_watch: create(false) notify.0 .. notify.7.
  for (int i = 0; i < kNumControlOids; ++i) {
    store::WriteOp op;
    op.Create(false);
    RETURN_IF_ERROR(store.Operate(Id(p.control_pool, "notify." + std::to_string(i)), op));
  }
  return zone;
}

const std::string& ZoneService::zone_id() const { return params_.id(); }

// radosgw takes the short id from the period map; a single zone without a
// realm has no period, so the lookup misses and gives 0 (the golden dump's
// user.rgw.source_zone xattrs are 4 zero bytes).
uint32_t ZoneService::short_zone_id() const { return 0; }

uint32_t ZoneService::bucket_index_max_shards() const {
  auto it = zonegroup_.zones.find(params_.id());
  if (it == zonegroup_.zones.end()) return 11;  // RGWZone's default
  return it->second.bucket_index_max_shards;
}

std::string ZoneService::default_placement() const {
  return zonegroup_.default_placement.name.empty() ? kDefaultPlacement
                                                   : zonegroup_.default_placement.name;
}

Result<ZonePlacementInfo> ZoneService::Placement(const std::string& rule) const {
  std::string name = rule.empty() ? default_placement() : rule;
  auto it = params_.placement_pools.find(name);
  if (it == params_.placement_pools.end()) {
    return Status::NotFound("placement rule " + name + " does not exist in zone " + params_.name());
  }
  return it->second;
}

store::ObjectId ZoneService::Id(const Pool& pool, std::string oid, std::string locator) {
  return store::ObjectId{pool.name, pool.ns, std::move(oid), std::move(locator)};
}

}  // namespace kelp::rgw
