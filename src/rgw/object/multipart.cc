#include "rgw/object/multipart.h"

#include <cstdio>
#include <set>

#include "rgw/meta/zone_service.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/gc.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_reader.h"
#include "rgw/services.h"
#include "store/cls/lock/types.h"

namespace kelp::rgw {

namespace cr = store::cls::rgw;

namespace {
std::string PartKey(uint32_t num) {
  char buf[32];
  snprintf(buf, sizeof buf, "part.%08u", num);
  return buf;
}
Status NoSuchUpload() {
  return Status(Code::kNoSuchUpload,
                "The specified upload does not exist. The upload ID may be invalid, or the upload "
                "may have been aborted or completed.");
}
// Index key of a multipart namespace entry ("_multipart_<name>").
cr::ObjKey NsIndexKey(const std::string& name) {
  ObjKey k;
  k.name = name;
  k.ns = "multipart";
  return cr::ObjKey(k.GetIndexKeyName());
}
}  // namespace

Obj Multipart::MetaObj(const std::string& key, const std::string& upload_id) const {
  Obj o;
  o.bucket = bucket_.info.bucket;
  o.key.name = key + "." + upload_id + ".meta";
  o.key.ns = "multipart";
  return o;
}

store::ObjectId Multipart::MetaId(const std::string& key, const std::string& upload_id) const {
  auto placement = services_.zone().Placement(bucket_.info.placement_rule.name);
  Pool pool = placement.ok() ? placement->data_extra_pool : Pool{"default.rgw.buckets.non-ec", ""};
  Obj o = MetaObj(key, upload_id);
  return store::ObjectId{pool.name, pool.ns, o.GetOid(), o.GetLocator()};
}

Result<std::string> Multipart::Init(const std::string& key,
                                    const std::map<std::string, std::string>& attrs,
                                    const std::string& owner,
                                    const std::string& owner_display_name) {
  auto& store = services_.store();
  const std::string upload_id = "2~" + RandomTagChars(32);
  store::ObjectId id = MetaId(key, upload_id);
  MultipartUploadInfo info;
  info.dest_placement = bucket_.info.placement_rule;
  std::string data = EncodeToString(info);

  BucketIndex index(store, services_.zone(), bucket_);
  cr::ObjKey ikey = NsIndexKey(key + "." + upload_id + ".meta");
  const std::string tag = "_" + RandomTagChars(32);
  RETURN_IF_ERROR(index.Prepare(ikey, key, cr::kOpAdd, tag, ""));
  CephTime mtime = CephTime::Now();
  store::WriteOp op;
  op.Create(true);
  op.SetMtime(mtime);
  op.WriteFull(data);
  for (const auto& [k, v] : attrs) {
    if (!v.empty()) op.SetXattr(k, v);
  }
  uint64_t version = 0;
  Status st = store.Operate(id, op, &version);
  if (!st.ok()) {
    (void)index.Cancel(ikey, key, tag);
    return st.Annotate("writing multipart meta object");
  }
  cr::DirEntryMeta meta;
  meta.category = cr::kCategoryMultiMeta;
  meta.size = data.size();
  meta.mtime = mtime;
  meta.owner = owner;
  meta.owner_display_name = owner_display_name;
  RETURN_IF_ERROR(
      index.Complete(ikey, key, cr::kOpAdd, tag, index.EntryVer(id, version), meta, "", {}));
  return upload_id;
}

Result<UploadMeta> Multipart::GetUpload(const std::string& key, const std::string& upload_id) {
  if (upload_id.empty() || upload_id.find('/') != std::string::npos) return NoSuchUpload();
  UploadMeta u;
  u.key = key;
  u.upload_id = upload_id;
  store::ObjectStat stat;
  store::ReadOp op;
  op.Stat(&stat);
  op.GetXattrs(&u.attrs);
  Status st = services_.store().Operate(MetaId(key, upload_id), op);
  if (st.IsNotFound()) return NoSuchUpload();
  if (!st.ok()) return st;
  u.initiated = stat.mtime;
  // Owner from the stored ACL.
  auto it = u.attrs.find(kAttrAcl);
  if (it != u.attrs.end()) {
    AccessControlPolicy acl;
    if (DecodeFromString(it->second, acl).ok()) {
      u.owner = acl.owner.id.ToString();
      u.owner_display_name = acl.owner.display_name;
    }
  }
  return u;
}

Result<std::unique_ptr<ObjectWriter>> Multipart::PartWriter(const UploadMeta& upload,
                                                            uint32_t num) {
  WriteSpec spec;
  spec.key.name = upload.key + "." + upload.upload_id + "." + std::to_string(num);
  spec.key.ns = "multipart";
  spec.hash_name = upload.key;
  spec.part_prefix = upload.key + "." + upload.upload_id;
  spec.part_num = num;
  spec.owner = upload.owner;
  spec.owner_display_name = upload.owner_display_name;
  return std::make_unique<ObjectWriter>(services_, bucket_, std::move(spec));
}

Result<CommitResult> Multipart::CommitPart(const UploadMeta& upload, uint32_t num,
                                           ObjectWriter& writer,
                                           std::map<std::string, std::string> attrs) {
  // The part this one replaces, if any: its objects are released after the
  // switch (radosgw hands them to gc).
  std::map<std::string, std::string> old_vals;
  {
    store::ReadOp rop;
    rop.OmapGetValsByKeys({PartKey(num)}, &old_vals);
    Status st = services_.store().Operate(MetaId(upload.key, upload.upload_id), rop);
    if (st.IsNotFound()) return NoSuchUpload();
    if (!st.ok()) return st;
  }
  ASSIGN_OR_RETURN(CommitResult res, writer.Commit(std::move(attrs)));
  UploadPartInfo info;
  info.num = num;
  info.size = res.size;
  info.accounted_size = res.size;
  info.etag = res.etag;
  info.modified = res.mtime;
  info.manifest = res.manifest;
  store::WriteOp op;
  op.AssertExists();
  op.OmapSet(PartKey(num), EncodeToString(info));
  Status st = services_.store().Operate(MetaId(upload.key, upload.upload_id), op);
  if (st.IsNotFound()) return NoSuchUpload();
  if (!st.ok()) return st;
  auto old = old_vals.find(PartKey(num));
  if (old != old_vals.end()) {
    UploadPartInfo prev;
    if (DecodeFromString(old->second, prev).ok()) {
      std::set<std::string> keep;
      for (const auto& s : res.manifest.Stripes()) keep.insert(s.obj.GetOid());
      RemoveTails(services_, prev.manifest, "", keep);
    }
  }
  return res;
}

Status ForEachUploadPart(store::ObjectStore& store, const store::ObjectId& meta,
                         bool skip_undecodable,
                         const std::function<Status(UploadPartInfo&)>& fn) {
  std::string after;
  while (true) {
    std::map<std::string, std::string> vals;
    bool more = false;
    store::ReadOp op;
    op.OmapGetVals(after, "part.", 1000, &vals, &more);
    RETURN_IF_ERROR(store.Operate(meta, op));
    for (auto& [k, v] : vals) {
      after = k;
      UploadPartInfo info;
      Status ds = DecodeFromString(v, info);
      if (!ds.ok()) {
        if (skip_undecodable) continue;
        return ds.Annotate("decoding " + k);
      }
      RETURN_IF_ERROR(fn(info));
    }
    if (!more || vals.empty()) return Status::OK();
  }
}

Result<std::map<uint32_t, UploadPartInfo>> Multipart::ListParts(const UploadMeta& upload) {
  std::map<uint32_t, UploadPartInfo> parts;
  Status st = ForEachUploadPart(services_.store(), MetaId(upload.key, upload.upload_id),
                                /*skip_undecodable=*/false, [&](UploadPartInfo& info) {
                                  uint32_t num = info.num;
                                  parts[num] = std::move(info);
                                  return Status::OK();
                                });
  if (st.IsNotFound()) return NoSuchUpload();
  if (!st.ok()) return st;
  return parts;
}

Result<CommitResult> Multipart::Complete(const UploadMeta& upload,
                                         const std::vector<PartSpec>& parts,
                                         const std::string& instance) {
  if (parts.empty()) {
    return Status(Code::kMalformedXML, "You must specify at least one part");
  }
  // radosgw serialises completions with an exclusive cls_lock on the meta
  // object; a retried or concurrent Complete waits its turn or fails.
  const std::string cookie = RandomTagChars(16);
  {
    store::cls::lock::LockOp lk;
    lk.name = "RGWCompleteMultipart";
    lk.type = store::cls::lock::kLockExclusive;
    lk.cookie = cookie;
    lk.duration = CephTime{600, 0};
    store::WriteOp op;
    op.AssertExists();
    op.Exec("lock", "lock", EncodeToString(lk));
    Status st = services_.store().Operate(MetaId(upload.key, upload.upload_id), op);
    if (st.IsNotFound()) return NoSuchUpload();
    if (st.code() == Code::kBusy || st.IsExists()) {
      return Status(Code::kServiceUnavailable, "another CompleteMultipartUpload is in progress");
    }
    if (!st.ok()) return st.Annotate("locking multipart upload");
  }
  auto unlock = [&] {
    store::cls::lock::UnlockOp ul;
    ul.name = "RGWCompleteMultipart";
    ul.cookie = cookie;
    store::WriteOp op;
    op.Exec("lock", "unlock", EncodeToString(ul));
    (void)services_.store().Operate(MetaId(upload.key, upload.upload_id), op);
  };
  auto res = CompleteLocked(upload, parts, instance);
  if (!res.ok()) unlock();
  return res;
}

Result<CommitResult> Multipart::CompleteLocked(const UploadMeta& upload,
                                               const std::vector<PartSpec>& parts,
                                               const std::string& instance) {
  ASSIGN_OR_RETURN(auto stored, ListParts(upload));
  Hasher etag_md5(Hasher::Kind::kMd5);
  ObjManifest manifest;
  bool first = true;
  uint32_t prev = 0;
  std::set<uint32_t> used;
  for (size_t i = 0; i < parts.size(); ++i) {
    const PartSpec& p = parts[i];
    if (i > 0 && p.num <= prev) {
      return Status(Code::kInvalidPartOrder,
                    "The list of parts was not in ascending order. Parts must be ordered by part "
                    "number.");
    }
    prev = p.num;
    auto it = stored.find(p.num);
    if (it == stored.end() || it->second.etag != p.etag) {
      return Status(Code::kInvalidPart,
                    "One or more of the specified parts could not be found. The part may not have "
                    "been uploaded, or the specified entity tag may not match the part's entity "
                    "tag.");
    }
    if (i + 1 < parts.size() && it->second.accounted_size < kMinPartSize) {
      return Status(Code::kEntityTooSmall,
                    "Your proposed upload is smaller than the minimum allowed object size.");
    }
    std::string raw;
    HexDecode(it->second.etag, &raw);
    etag_md5.Update(raw);
    if (first) {
      manifest = it->second.manifest;
      first = false;
    } else {
      RETURN_IF_ERROR(manifest.Append(it->second.manifest));
    }
    used.insert(p.num);
  }
  const std::string etag = HexEncode(etag_md5.Finish()) + "-" + std::to_string(parts.size());

  std::list<cr::ObjKey> remove_objs;
  for (const auto& [num, info] : stored) {
    remove_objs.push_back(NsIndexKey(upload.key + "." + upload.upload_id + "." +
                                     std::to_string(num)));
  }
  remove_objs.push_back(NsIndexKey(upload.key + "." + upload.upload_id + ".meta"));

  WriteSpec spec;
  spec.key.name = upload.key;
  spec.key.instance = instance;
  spec.hash_name = upload.key;
  spec.owner = upload.owner;
  spec.owner_display_name = upload.owner_display_name;
  spec.content_type = StripNul(upload.attrs.count(kAttrContentType)
                                   ? upload.attrs.at(kAttrContentType)
                                   : std::string());
  spec.manifest_override = manifest;
  ObjectWriter writer(services_, bucket_, std::move(spec));
  ASSIGN_OR_RETURN(CommitResult res, writer.Commit(upload.attrs, etag, remove_objs));

  // The meta object and unused parts go away (radosgw: gc of unused parts).
  store::WriteOp rm;
  rm.Remove(true);
  (void)services_.store().Operate(MetaId(upload.key, upload.upload_id), rm);
  std::set<std::string> keep;
  for (const auto& st : res.manifest.Stripes()) keep.insert(st.obj.GetOid());
  for (const auto& [num, info] : stored) {
    if (used.count(num)) continue;
    // A part manifest's obj is the target object; its stripes (part head
    // and shadows) are what the part owns.
    RemoveTails(services_, info.manifest, "", keep);
  }
  return res;
}

Status Multipart::Abort(const UploadMeta& upload) {
  ASSIGN_OR_RETURN(auto stored, ListParts(upload));
  auto& store = services_.store();
  BucketIndex index(store, services_.zone(), bucket_);
  cr::ObjKey meta_key = NsIndexKey(upload.key + "." + upload.upload_id + ".meta");
  const std::string tag = "_" + RandomTagChars(32);
  RETURN_IF_ERROR(index.Prepare(meta_key, upload.key, cr::kOpDel, tag, ""));
  store::WriteOp rm;
  rm.Remove(true);
  Status st = store.Operate(MetaId(upload.key, upload.upload_id), rm);
  if (!st.ok()) {
    (void)index.Cancel(meta_key, upload.key, tag);
    return st;
  }
  // abort_multipart_upload: every part's objects in ONE chain, sent to gc
  // under the upload id as tag ("use upload id as tag"); inline removal
  // when gc cannot take it.
  std::list<cr::ObjKey> remove_objs;
  GcChain chain;
  for (const auto& [num, info] : stored) {
    remove_objs.push_back(NsIndexKey(upload.key + "." + upload.upload_id + "." +
                                     std::to_string(num)));
    chain.splice(chain.end(), GcChainForManifest(services_, info.manifest));
  }
  if (!GcQueue(services_).SendChain(chain, upload.upload_id).ok()) {
    for (const auto& [num, info] : stored) {
      ReleaseTailsNow(services_, info.manifest, upload.upload_id);
    }
  }
  cr::DirEntryMeta meta;
  meta.mtime = CephTime::Now();
  return index.Complete(meta_key, upload.key, cr::kOpDel, tag, cr::BucketEntryVer{}, meta, "",
                        remove_objs);
}

Result<std::vector<UploadMeta>> Multipart::ListUploads(const std::string& prefix, size_t max,
                                                       const std::string& key_marker,
                                                       const std::string& upload_id_marker,
                                                       bool* truncated) {
  std::vector<UploadMeta> out;
  *truncated = false;
  BucketIndex index(services_.store(), services_.zone(), bucket_);
  const std::string ns_prefix = "_multipart_";
  // radosgw: RGWMPObj(key_marker, upload_id_marker).get_meta(); without an
  // upload id marker, every upload of key_marker is skipped.
  std::string marker;
  if (!key_marker.empty()) {
    marker = upload_id_marker.empty() ? ns_prefix + key_marker + ".\xff"
                                      : ns_prefix + key_marker + "." + upload_id_marker + ".meta";
  }
  while (out.size() < max) {
    ASSIGN_OR_RETURN(IndexListPage page, index.List(ns_prefix + prefix, "", marker, 1000));
    for (const auto& e : page.entries) {
      const std::string& n = e.key.name;
      if (n.size() < ns_prefix.size() + 5 || n.compare(n.size() - 5, 5, ".meta") != 0) continue;
      std::string rest = n.substr(ns_prefix.size(), n.size() - ns_prefix.size() - 5);
      auto pos = rest.rfind(".2~");
      if (pos == std::string::npos) continue;
      UploadMeta u;
      u.key = rest.substr(0, pos);
      u.upload_id = rest.substr(pos + 1);
      u.initiated = e.meta.mtime;
      u.owner = e.meta.owner;
      u.owner_display_name = e.meta.owner_display_name;
      if (out.size() >= max) {
        *truncated = true;
        break;
      }
      out.push_back(std::move(u));
    }
    if (*truncated || !page.truncated) break;
    marker = page.next_marker;
  }
  return out;
}

}  // namespace kelp::rgw
