#include "admin/bucket_scan.h"

#include <list>
#include <map>
#include <set>

#include "rgw/object/bucket_index.h"
#include "rgw/object/gc.h"
#include "rgw/object/layout.h"
#include "rgw/object/multipart.h"
#include "rgw/types/acl.h"
#include "rgw/types/manifest.h"
#include "rgw/types/multipart.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"

namespace kelp::admin {
namespace {

namespace clsrgw = store::cls::rgw;
using OJson = nlohmann::ordered_json;

// A RADOS object of the bucket in its data pool.
struct DataObj {
  store::ObjectId id;
  store::ObjectStat stat;
  rgw::ObjKey key;  // parsed from the oid without "<marker>_"
  bool parsed = false;
};

// What an index entry says about an object, for fixes.
struct EntryRef {
  clsrgw::DirEntry entry;
  store::ObjectId shard;
};

class Scanner {
 public:
  Scanner(rgw::Services& svc, const rgw::LoadedBucket& b, const ScanOptions& opt)
      : svc_(svc), b_(b), opt_(opt), now_(CephTime::Now()) {}

  Result<ScanResult> Run() {
    ASSIGN_OR_RETURN(auto placement, svc_.zone().Placement(b_.info.placement_rule.name));
    data_pool_ = b_.info.bucket.explicit_placement.data_pool;
    if (data_pool_.empty()) data_pool_ = placement.DataPool(b_.info.placement_rule.storage_class);
    extra_pool_ = b_.info.bucket.explicit_placement.data_extra_pool;
    if (extra_pool_.empty()) extra_pool_ = placement.data_extra_pool;
    prefix_ = b_.info.bucket.marker + "_";

    RETURN_IF_ERROR(ListDataObjects());
    uint32_t n = std::max<uint32_t>(b_.num_shards(), 1);
    for (uint32_t s = 0; s < n; ++s) RETURN_IF_ERROR(WalkShard(s));
    RETURN_IF_ERROR(FindOrphanHeads());
    RETURN_IF_ERROR(CollectUploadParts());
    RETURN_IF_ERROR(CollectGcChains());
    FindOrphanTails();
    if (opt_.fix) RETURN_IF_ERROR(Fix());

    ScanResult r;
    r.problems = !dangling_.empty() || !orphan_heads_.empty() || !orphan_tails_.empty() ||
                 !mismatched_.empty();
    r.unresolved = opt_.fix ? !not_fixed_.empty() : r.problems;
    OJson& j = r.report;
    j["bucket"] = b_.info.bucket.GetKey();
    j["checked_entries"] = checked_;
    j["dangling_entries"] = Array(dangling_);
    j["orphan_heads"] = Array(orphan_heads_);
    j["orphan_tails"] = Array(orphan_tails_);
    j["mismatched"] = Array(mismatched_);
    OJson fixed = OJson::object();
    if (opt_.fix) {
      fixed["removed_entries"] = Array(removed_entries_);
      fixed["updated_entries"] = Array(updated_entries_);
      fixed["relinked_heads"] = Array(relinked_);
      fixed["removed_tails"] = Array(removed_tails_);
      fixed["not_fixed"] = Array(not_fixed_);
    }
    j["fixed"] = fixed;
    return r;
  }

 private:
  static OJson Array(const std::vector<OJson>& v) {
    OJson a = OJson::array();
    for (const auto& x : v) a.push_back(x);
    return a;
  }

  // Every object of the data pool named "<marker>_...", with its stat.
  Status ListDataObjects() {
    std::string cursor, next;
    do {
      ASSIGN_OR_RETURN(auto list,
                       svc_.store().List(data_pool_.name, data_pool_.ns, cursor, 1000, &next));
      for (const auto& e : list) {
        if (e.oid.compare(0, prefix_.size(), prefix_) != 0) continue;
        DataObj o;
        o.id = store::ObjectId{data_pool_.name, e.ns, e.oid, e.locator};
        store::ReadOp op;
        op.Stat(&o.stat);
        Status st = svc_.store().Operate(o.id, op);
        if (st.IsNotFound()) continue;  // removed since listed
        RETURN_IF_ERROR(st);
        o.parsed = rgw::ObjKey::ParseRawOid(e.oid.substr(prefix_.size()), &o.key);
        data_[e.oid] = std::move(o);
      }
      cursor = next;
    } while (!cursor.empty());
    return Status::OK();
  }

