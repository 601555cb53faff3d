// BucketIndex: the client side of radosgw's bucket-index protocol (cls_rgw)
// for one bucket instance: the two-phase prepare/complete around every head
// object write or delete, and the ordered listing merged across shards.
//
// Every call goes to the shard of the entry's hash name (the object name, or
// for multipart entries the target object's name) with a
// guard_bucket_resharding op in front, as radosgw 16.2 sends it.
#pragma once

#include <list>
#include <string>
#include <vector>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "store/cls/rgw/types.h"
#include "store/object_store.h"

namespace kelp::rgw {

class ZoneService;

namespace clsrgw = ::kelp::store::cls::rgw;

struct IndexListPage {
  std::vector<clsrgw::DirEntry> entries;  // objects, in key order
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_marker;  // raw index key to continue after
};

class BucketIndex {
 public:
  BucketIndex(store::ObjectStore& store, const ZoneService& zone, const LoadedBucket& bucket)
      : store_(store), zone_(zone), bucket_(bucket) {}

  // bucket_prepare_op: records a pending op under `tag` on the entry.
  Status Prepare(const clsrgw::ObjKey& key, const std::string& hash_name, uint8_t op,
                 const std::string& tag, const std::string& locator);
  // bucket_complete_op: applies the op (ADD/DEL) and its stats. `ver` is
  // the (pool id, object version) of the head write.
  Status Complete(const clsrgw::ObjKey& key, const std::string& hash_name, uint8_t op,
                  const std::string& tag, const clsrgw::BucketEntryVer& ver,
                  const clsrgw::DirEntryMeta& meta, const std::string& locator,
                  const std::list<clsrgw::ObjKey>& remove_objs);
  // complete(op=CANCEL): drops the pending tag after a failed head write.
  Status Cancel(const clsrgw::ObjKey& key, const std::string& hash_name, const std::string& tag);

  // Ordered listing of plain entries with `prefix`, after raw index key
  // `marker`, at most `max` objects+prefixes. With a delimiter, keys with the
  // delimiter after the prefix fold into common prefixes.
  Result<IndexListPage> List(const std::string& prefix, const std::string& delimiter,
                             const std::string& marker, uint32_t max);

  // rgw_bucket_entry_ver of a head write: (pool id of `head`'s pool, the
  // object version the write produced); pool -1 if the pool is unknown.
  clsrgw::BucketEntryVer EntryVer(const store::ObjectId& head, uint64_t version) const;

  // Reads one plain entry (NotFound if absent or not existing).
  Result<clsrgw::DirEntry> GetEntry(const std::string& index_key, const std::string& hash_name);

 private:
  store::ObjectId ShardFor(const std::string& hash_name) const;
  Status Call(const std::string& hash_name, const std::string& method, std::string input);

  store::ObjectStore& store_;
  const ZoneService& zone_;
  const LoadedBucket& bucket_;
};

}  // namespace kelp::rgw
