// kelp-admin bucket / bi / object commands (radosgw-admin's RGWBucketAdminOp_*).
#include <sstream>

#include "admin/bucket_scan.h"
#include "admin/commands.h"
#include "admin/purge.h"
#include "rgw/types/acl.h"
#include "rgw/types/bucket_info.h"
#include "rgw/types/manifest.h"
#include "rgw/types/obj_tags.h"
#include "store/cls/rgw/json.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"

namespace kelp::admin {
namespace {

namespace clsrgw = store::cls::rgw;

// "0#1,1#1,..." as radosgw-admin joins per-shard values.
template <typename T>
std::string PerShard(const std::vector<T>& v) {
  std::ostringstream s;
  for (size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << i << "#" << v[i];
  return s.str();
}

Result<rgw::LoadedBucket> LoadBucket(Ctx& c) {
  if (c.opt.bucket.empty()) return Status(Code::kInvalidArgument, "bucket name not specified");
  std::string tenant, name;
  ParseBucket(c.opt, &tenant, &name);
  if (!c.opt.bucket_id.empty()) return c.svc.buckets().GetInstance(tenant, name, c.opt.bucket_id);
  return c.svc.buckets().Get(tenant, name);
}

// radosgw-admin prints a failed bucket lookup as "failure: (2) No such file or directory".
int FailBucket(Ctx& c, const Status& s) {
  if (s.Is(Code::kNoSuchBucket)) return c.Fail("failure: (2) No such file or directory", 2);
  if (s.Is(Code::kInvalidArgument)) return c.Fail("ERROR: ", s);
  return c.Fail("failure: ", s);
}

nlohmann::json StatsJson(Ctx& c, const rgw::LoadedBucket& b, const rgw::BucketStats& st) {
  const rgw::BucketInfo& info = b.info;
  nlohmann::ordered_json j;
  j["bucket"] = info.bucket.name;
  j["num_shards"] = info.num_shards();
  j["tenant"] = info.bucket.tenant;
  j["zonegroup"] = info.zonegroup;
  j["placement_rule"] = info.placement_rule.ToString();
  j["explicit_placement"] = rgw::ToJson(info.bucket)["explicit_placement"];
  j["id"] = info.bucket.bucket_id;
  j["marker"] = info.bucket.marker;
  j["index_type"] =
      info.layout.current_index.layout.type == rgw::kBucketIndexNormal ? "Normal" : "Indexless";
  j["owner"] = info.owner.ToString();
  j["ver"] = PerShard(st.shard_ver);
  j["master_ver"] = PerShard(st.shard_master_ver);
  j["mtime"] = rgw::FormatTime(b.mtime);
  j["creation_time"] = rgw::FormatTime(info.creation_time);
  j["max_marker"] = PerShard(st.shard_max_marker);
  nlohmann::ordered_json usage = nlohmann::ordered_json::object();
  for (const auto& [cat, fields] : st.usage) {
    nlohmann::ordered_json u;
    for (const char* f : {"size", "size_actual", "size_utilized", "size_kb", "size_kb_actual",
                          "size_kb_utilized", "num_objects"}) {
      auto it = fields.find(f);
      u[f] = it == fields.end() ? 0 : it->second;
    }
    usage[cat] = u;
  }
  j["usage"] = usage;
  j["bucket_quota"] = rgw::ToJson(info.quota);
  if (auto tags = b.attrs.find("user.rgw.x-amz-tagging"); tags != b.attrs.end()) {
    rgw::ObjTags t;
    if (DecodeFromString(tags->second, t).ok()) j["tagset"] = rgw::ToJson(t)["tagset"];
  }
  return nlohmann::json::parse(j.dump());
}

// The RADOS object of an S3 object's head: "<marker>_<key oid>" in the
// bucket's data pool, with radosgw's locator for keys starting with '_'.
Result<store::ObjectId> HeadObjectId(Ctx& c, const rgw::LoadedBucket& b, const rgw::Obj& obj) {
  rgw::Pool pool = b.info.bucket.explicit_placement.data_pool;
  if (pool.empty()) {
    ASSIGN_OR_RETURN(auto placement, c.svc.zone().Placement(b.info.placement_rule.name));
    pool = placement.DataPool(b.info.placement_rule.storage_class);
  }
  return rgw::ZoneService::Id(pool, obj.GetOid(), obj.GetLocator());
}

}  // namespace

// `bucket list --bucket`: the bucket's index entries with versions, delete
// markers and multipart entries (cls_bucket_list_ordered, list_versions),
// merged across shards in index-key order; version placeholders are skipped.
int ListBucketEntries(Ctx& c) {
  auto b = LoadBucket(c);
  if (!b.ok()) {
    if (b.status().Is(Code::kNoSuchBucket)) {
      return c.Fail("ERROR: could not init bucket: (2) No such file or directory", 2);
    }
    return FailBucket(c, b.status());
  }
  size_t max = c.opt.max_entries ? size_t(std::max(*c.opt.max_entries, 0)) : 1000;
  std::map<std::string, clsrgw::DirEntry> merged;
  uint32_t n = std::max<uint32_t>(b->num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    // --marker: radosgw lists from after rgw_obj_key(marker)'s index key.
    std::string after = c.opt.marker;
    size_t taken = 0;
    bool more = true;
    // Each shard contributes at most `max` entries to the first `max` overall.
    while (more && taken < max) {
      std::map<std::string, std::string> kv;
      store::ReadOp op;
      op.OmapGetVals(after, "", 1000, &kv, &more);
      Status st = c.svc.store().Operate(b->IndexShard(c.svc.zone(), s), op);
      if (!st.ok()) return c.Fail("ERROR: could not read bucket index: ", st);
      if (kv.empty()) break;
      for (auto& [key, val] : kv) {
        after = key;
        if (!clsrgw::IsPlainKey(key)) continue;
        clsrgw::DirEntry e;
        if (!DecodeFromString(val, e).ok()) continue;
        if (e.flags & clsrgw::DirEntry::kFlagVerMarker) continue;
        merged.emplace(key, std::move(e));
        if (++taken >= max) break;
      }
    }
  }
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const auto& [key, e] : merged) {
    if (all.size() >= max) break;
    all.push_back(clsrgw::ToJson(e));
  }
  c.out << DumpRawJson(all) << "\n";
  return 0;
}

int BucketList(Ctx& c) {
  if (!c.opt.bucket.empty()) return ListBucketEntries(c);
  if (!c.opt.uid.empty()) {
    auto uid = ParseUid(c.opt);
    if (!uid.ok()) return c.Fail("ERROR: ", uid.status());
    if (!c.svc.users().Get(*uid).ok()) {
      return c.Fail("could not get buckets for uid " + uid->ToString(), 2);
    }
    nlohmann::json names = nlohmann::json::array();
    std::string marker;
    bool truncated = true;
    while (truncated) {
      auto list = c.svc.users().ListBuckets(*uid, marker, 1000, &truncated);
      if (!list.ok()) {
        if (list.status().IsNotFound()) break;  // no .buckets object: owns nothing
        return c.Fail("ERROR: listing buckets: ", list.status());
      }
      for (const auto& e : *list) {
        names.push_back(e.bucket.name);
        marker = e.bucket.name;
      }
      if (list->empty()) break;
    }
    c.Print(names);
    return 0;
  }
  bool truncated = false;
  auto list = c.svc.buckets().List(c.opt.marker, c.opt.max_entries ? size_t(*c.opt.max_entries) : 0,
                                   &truncated);
  if (!list.ok()) return c.Fail("ERROR: listing buckets: ", list.status());
  c.Print(nlohmann::json(*list));
  return 0;
}

int BucketStats(Ctx& c) {
  if (c.opt.bucket.empty()) {
    // All buckets, as radosgw-admin does without --bucket.
    auto names = c.svc.buckets().List("", 0, nullptr);
    if (!names.ok()) return c.Fail("ERROR: listing buckets: ", names.status());
    nlohmann::json all = nlohmann::json::array();
    for (const auto& key : *names) {
      auto slash = key.find('/');
      auto b = slash == std::string::npos
                   ? c.svc.buckets().Get("", key)
                   : c.svc.buckets().Get(key.substr(0, slash), key.substr(slash + 1));
      if (!b.ok()) continue;
      auto st = c.svc.buckets().Stats(*b);
      if (st.ok()) all.push_back(StatsJson(c, *b, *st));
    }
    c.Print(all);
    return 0;
  }
  auto b = LoadBucket(c);
  if (!b.ok()) return FailBucket(c, b.status());
  auto st = c.svc.buckets().Stats(*b);
  if (!st.ok()) return c.Fail("ERROR: could not read bucket index: ", st.status());
  c.Print(StatsJson(c, *b, *st));
  return 0;
}

int BucketRm(Ctx& c) {
  auto b = LoadBucket(c);
  if (!b.ok()) return FailBucket(c, b.status());
  if (c.opt.purge_objects) {
    Status st = PurgeBucketObjects(c.svc, *b);
    if (!st.ok()) return c.Fail("ERROR: could not purge the objects of " + c.opt.bucket + ": ", st);
    // The index still lists the purged objects; remove the bucket regardless.
    st = c.svc.buckets().RemoveUnchecked(*b);
    if (!st.ok()) return c.Fail("ERROR: could not remove bucket " + c.opt.bucket + ": ", st);
    return 0;
  }
  Status st = c.svc.buckets().Remove(*b);
  if (st.Is(Code::kBucketNotEmpty)) {
    return c.Fail("ERROR: could not remove non-empty bucket " + c.opt.bucket, 39);
  }
  if (!st.ok()) return c.Fail("ERROR: could not remove bucket " + c.opt.bucket + ": ", st);
  return 0;
}

int BucketLink(Ctx& c) {
  auto uid = ParseUid(c.opt);
  if (!uid.ok() || uid->empty()) return c.Fail("ERROR: uid not specified", 22);
  auto user = c.svc.users().Get(*uid);
  if (!user.ok()) return c.Fail("failure: (2) No such file or directory", 2);
  auto b = LoadBucket(c);
  if (!b.ok()) return FailBucket(c, b.status());
  Status st = c.svc.buckets().Link(*b, *uid, user->info.display_name);
  if (!st.ok()) return c.Fail("failure: ", st);
  return 0;
}

int BiList(Ctx& c) {
  auto b = LoadBucket(c);
  if (!b.ok()) return FailBucket(c, b.status());
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  uint32_t n = std::max<uint32_t>(b->num_shards(), 1);
  for (uint32_t s = 0; s < n; ++s) {
    std::string marker;
    for (;;) {
      clsrgw::BiListOp call;
      call.max = 1000;
      call.marker = marker;
      if (!c.opt.object.empty()) call.name_filter = c.opt.object;
      std::string out;
      store::ReadOp op;
      op.Exec("rgw", "bi_list", EncodeToString(call), &out);
      Status st = c.svc.store().Operate(b->IndexShard(c.svc.zone(), s), op);
      if (!st.ok()) return c.Fail("ERROR: bi_list(): ", st);
      clsrgw::BiListRet ret;
      if (Status d = DecodeFromString(out, ret); !d.ok()) return c.Fail("ERROR: bi_list(): ", d);
      for (const auto& e : ret.entries) {
        auto j = clsrgw::BiEntryToJson(e);
        if (!j.ok()) return c.Fail("ERROR: bi_list(): ", j.status());
        all.push_back(*j);
        marker = e.idx;
      }
      if (!ret.is_truncated || ret.entries.empty()) break;
    }
  }
  // Index keys may hold raw 0x80 bytes; radosgw-admin writes them raw too.
  c.out << DumpRawJson(all) << "\n";
  return 0;
}

// `bucket scan --bucket B [--fix]` (bucket_scan.h). Exit 0 when clean (or
// everything found was fixed), 1 when problems remain.
int BucketScan(Ctx& c) {
  if (c.opt.bucket.empty()) return c.Fail("ERROR: bucket not specified", 22);
  auto b = LoadBucket(c);
  if (!b.ok()) {
    if (b.status().Is(Code::kNoSuchBucket)) {
      return c.Fail("ERROR: could not init bucket: (2) No such file or directory", 2);
    }
    return FailBucket(c, b.status());
  }
  ScanOptions opt;
  opt.fix = c.opt.fix;
  opt.min_age_seconds = c.opt.min_age_seconds;
  auto r = ScanBucket(c.svc, *b, opt);
  if (!r.ok()) return c.Fail("ERROR: bucket scan failed: ", r.status());
  c.out << DumpRawJson(r->report) << "\n";
  return r->unresolved ? 1 : 0;
}

int ObjectStat(Ctx& c) {
  if (c.opt.object.empty()) return c.Fail("ERROR: object not specified", 22);
  auto b = LoadBucket(c);
  if (!b.ok()) return FailBucket(c, b.status());
  rgw::Obj obj;
  obj.bucket = b->info.bucket;
  obj.key.name = c.opt.object;
  obj.key.instance = c.opt.object_version;
  auto id = HeadObjectId(c, *b, obj);
  if (!id.ok()) return c.Fail("ERROR: failed to stat object: ", id.status());
  store::ObjectStat stat;
  std::map<std::string, std::string> xattrs;
  store::ReadOp op;
  op.Stat(&stat).GetXattrs(&xattrs);
  Status st = c.svc.store().Operate(*id, op);
  if (st.IsNotFound()) {
    return c.Fail("ERROR: failed to stat object, returned error: (2) No such file or directory", 2);
  }
  if (!st.ok()) return c.Fail("ERROR: failed to stat object: ", st);
  // The S3 object's size: the manifest's when there is one (data in tails),
  // else the head's.
  uint64_t size = stat.size;
  std::optional<rgw::ObjManifest> manifest;
  if (auto m = xattrs.find("user.rgw.manifest"); m != xattrs.end()) {
    rgw::ObjManifest decoded;
    if (DecodeFromString(m->second, decoded).ok()) {
      size = decoded.obj_size;
      manifest = std::move(decoded);
    }
  }
  // radosgw-admin object stat: known attrs decoded in place, every other
  // attr printed as a C string (so up to its first NUL).
  nlohmann::ordered_json j;
  j["name"] = c.opt.object;
  j["size"] = size;
  nlohmann::ordered_json attrs = nlohmann::ordered_json::object();
  for (const auto& [name, val] : xattrs) {
    if (name == "user.rgw.acl") {
      rgw::AccessControlPolicy p;
      if (DecodeFromString(val, p).ok()) {
        j["policy"] = nlohmann::ordered_json::parse(rgw::ToJson(p).dump());
        continue;
      }
    } else if (name == "user.rgw.etag") {
      j["etag"] = std::string(val.c_str());
      continue;
    } else if (name == "user.rgw.idtag") {
      j["tag"] = std::string(val.c_str());
      continue;
    } else if (name == "user.rgw.delete_at") {
      CephTime t;
      if (DecodeFromString(val, t).ok()) {
        j["delete_at"] = rgw::FormatTime(t);
        continue;
      }
    } else if (name == "user.rgw.manifest" && manifest) {
      j["manifest"] = nlohmann::ordered_json::parse(rgw::ToJson(*manifest).dump());
      continue;
    }
    if (name.rfind("user.rgw.", 0) != 0) continue;  // radosgw reads only its own attrs
    attrs[name] = std::string(val.c_str());
  }
  j["attrs"] = attrs;
  c.out << DumpRawJson(j) << "\n";
  return 0;
}

}  // namespace kelp::admin