  Status WalkShard(uint32_t shard) {
    store::ObjectId id = b_.IndexShard(svc_.zone(), shard);
    std::string after;
    bool more = true;
    while (more) {
      std::map<std::string, std::string> kv;
      store::ReadOp op;
      op.OmapGetVals(after, "", 1000, &kv, &more);
      Status st = svc_.store().Operate(id, op);
      if (st.IsNotFound()) return Status::OK();
      RETURN_IF_ERROR(st);
      if (kv.empty()) break;
      for (const auto& [key, val] : kv) {
        after = key;
        auto type = clsrgw::IndexTypeOfKey(key);
        if (type == clsrgw::kBiOlh) {
          clsrgw::OlhEntry e;
          if (DecodeFromString(val, e).ok()) {
            rgw::Obj olh{b_.info.bucket, rgw::ObjKey{e.key.name, "", ""}};
            referenced_heads_.insert(olh.GetOid());
          }
          continue;
        }
        if (type != clsrgw::kBiPlain) continue;
        clsrgw::DirEntry e;
        if (!DecodeFromString(val, e).ok()) {
          OJson m;
          m["name"] = key;
          m["instance"] = "";
          m["problem"] = "undecodable_index_entry";
          m["shard"] = shard;
          mismatched_.push_back(m);
          not_fixable_.insert(mismatched_.size() - 1);
          continue;
        }
        // Placeholders of versioned keys, delete markers and entries whose
        // first write is still pending have no head to check.
        if (e.flags & clsrgw::DirEntry::kFlagVerMarker) continue;
        if (!e.exists && !e.pending_map.empty()) {
          // A write in flight (prepared, head maybe written, not completed):
          // its head is not an orphan.
          rgw::Obj obj{b_.info.bucket, {}};
          if (!rgw::ObjKey::ParseRawOid(e.key.name, &obj.key)) obj.key.name = e.key.name;
          obj.key.instance = e.key.instance;
          referenced_heads_.insert(obj.GetOid());
        }
        if (!e.exists || e.IsDeleteMarker()) continue;
        ++checked_;
        CheckEntry(EntryRef{std::move(e), id}, shard);
      }
    }
    return Status::OK();
  }

  OJson Named(const clsrgw::DirEntry& e) {
    OJson j;
    j["name"] = e.key.name;
    j["instance"] = e.key.instance;
    return j;
  }

  void AddDangling(const EntryRef& ref, uint32_t shard, const store::ObjectId& head) {
    OJson j = Named(ref.entry);
    j["shard"] = shard;
    j["oid"] = head.oid;
    j["size"] = ref.entry.meta.size;
    j["etag"] = ref.entry.meta.etag;
    dangling_.push_back(j);
    dangling_refs_.push_back(ref);
  }

