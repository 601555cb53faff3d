#include "admin/purge.h"

#include "rgw/object/multipart.h"
#include "rgw/types/manifest.h"
#include "rgw/types/multipart.h"
#include "store/cls/refcount/types.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/types.h"

namespace kelp::admin {
namespace {

namespace clsrgw = store::cls::rgw;

class Purger {
 public:
  Purger(rgw::Services& svc, const rgw::LoadedBucket& b) : svc_(svc), b_(b) {}

  Status Run() {
    ASSIGN_OR_RETURN(auto placement, svc_.zone().Placement(b_.info.placement_rule.name));
    data_pool_ = b_.info.bucket.explicit_placement.data_pool;
    if (data_pool_.empty()) data_pool_ = placement.DataPool(b_.info.placement_rule.storage_class);
    extra_pool_ = b_.info.bucket.explicit_placement.data_extra_pool;
    if (extra_pool_.empty()) extra_pool_ = placement.data_extra_pool;
    uint32_t n = std::max<uint32_t>(b_.num_shards(), 1);
    for (uint32_t s = 0; s < n; ++s) RETURN_IF_ERROR(PurgeShard(b_.IndexShard(svc_.zone(), s)));
    return Status::OK();
  }

 private:
  Status PurgeShard(const store::ObjectId& shard) {
    std::string after;
    bool more = true;
    while (more) {
      std::map<std::string, std::string> kv;
      store::ReadOp op;
      op.OmapGetVals(after, "", 1000, &kv, &more);
      Status st = svc_.store().Operate(shard, op);
      if (st.IsNotFound()) return Status::OK();
      RETURN_IF_ERROR(st);
      if (kv.empty()) break;
      for (const auto& [key, val] : kv) {
        after = key;
        RETURN_IF_ERROR(PurgeEntry(key, val));
      }
    }
    return Status::OK();
  }

  Status PurgeEntry(const std::string& key, const std::string& val) {
    rgw::Obj obj;
    obj.bucket = b_.info.bucket;
    switch (clsrgw::IndexTypeOfKey(key)) {
      case clsrgw::kBiPlain: {
        clsrgw::DirEntry e;
        if (!DecodeFromString(val, e).ok() || !e.exists) return Status::OK();
        if (!rgw::ObjKey::ParseRawOid(e.key.name, &obj.key)) return Status::OK();
        obj.key.instance = e.key.instance;
        if (obj.key.ns == rgw::kObjNsMultipart && obj.key.name.size() > 5 &&
            obj.key.name.compare(obj.key.name.size() - 5, 5, ".meta") == 0) {
          return PurgeUpload(rgw::ZoneService::Id(extra_pool_, obj.GetOid(), obj.GetLocator()));
        }
        return PurgeHead(obj);
      }
      case clsrgw::kBiOlh: {
        clsrgw::OlhEntry e;
        if (!DecodeFromString(val, e).ok()) return Status::OK();
        obj.key.name = e.key.name;  // the OLH is the plain-named object
        return PurgeHead(obj);
      }
      default:  // instance entries duplicate the versioned list entries
        return Status::OK();
    }
  }

  Status PurgeHead(const rgw::Obj& obj) {
    store::ObjectId head = rgw::ZoneService::Id(data_pool_, obj.GetOid(), obj.GetLocator());
    std::map<std::string, std::string> xattrs;
    store::ReadOp op;
    op.GetXattrs(&xattrs);
    Status st = svc_.store().Operate(head, op);
    if (st.IsNotFound()) return Status::OK();
    RETURN_IF_ERROR(st);
    auto m = xattrs.find("user.rgw.manifest");
    if (m != xattrs.end()) {
      rgw::ObjManifest manifest;
      if (DecodeFromString(m->second, manifest).ok()) {
        // radosgw's gc puts the tail tag as stored, trailing NUL included
        // (the golden refcount xattrs hold the copy's tag that way).
        std::string tag = xattrs.count("user.rgw.tail_tag") ? xattrs["user.rgw.tail_tag"]
                          : xattrs.count("user.rgw.idtag")  ? xattrs["user.rgw.idtag"]
                                                            : "";
        for (const auto& stripe : manifest.Stripes()) {
          if (stripe.is_head) continue;
          RETURN_IF_ERROR(ReleaseTail(
              rgw::ZoneService::Id(data_pool_, stripe.obj.GetOid(), stripe.obj.GetLocator()), tag));
        }
      }
    }
    return RemoveObject(head);
  }

  // A pending multipart upload: every part's objects (named by the part
  // manifests in the meta object's omap), then the meta object.
  Status PurgeUpload(const store::ObjectId& meta) {
    Status st = rgw::ForEachUploadPart(
        svc_.store(), meta, /*skip_undecodable=*/true, [&](rgw::UploadPartInfo& part) {
          for (const auto& stripe : part.manifest.Stripes()) {
            RETURN_IF_ERROR(RemoveObject(
                rgw::ZoneService::Id(data_pool_, stripe.obj.GetOid(), stripe.obj.GetLocator())));
          }
          return Status::OK();
        });
    if (st.IsNotFound()) return Status::OK();
    RETURN_IF_ERROR(st);
    return RemoveObject(meta);
  }

  // gc's cls_refcount_put(tag, implicit_ref=true): the object goes away with
  // its last reference, so tails shared with a copy survive.
  Status ReleaseTail(const store::ObjectId& id, const std::string& tag) {
    store::cls::refcount::PutOp put;
    put.tag = tag;
    put.implicit_ref = true;
    store::WriteOp op;
    op.Exec("refcount", "put", EncodeToString(put));
    Status st = svc_.store().Operate(id, op);
    return st.IsNotFound() ? Status::OK() : st;
  }

  Status RemoveObject(const store::ObjectId& id) {
    store::WriteOp op;
    op.Remove(/*failok=*/true);
    return svc_.store().Operate(id, op);
  }

  rgw::Services& svc_;
  const rgw::LoadedBucket& b_;
  rgw::Pool data_pool_;
  rgw::Pool extra_pool_;
};

}  // namespace

Status PurgeBucketObjects(rgw::Services& svc, const rgw::LoadedBucket& bucket) {
  return Purger(svc, bucket).Run();
}

}  // namespace kelp::admin
