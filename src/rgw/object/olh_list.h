// Listing every version of a bucket's objects from its index, as
// radosgw's list_objects_ordered with list_versions=true does: cls rgw
// bucket_list(list_versions) on each shard, merged in key order. Within one
// name, entries come newest first (their list keys "<name>\0v<decreasing
// epoch>\0i<instance>" sort that way), and all versions of a name live on
// the same shard, so the merge compares names across shards only.
//
// Entries: versions and delete markers (flags VER/CURRENT/DELETE_MARKER;
// instance "" for the null version or an unversioned object); common
// prefixes when a delimiter is given. Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "store/cls/rgw/types.h"

namespace kelp::rgw {

class Services;

struct VersionListItem {
  bool is_prefix = false;  // a common prefix (entry.key.name is the prefix)
  store::cls::rgw::DirEntry entry;
};

struct VersionListPage {
  std::vector<VersionListItem> items;  // in listing order
  bool truncated = false;
};

// Lists at most `max` items with index-name prefix `prefix` after `start`
// (an index key: name + instance; instance "null" = the null version,
// "" = start after the plain entry `name`). `delimiter` folds names into
// common prefixes.
Result<VersionListPage> ListVersions(Services& services, const LoadedBucket& bucket,
                                     const std::string& prefix, const std::string& delimiter,
                                     const store::cls::rgw::ObjKey& start, uint32_t max);

}  // namespace kelp::rgw