  void CheckEntry(EntryRef ref, uint32_t shard) {
    const clsrgw::DirEntry& e = ref.entry;
    rgw::Obj obj;
    obj.bucket = b_.info.bucket;
    if (!rgw::ObjKey::ParseRawOid(e.key.name, &obj.key)) obj.key.name = e.key.name;
    obj.key.instance = e.key.instance;
    if (obj.key.ns == rgw::kObjNsMultipart) {
      const std::string& n = obj.key.name;
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".meta") == 0) {
        // An unfinished upload: its meta object lives in the extra pool.
        store::ObjectId meta = rgw::ZoneService::Id(extra_pool_, obj.GetOid(), obj.GetLocator());
        store::ObjectStat st;
        store::ReadOp op;
        op.Stat(&st);
        if (svc_.store().Operate(meta, op).IsNotFound()) AddDangling(ref, shard, meta);
        return;
      }
      // A part of an unfinished upload (radosgw indexes part heads until
      // the upload completes): its first stripe in the data pool.
      std::string oid = obj.GetOid();
      referenced_tails_.insert(oid);
      if (!data_.count(oid)) {
        AddDangling(ref, shard, rgw::ZoneService::Id(data_pool_, oid, obj.GetLocator()));
      }
      return;
    }
    if (!obj.key.ns.empty()) return;  // no other namespace is listed by radosgw
    std::string oid = obj.GetOid();
    referenced_heads_.insert(oid);
    auto it = data_.find(oid);
    store::ObjectId head_id = rgw::ZoneService::Id(data_pool_, oid, obj.GetLocator());
    if (it == data_.end()) {
      AddDangling(ref, shard, head_id);
      return;
    }
    auto head = ReadHead(it->second.id);
    if (!head.ok()) {
      if (head.status().IsNotFound()) AddDangling(ref, shard, head_id);
      return;
    }
    CheckHead(e, *head, it->second.stat, &ref);
  }

  struct Head {
    std::map<std::string, std::string> attrs;
    std::optional<rgw::ObjManifest> manifest;
    bool bad_manifest = false;
    uint64_t size = 0;  // of the S3 object
    std::string etag;
  };

  Result<Head> ReadHead(const store::ObjectId& id) {
    Head h;
    store::ObjectStat st;
    store::ReadOp op;
    op.Stat(&st).GetXattrs(&h.attrs);
    RETURN_IF_ERROR(svc_.store().Operate(id, op));
    h.size = st.size;
    if (auto m = h.attrs.find(rgw::kAttrManifest); m != h.attrs.end()) {
      rgw::ObjManifest decoded;
      if (DecodeFromString(m->second, decoded).ok()) {
        h.size = decoded.obj_size;
        h.manifest = std::move(decoded);
      } else {
        h.bad_manifest = true;
      }
    }
    if (auto t = h.attrs.find(rgw::kAttrEtag); t != h.attrs.end())
      h.etag = rgw::StripNul(t->second);
    return h;
  }

  // The RADOS object of a manifest stripe (tails may use another placement).
  store::ObjectId StripeId(const rgw::ObjManifest& m, const rgw::ManifestStripe& s) {
    rgw::Pool pool = data_pool_;
    const rgw::PlacementRule& rule =
        s.placement_rule.empty() ? m.tail_placement.placement_rule : s.placement_rule;
    if (!rule.empty() && !(rule == b_.info.placement_rule)) {
      auto p = svc_.zone().Placement(rule.name);
      if (p.ok()) pool = p->DataPool(rule.storage_class);
    }
    return rgw::ZoneService::Id(pool, s.obj.GetOid(), s.obj.GetLocator());
  }

  // Head vs index entry and manifest vs tails. `ref` null for orphan heads
  // (whose tails only count as referenced).
  void CheckHead(const clsrgw::DirEntry& e, const Head& h, const store::ObjectStat& head_stat,
                 EntryRef* ref) {
    auto problem = [&](const std::string& what) {
      OJson j = Named(e);
      j["problem"] = what;
      return j;
    };
    if (h.bad_manifest) {
      mismatched_.push_back(problem("bad_manifest"));
      not_fixable_.insert(mismatched_.size() - 1);
    }
    if (h.manifest) {
      for (const auto& s : h.manifest->Stripes()) {
        if (s.is_head) {
          if (head_stat.size < s.loc_ofs + s.size) {
            OJson j = problem("short_head");
            j["expected_size"] = s.loc_ofs + s.size;
            j["size"] = head_stat.size;
            mismatched_.push_back(j);
            not_fixable_.insert(mismatched_.size() - 1);
          }
          continue;
        }
        store::ObjectId tid = StripeId(*h.manifest, s);
        referenced_tails_.insert(tid.oid);
        uint64_t need = s.loc_ofs + s.size;
        std::optional<uint64_t> have;
        if (auto d = data_.find(tid.oid); d != data_.end() && tid.pool == data_pool_.name) {
          have = d->second.stat.size;
        } else {
          store::ObjectStat st;
          store::ReadOp op;
          op.Stat(&st);
          if (svc_.store().Operate(tid, op).ok()) have = st.size;
        }
        if (!have || *have < need) {
          OJson j = problem(have ? "short_tail" : "missing_tail");
          j["oid"] = tid.oid;
          j["expected_size"] = need;
          if (have) j["size"] = *have;
          mismatched_.push_back(j);
          not_fixable_.insert(mismatched_.size() - 1);
        }
      }
    }
    if (!ref) return;
    bool size_ok = e.meta.size == h.size;
    bool etag_ok = e.meta.etag == h.etag;
    if (!size_ok || !etag_ok) {
      OJson j = problem(!size_ok ? "index_size" : "index_etag");
      j["index"] = {{"size", e.meta.size}, {"etag", e.meta.etag}};
      j["head"] = {{"size", h.size}, {"etag", h.etag}};
      mismatched_.push_back(j);
      updates_[mismatched_.size() - 1] = {*ref, h.size, h.etag};
    }
  }

