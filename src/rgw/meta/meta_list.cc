#include "rgw/meta/meta_list.h"

#include <algorithm>

namespace kelp::rgw {

Result<std::vector<std::string>> ListNamespace(store::ObjectStore& store, const Pool& pool) {
  std::vector<std::string> names;
  std::string cursor, next;
  do {
    ASSIGN_OR_RETURN(auto batch, store.List(pool.name, pool.ns, cursor, 1000, &next));
    for (auto& e : batch) names.push_back(std::move(e.oid));
    cursor = next;
  } while (!cursor.empty());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Page(std::vector<std::string> all, const std::string& marker, size_t max,
                              bool* truncated) {
  auto first = marker.empty() ? all.begin() : std::upper_bound(all.begin(), all.end(), marker);
  std::vector<std::string> out;
  bool more = false;
  for (auto it = first; it != all.end(); ++it) {
    if (max && out.size() == max) {
      more = true;
      break;
    }
    out.push_back(std::move(*it));
  }
  if (truncated) *truncated = more;
  return out;
}

}  // namespace kelp::rgw
