#include "rgw/object/olh_list.h"

#include <algorithm>
#include <deque>
#include <set>

#include "rgw/meta/zone_service.h"
#include "rgw/services.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"

namespace kelp::rgw {

namespace clsrgw = ::kelp::store::cls::rgw;

namespace {

struct Shard {
  uint32_t id = 0;
  std::deque<std::pair<std::string, clsrgw::DirEntry>> buf;  // raw list key -> entry
  clsrgw::ObjKey next;  // where the next bucket_list starts
  bool more = true;
};

// The start key that resumes right after a returned entry. A null version
// in a versioned name has list key "<name>\0v..\0i" but an empty instance;
// the cls finds it by instance "null" (encode_list_index_key).
clsrgw::ObjKey ResumeAfter(const clsrgw::DirEntry& e) {
  if (e.IsCommonPrefix()) return clsrgw::ObjKey(clsrgw::AfterDelim(e.key.name));
  if (e.key.instance.empty() && (e.flags & clsrgw::DirEntry::kFlagVer)) {
    return clsrgw::ObjKey(e.key.name, "null");
  }
  return e.key;
}

Status Refill(Services& services, const LoadedBucket& bucket, const std::string& prefix,
              const std::string& delimiter, uint32_t chunk, Shard* sh) {
  while (sh->buf.empty() && sh->more) {
    clsrgw::ListOp lop;
    lop.start_obj = sh->next;
    lop.num_entries = chunk;
    lop.filter_prefix = prefix;
    lop.list_versions = true;
    lop.delimiter = delimiter;
    std::string out;
    store::ReadOp rop;
    rop.Exec("rgw", "bucket_list", EncodeToString(lop), &out);
    Status st = services.store().Operate(bucket.IndexShard(services.zone(), sh->id), rop);
    if (st.IsNotFound()) return Status(Code::kNoSuchBucket, "bucket index shard missing");
    RETURN_IF_ERROR(st);
    clsrgw::ListRet ret;
    RETURN_IF_ERROR(DecodeFromString(out, ret));
    const clsrgw::DirEntry* last = nullptr;
    for (auto& [k, e] : ret.dir.m) sh->buf.emplace_back(k, std::move(e));
    if (!sh->buf.empty()) last = &sh->buf.back().second;
    sh->more = ret.is_truncated;
    if (!sh->more) break;
    // The cls reports where it stopped; it is past our last entry when it
    // skipped entries (version markers, folded prefixes) after it.
    if (last && ret.marker == last->key) {
      sh->next = ResumeAfter(*last);
    } else if (last && last->IsCommonPrefix() && ret.marker.name <= last->key.name) {
      sh->next = ResumeAfter(*last);
    } else {
      sh->next = ret.marker;
    }
  }
  return Status::OK();
}

}  // namespace

Result<VersionListPage> ListVersions(Services& services, const LoadedBucket& bucket,
                                     const std::string& prefix, const std::string& delimiter,
                                     const clsrgw::ObjKey& start, uint32_t max) {
  VersionListPage page;
  const uint32_t nshards = std::max<uint32_t>(1, bucket.num_shards());
  const uint32_t chunk = std::min<uint32_t>(1000, std::max<uint32_t>(16, max / nshards + 8));
  std::vector<Shard> shards(nshards);
  for (uint32_t s = 0; s < nshards; ++s) {
    shards[s].id = s;
    shards[s].next = start;
  }
  std::set<std::string> seen_prefixes;
  uint32_t count = 0;
  for (;;) {
    Shard* best = nullptr;
    for (auto& sh : shards) {
      RETURN_IF_ERROR(Refill(services, bucket, prefix, delimiter, chunk, &sh));
      if (sh.buf.empty()) continue;
      if (!best) {
        best = &sh;
        continue;
      }
      const auto& a = sh.buf.front();
      const auto& b = best->buf.front();
      if (a.second.key.name < b.second.key.name ||
          (a.second.key.name == b.second.key.name && a.first < b.first)) {
        best = &sh;
      }
    }
    if (!best) break;
    auto& front = best->buf.front();
    const clsrgw::DirEntry& e = front.second;
    bool take = false;
    if (e.IsCommonPrefix()) {
      take = seen_prefixes.insert(e.key.name).second;
    } else {
      // Versions and delete markers; entries still pending their first
      // write (exists=false, not a marker) are not objects yet.
      take = e.IsValid() && (e.exists || e.IsDeleteMarker());
    }
    if (take && count >= max) {
      page.truncated = true;
      break;
    }
    if (take) {
      VersionListItem item;
      item.is_prefix = e.IsCommonPrefix();
      item.entry = std::move(front.second);
      page.items.push_back(std::move(item));
      ++count;
    }
    best->buf.pop_front();
  }
  return page;
}

}  // namespace kelp::rgw
