#include "rgw/object/bucket_index.h"

#include <algorithm>
#include <map>
#include <set>

#include "rgw/meta/zone_service.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"

namespace kelp::rgw {

namespace {
// radosgw returns -ERR_BUSY_RESHARDING (2300) from the guard.
constexpr int32_t kGuardErr = -clsrgw::kErrBusyResharding;

std::string GuardInput() {
  clsrgw::GuardReshardingOp guard;
  guard.ret_err = kGuardErr;
  return EncodeToString(guard);
}
}  // namespace

store::ObjectId BucketIndex::ShardFor(const std::string& hash_name) const {
  return bucket_.IndexShard(zone_, bucket_.ShardFor(hash_name));
}

Status BucketIndex::Call(const std::string& hash_name, const std::string& method,
                         std::string input) {
  store::WriteOp op;
  op.Exec("rgw", "guard_bucket_resharding", GuardInput());
  op.Exec("rgw", method, std::move(input));
  Status st = store_.Operate(ShardFor(hash_name), op);
  if (st.IsNotFound()) return Status(Code::kNoSuchBucket, "bucket index shard missing");
  return st;
}

Status BucketIndex::Prepare(const clsrgw::ObjKey& key, const std::string& hash_name, uint8_t op,
                            const std::string& tag, const std::string& locator) {
  clsrgw::PrepareOp p;
  p.op = op;
  p.key = key;
  p.tag = tag;
  p.locator = locator;
  p.log_op = false;  // single zone: radosgw only logs when data sync is on
  return Call(hash_name, "bucket_prepare_op", EncodeToString(p));
}

Status BucketIndex::Complete(const clsrgw::ObjKey& key, const std::string& hash_name, uint8_t op,
                             const std::string& tag, const clsrgw::BucketEntryVer& ver,
                             const clsrgw::DirEntryMeta& meta, const std::string& locator,
                             const std::list<clsrgw::ObjKey>& remove_objs) {
  clsrgw::CompleteOp c;
  c.op = op;
  c.key = key;
  c.tag = tag;
  c.ver = ver;
  c.meta = meta;
  c.locator = locator;
  c.remove_objs = {remove_objs.begin(), remove_objs.end()};
  c.log_op = false;
  return Call(hash_name, "bucket_complete_op", EncodeToString(c));
}

Status BucketIndex::Cancel(const clsrgw::ObjKey& key, const std::string& hash_name,
                           const std::string& tag) {
  clsrgw::DirEntryMeta meta;
  return Complete(key, hash_name, clsrgw::kOpCancel, tag, clsrgw::BucketEntryVer{}, meta, "", {});
}

clsrgw::BucketEntryVer BucketIndex::EntryVer(const store::ObjectId& head,
                                             uint64_t version) const {
  clsrgw::BucketEntryVer ver;
  auto pool_id = store_.PoolId(head.pool);
  ver.pool = pool_id.ok() ? *pool_id : -1;
  ver.epoch = version;
  return ver;
}

Result<clsrgw::DirEntry> BucketIndex::GetEntry(const std::string& index_key,
                                               const std::string& hash_name) {
  std::map<std::string, std::string> vals;
  store::ReadOp op;
  op.OmapGetValsByKeys({index_key}, &vals);
  Status st = store_.Operate(ShardFor(hash_name), op);
  if (!st.ok()) return st;
  auto it = vals.find(index_key);
  if (it == vals.end()) return Status::NotFound("no index entry");
  clsrgw::DirEntry e;
  RETURN_IF_ERROR(DecodeFromString(it->second, e));
  if (!e.exists) return Status::NotFound("index entry does not exist");
  return e;
}

// Ordered listing across shards: each shard returns its next entries in key
// order; the merged sequence is complete only up to the smallest "last key"
// of the shards that were truncated, so we take entries up to that bound and
// ask again from there until the page is full (radosgw's
// cls_bucket_list_ordered does the same with its per-shard budget).
Result<IndexListPage> BucketIndex::List(const std::string& prefix, const std::string& delimiter,
                                        const std::string& marker, uint32_t max) {
  IndexListPage page;
  if (max == 0) {
    return page;
  }
  const uint32_t shards = std::max<uint32_t>(1, bucket_.num_shards());
  std::string cursor = marker;
  // Skip ahead when the marker lies inside the prefix range... the cls filter
  // handles keys below the prefix.
  if (!prefix.empty() && cursor < prefix) cursor = "";
  std::set<std::string> seen_prefixes;
  uint32_t count = 0;
  const uint32_t per_shard = std::min<uint32_t>(1000, std::max<uint32_t>(8, max / shards + 8));

  while (count < max) {
    std::vector<clsrgw::DirEntry> merged;
    bool any_truncated = false;
    std::string bound;  // smallest last key among truncated shards
    bool have_bound = false;
    for (uint32_t s = 0; s < shards; ++s) {
      clsrgw::ListOp lop;
      lop.start_obj = clsrgw::ObjKey(cursor);
      lop.num_entries = per_shard;
      lop.filter_prefix = prefix;
      lop.list_versions = false;
      lop.delimiter = delimiter;
      std::string out;
      store::ReadOp rop;
      rop.Exec("rgw", "bucket_list", EncodeToString(lop), &out);
      Status st = store_.Operate(bucket_.IndexShard(zone_, bucket_.num_shards() ? s : 0), rop);
      if (st.IsNotFound()) return Status(Code::kNoSuchBucket, "bucket index shard missing");
      if (!st.ok()) return st;
      clsrgw::ListRet ret;
      RETURN_IF_ERROR(DecodeFromString(out, ret));
      std::string last;
      for (auto& [k, e] : ret.dir.m) {
        last = k;
        merged.push_back(std::move(e));
      }
      // A truncated shard is complete up to the marker it reports, which
      // can lie past its last returned entry when it skipped invisible
      // entries (cls_rgw's -EFBIG "advance and retry" case).
      if (ret.is_truncated && !ret.marker.name.empty() && ret.marker.name > last) {
        last = ret.marker.name;
      }
      if (ret.is_truncated) {
        any_truncated = true;
        if (!last.empty() && (!have_bound || last < bound)) {
          bound = last;
          have_bound = true;
        }
      }
      if (!bucket_.num_shards()) break;
    }
    std::sort(merged.begin(), merged.end(),
              [](const clsrgw::DirEntry& a, const clsrgw::DirEntry& b) {
                return a.key.name < b.key.name;
              });
    bool stopped_early = false;
    std::string advanced_to = cursor;
    for (auto& e : merged) {
      if (have_bound && e.key.name > bound) {
        break;
      }
      if (count >= max) {
        stopped_early = true;
        break;
      }
      advanced_to = e.key.name;
      // Common prefix: either flagged by the cls or folded here.
      std::string cp;
      if (e.IsCommonPrefix()) {
        cp = e.key.name;
      } else if (!delimiter.empty()) {
        auto pos = e.key.name.find(delimiter, prefix.size());
        if (pos != std::string::npos) cp = e.key.name.substr(0, pos + delimiter.size());
      }
      if (!cp.empty()) {
        if (seen_prefixes.insert(cp).second) {
          page.common_prefixes.push_back(cp);
          ++count;
          page.next_marker = cp;
        }
        // Everything under this prefix sorts before prefix + 0xFF.
        advanced_to = std::max(advanced_to, clsrgw::AfterDelim(cp));
        continue;
      }
      if (!e.exists || !e.IsVisible() || !e.IsValid()) continue;
      page.next_marker = e.key.name;
      page.entries.push_back(std::move(e));
      ++count;
    }
    if (stopped_early) {
      page.truncated = true;
      break;
    }
    if (!any_truncated) {
      page.truncated = false;
      break;
    }
    if (advanced_to == cursor) {
      // No progress possible (should not happen); avoid looping forever.
      page.truncated = false;
      break;
    }
    cursor = have_bound ? std::max(advanced_to, bound) : advanced_to;
    if (count >= max) {
      page.truncated = true;  // there may be more; the next call will tell
      break;
    }
  }
  return page;
}

}  // namespace kelp::rgw