  // Heads (oids in no namespace) that no index entry or OLH names.
  Status FindOrphanHeads() {
    for (const auto& [oid, o] : data_) {
      if (!o.parsed || !o.key.ns.empty() || referenced_heads_.count(oid)) continue;
      auto h = ReadHead(o.id);
      if (h.status().IsNotFound()) continue;
      RETURN_IF_ERROR(h.status());
      clsrgw::DirEntry e;
      e.key.name = o.key.GetIndexKeyName();
      e.key.instance = o.key.instance;
      CheckHead(e, *h, o.stat, nullptr);  // its tails are its own, not orphans
      OJson j;
      j["oid"] = oid;
      j["name"] = o.key.name;
      j["instance"] = o.key.instance;
      j["size"] = h->size;
      j["etag"] = h->etag;
      j["mtime"] = rgw::FormatTime(o.stat.mtime);
      orphan_heads_.push_back(j);
      orphan_head_objs_.push_back({&o, std::move(*h)});
    }
    return Status::OK();
  }

  // Parts of unfinished multipart uploads, named by the part manifests in
  // the omap of "<marker>__multipart_<key>.<upload>.meta" (extra pool).
  Status CollectUploadParts() {
    const std::string meta_prefix = prefix_ + "_" + rgw::kObjNsMultipart + "_";
    std::string cursor, next;
    do {
      ASSIGN_OR_RETURN(auto list,
                       svc_.store().List(extra_pool_.name, extra_pool_.ns, cursor, 1000, &next));
      for (const auto& e : list) {
        if (e.oid.compare(0, meta_prefix.size(), meta_prefix) != 0) continue;
        if (e.oid.size() < 5 || e.oid.compare(e.oid.size() - 5, 5, ".meta") != 0) continue;
        RETURN_IF_ERROR(CollectParts(store::ObjectId{extra_pool_.name, e.ns, e.oid, e.locator}));
      }
      cursor = next;
    } while (!cursor.empty());
    return Status::OK();
  }

  Status CollectParts(const store::ObjectId& meta) {
    Status st = rgw::ForEachUploadPart(svc_.store(), meta, /*skip_undecodable=*/true,
                                       [&](rgw::UploadPartInfo& part) {
                                         for (const auto& s : part.manifest.Stripes()) {
                                           referenced_tails_.insert(
                                               StripeId(part.manifest, s).oid);
                                         }
                                         return Status::OK();
                                       });
    return st.IsNotFound() ? Status::OK() : st;
  }

  // Tails of overwritten/deleted objects wait in the gc queue (radosgw's and
  // ours): they belong to gc, not orphans, and --fix must not remove them.
  Status CollectGcChains() {
    ASSIGN_OR_RETURN(auto entries, rgw::GcQueue(svc_).List(/*expired_only=*/false));
    for (const auto& e : entries) {
      for (const auto& obj : e.chain) gc_tails_.insert(obj.key.name);
    }
    return Status::OK();
  }

