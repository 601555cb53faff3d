// ZoneService: the zone and zonegroup this gateway serves, and the pools and
// placement they define (RGWSI_Zone).
#pragma once

#include <string>

#include "base/status.h"
#include "rgw/types/common.h"
#include "rgw/types/zone.h"
#include "store/object_store.h"

namespace kelp::rgw {

class ZoneService {
 public:
  // Loads (or on an empty store creates) zone "default" / zonegroup "default".
  static Result<std::unique_ptr<ZoneService>> Init(store::ObjectStore& store);

  const ZoneParams& params() const { return params_; }
  const ZoneGroup& zonegroup() const { return zonegroup_; }
  const std::string& zone_id() const;
  // Short zone id (first 4 bytes of md5(zone id), >= 1) for user.rgw.source_zone.
  uint32_t short_zone_id() const;
  uint32_t bucket_index_max_shards() const;

  // Pools of a placement rule ("" = the zonegroup's default placement).
  // NotFound (InvalidArgument for callers) if the rule does not exist.
  Result<ZonePlacementInfo> Placement(const std::string& rule) const;
  std::string default_placement() const;

  // store::ObjectId for an object in an rgw_pool ("name" + ns).
  static store::ObjectId Id(const Pool& pool, std::string oid, std::string locator = {});

 private:
  ZoneParams params_;
  ZoneGroup zonegroup_;
};

}  // namespace kelp::rgw
