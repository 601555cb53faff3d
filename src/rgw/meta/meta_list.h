// Listing helpers for metadata sections (users, buckets): every object of a
// pool namespace, sorted, then paged by a text marker the way radosgw-admin
// `metadata list` pages (entries after `marker`, at most `max`).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/types/common.h"
#include "store/object_store.h"

namespace kelp::rgw {

// Object names of `pool` (name + namespace), sorted bytewise.
Result<std::vector<std::string>> ListNamespace(store::ObjectStore& store, const Pool& pool);

// Entries of sorted `all` after `marker`, at most `max` (0 = all).
std::vector<std::string> Page(std::vector<std::string> all, const std::string& marker, size_t max,
                              bool* truncated);

}  // namespace kelp::rgw