  void FindOrphanTails() {
    for (const auto& [oid, o] : data_) {
      if (o.parsed && o.key.ns.empty()) continue;  // heads
      if (referenced_tails_.count(oid) || gc_tails_.count(oid)) continue;
      OJson j;
      j["oid"] = oid;
      j["size"] = o.stat.size;
      j["mtime"] = rgw::FormatTime(o.stat.mtime);
      orphan_tails_.push_back(j);
      orphan_tail_objs_.push_back(&o);
    }
  }

  bool OldEnough(const store::ObjectStat& st) const {
    return int64_t(now_.sec) - int64_t(st.mtime.sec) >= opt_.min_age_seconds;
  }

  void NotFixed(const std::string& what, const std::string& name, const std::string& reason) {
    OJson j;
    j["what"] = what;
    j["name"] = name;
    j["reason"] = reason;
    not_fixed_.push_back(j);
  }

  Status Suggest(const store::ObjectId& shard, uint8_t op, const clsrgw::DirEntry& entry) {
    clsrgw::SuggestedChange change;
    change.op = op;
    change.entry = entry;
    store::WriteOp w;
    w.Exec("rgw", "dir_suggest_changes", clsrgw::EncodeSuggestedChanges({change}));
    return svc_.store().Operate(shard, w);
  }

  // Reads the entry back to learn whether the suggestion applied (cls skips
  // entries with ops pending).
  Result<std::optional<clsrgw::DirEntry>> ReadEntry(const store::ObjectId& shard,
                                                    const clsrgw::ObjKey& key) {
    std::map<std::string, std::string> kv;
    store::ReadOp op;
    std::string k = clsrgw::ObjIndexKey(key);
    op.OmapGetValsByKeys({k}, &kv);
    RETURN_IF_ERROR(svc_.store().Operate(shard, op));
    auto it = kv.find(k);
    if (it == kv.end()) return std::optional<clsrgw::DirEntry>();
    clsrgw::DirEntry e;
    RETURN_IF_ERROR(DecodeFromString(it->second, e));
    return std::optional<clsrgw::DirEntry>(std::move(e));
  }

  Status Fix() {
    for (const auto& ref : dangling_refs_) {
      const auto& e = ref.entry;
      if (!e.key.instance.empty()) {
        NotFixed("dangling_entry", e.key.name, "entries of object versions are not repaired");
        continue;
      }
      RETURN_IF_ERROR(Suggest(ref.shard, clsrgw::kSuggestRemove, e));
      ASSIGN_OR_RETURN(auto now, ReadEntry(ref.shard, e.key));
      if (now) {
        NotFixed("dangling_entry", e.key.name, "an operation is pending on the entry");
        continue;
      }
      removed_entries_.push_back(e.key.name);
    }
    for (size_t i = 0; i < mismatched_.size(); ++i) {
      auto u = updates_.find(i);
      if (u == updates_.end()) {
        if (not_fixable_.count(i)) {
          std::string name = mismatched_[i]["name"];
          std::string problem = mismatched_[i]["problem"];
          NotFixed(problem, name, "object data is missing or unreadable; restore or remove it");
        }
        continue;
      }
      const Update& up = u->second;
      clsrgw::DirEntry e = up.ref.entry;
      e.meta.size = up.size;
      e.meta.accounted_size = up.size;
      e.meta.etag = up.etag;
      e.pending_map.clear();
      RETURN_IF_ERROR(Suggest(up.ref.shard, clsrgw::kSuggestUpdate, e));
      ASSIGN_OR_RETURN(auto now, ReadEntry(up.ref.shard, e.key));
      if (!now || now->meta.size != up.size || now->meta.etag != up.etag) {
        NotFixed("mismatched_entry", e.key.name, "an operation is pending on the entry");
        continue;
      }
      updated_entries_.push_back(e.key.name);
    }
    for (auto& [obj, head] : orphan_head_objs_) {
      const std::string& oid = obj->id.oid;
      if (!obj->key.instance.empty() || head.attrs.count(rgw::kAttrOlhInfo)) {
        NotFixed("orphan_head", oid, "heads of object versions are not relinked");
      } else if (head.bad_manifest) {
        NotFixed("orphan_head", oid, "its manifest does not decode");
      } else if (!OldEnough(obj->stat)) {
        NotFixed("orphan_head", oid, "younger than --min-age-seconds (a write may be in flight)");
      } else {
        RETURN_IF_ERROR(Relink(*obj, head));
        relinked_.push_back(obj->key.name);
      }
    }
    for (const DataObj* t : orphan_tail_objs_) {
      if (!OldEnough(t->stat)) {
        NotFixed("orphan_tail", t->id.oid,
                 "younger than --min-age-seconds (a write may be in flight)");
        continue;
      }
      store::WriteOp w;
      w.Remove(/*failok=*/true);
      RETURN_IF_ERROR(svc_.store().Operate(t->id, w));
      removed_tails_.push_back(t->id.oid);
    }
    return Status::OK();
  }

  // Links an orphan head into the index the way a write does: prepare, then
  // complete(ADD) with the head's version and metadata, so the shard's stats
  // account for it.
  Status Relink(const DataObj& obj, const Head& head) {
    rgw::BucketIndex index(svc_.store(), svc_.zone(), b_);
    clsrgw::ObjKey ikey(obj.key.GetIndexKeyName(), obj.key.instance);
    std::string tag;
    if (auto t = head.attrs.find(rgw::kAttrIdTag); t != head.attrs.end()) {
      tag = rgw::StripNul(t->second);
    }
    if (tag.empty()) tag = "_" + rgw::RandomTagChars(32);
    std::string locator = obj.key.GetLoc();
    clsrgw::DirEntryMeta meta;
    meta.category = clsrgw::kCategoryMain;
    meta.size = head.size;
    meta.accounted_size = head.size;
    meta.mtime = obj.stat.mtime;
    meta.etag = head.etag;
    if (auto a = head.attrs.find(rgw::kAttrAcl); a != head.attrs.end()) {
      rgw::AccessControlPolicy acl;
      if (DecodeFromString(a->second, acl).ok()) {
        meta.owner = acl.owner.id.ToString();
        meta.owner_display_name = acl.owner.display_name;
      }
    }
    if (auto ct = head.attrs.find(rgw::kAttrContentType); ct != head.attrs.end()) {
      meta.content_type = rgw::StripNul(ct->second);
    }
    RETURN_IF_ERROR(index.Prepare(ikey, obj.key.name, clsrgw::kOpAdd, tag, locator));
    return index.Complete(ikey, obj.key.name, clsrgw::kOpAdd, tag,
                          index.EntryVer(obj.id, obj.stat.version), meta, locator, {});
  }

  struct Update {
    EntryRef ref;
    uint64_t size;
    std::string etag;
  };

  rgw::Services& svc_;
  const rgw::LoadedBucket& b_;
  const ScanOptions& opt_;
  const CephTime now_;
  rgw::Pool data_pool_, extra_pool_;
  std::string prefix_;

  std::map<std::string, DataObj> data_;  // by oid
  std::set<std::string> referenced_heads_;
  std::set<std::string> referenced_tails_;
  uint64_t checked_ = 0;

  std::vector<OJson> dangling_, orphan_heads_, orphan_tails_, mismatched_;
  std::set<std::string> gc_tails_;  // raw oids named by gc entries
  std::vector<EntryRef> dangling_refs_;
  std::vector<std::pair<const DataObj*, Head>> orphan_head_objs_;
  std::vector<const DataObj*> orphan_tail_objs_;
  std::map<size_t, Update> updates_;  // mismatched_ index -> repair
  std::set<size_t> not_fixable_;      // mismatched_ indexes

  std::vector<OJson> removed_entries_, updated_entries_, relinked_, removed_tails_, not_fixed_;
};

}  // namespace

Result<ScanResult> ScanBucket(rgw::Services& services, const rgw::LoadedBucket& bucket,
                              const ScanOptions& options) {
  return Scanner(services, bucket, options).Run();
}

}  // namespace kelp::admin
