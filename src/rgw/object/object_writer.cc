#include "rgw/object/object_writer.h"

#include <cstring>
#include <deque>
#include <set>

#include "rgw/meta/zone_service.h"
#include "rgw/object/gc.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_reader.h"
#include "rgw/services.h"
#include "store/cls/refcount/types.h"
#include "store/cls/rgw/ops.h"

namespace kelp::rgw {
namespace {

// A write that creates a data object can only miss its pool: that is a broken
// placement (a server-side failure, 500), never "no such key" for the client.
Status DataWriteError(const Status& st, const char* what) {
  if (st.IsNotFound()) {
    return Status(Code::kIOError, std::string(what) + ": " + st.message() +
                                      " (the placement's data pool is missing)");
  }
  return st.Annotate(what);
}

}  // namespace

std::string RandomTagChars(size_t n) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  std::string r = RandomBytes(n);
  for (auto& c : r) c = kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
  return r;
}

ObjectWriter::ObjectWriter(Services& services, const LoadedBucket& bucket, WriteSpec spec)
    : services_(services), bucket_(bucket), spec_(std::move(spec)) {
  if (spec_.part_num == 0) {
    // RGWObjManifest generator: "." + 32 random chars + "_"
    prefix_ = "." + RandomTagChars(32) + "_";
  } else {
    prefix_ = spec_.part_prefix;
  }
}

ObjectWriter::~ObjectWriter() {
  // Every write in flight lands (or fails) before the cleanup below: a late
  // one would recreate a tail after its removal and leave an orphan.
  (void)DrainWrites();
  if (committed_) return;
  std::vector<store::ObjectId> doomed;
  if (part_head_created_) {
    Obj head;
    head.bucket = bucket_.info.bucket;
    head.key = spec_.key;
    doomed.push_back(DataId(head));
  }
  for (const auto& tail : written_tails_) doomed.push_back(DataId(tail));
  // Removals of distinct objects, several in flight (bounded like the writes).
  constexpr size_t kMaxRemovesInFlight = 16;
  std::deque<std::unique_ptr<store::PendingOp>> removes;
  for (const auto& id : doomed) {
    if (removes.size() >= kMaxRemovesInFlight) {
      (void)removes.front()->Wait();
      removes.pop_front();
    }
    store::WriteOp op;
    op.Remove(/*failok=*/true);
    removes.push_back(services_.store().OperateAsync(id, std::move(op)));
  }
  for (auto& r : removes) (void)r->Wait();
}

store::ObjectId ObjectWriter::DataId(const Obj& obj) const {
  return DataObjectId(services_, bucket_, obj);
}

// Tail stripe names (RGWObjManifest::get_implicit_location): regular objects
// "<prefix><n>" in ns shadow; multipart parts "<key>.<upload>.<part>_<n>".
Obj ObjectWriter::TailObj(uint32_t stripe) const {
  Obj o;
  o.bucket = bucket_.info.bucket;
  o.key.ns = "shadow";
  o.key.instance = spec_.key.instance;
  if (spec_.part_num == 0) {
    o.key.name = prefix_ + std::to_string(stripe);
  } else {
    o.key.name = prefix_ + "." + std::to_string(spec_.part_num) + "_" + std::to_string(stripe);
  }
  return o;
}

Status ObjectWriter::EnsurePartHead() {
  if (spec_.part_num == 0 || part_head_created_) return Status::OK();
  for (int attempt = 0; attempt < 2; ++attempt) {
    Obj head;
    head.bucket = bucket_.info.bucket;
    head.key = spec_.key;
    store::WriteOp op;
    op.Create(/*exclusive=*/true);
    Status st = services_.store().Operate(DataId(head), op);
    if (st.ok()) {
      part_head_created_ = true;
      return Status::OK();
    }
    if (!st.IsExists()) return DataWriteError(st, "creating part head");
    prefix_ = spec_.hash_name + "." + RandomTagChars(32);
    spec_.key.name = prefix_ + "." + std::to_string(spec_.part_num);
  }
  return Status(Code::kServiceUnavailable, "could not allocate a part object name; retry");
}

Status ObjectWriter::Write(std::string_view data) {
  if (finished_) return Status::Internal("write after finish");
  RETURN_IF_ERROR(write_error_);
  RETURN_IF_ERROR(EnsurePartHead());
  md5_.Update(data);
  size_ += data.size();
  while (!data.empty()) {
    if (head_buf_.size() < kMaxHeadSize && next_stripe_ == 1 && stripe_buf_.empty()) {
      size_t n = std::min<size_t>(data.size(), kMaxHeadSize - head_buf_.size());
      head_buf_.append(data.substr(0, n));
      data.remove_prefix(n);
      continue;
    }
    // The buffer was moved into the previous stripe's op: allocate once.
    if (stripe_buf_.empty()) stripe_buf_.reserve(kStripeSize);
    size_t n = std::min<size_t>(data.size(), kStripeSize - stripe_buf_.size());
    stripe_buf_.append(data.substr(0, n));
    data.remove_prefix(n);
    if (stripe_buf_.size() == kStripeSize) RETURN_IF_ERROR(FlushStripe());
  }
  return Status::OK();
}

Status ObjectWriter::WaitOldest() {
  InFlight f = std::move(inflight_.front());
  inflight_.pop_front();
  inflight_bytes_ -= f.bytes;
  Status st = f.op->Wait();
  if (!st.ok() && write_error_.ok()) write_error_ = DataWriteError(st, "writing tail stripe");
  return write_error_;
}

Status ObjectWriter::DrainWrites() {
  while (!inflight_.empty()) (void)WaitOldest();
  return write_error_;
}

Status ObjectWriter::FlushStripe() {
  RETURN_IF_ERROR(write_error_);
  if (stripe_buf_.empty()) return Status::OK();
  const uint64_t n = stripe_buf_.size();
  // AioThrottle: wait for the oldest writes until this stripe fits the window.
  while (!inflight_.empty() && inflight_bytes_ + n > spec_.window) RETURN_IF_ERROR(WaitOldest());
  Obj tail = TailObj(next_stripe_);
  store::WriteOp op;
  op.WriteFull(std::move(stripe_buf_));
  stripe_buf_ = std::string();
  // Recorded before the op starts: a failed or abandoned upload removes
  // whatever part of it may have landed.
  written_tails_.push_back(tail);
  ++next_stripe_;
  inflight_.push_back(InFlight{n, services_.store().OperateAsync(DataId(tail), std::move(op))});
  inflight_bytes_ += n;
  return Status::OK();
}

Status ObjectWriter::FinishData() {
  if (finished_) return Status::OK();
  RETURN_IF_ERROR(EnsurePartHead());
  RETURN_IF_ERROR(FlushStripe());
  // Nothing may become visible before every stripe is durable.
  RETURN_IF_ERROR(DrainWrites());
  md5_raw_ = md5_.Finish();
  finished_ = true;
  return Status::OK();
}

Result<CommitResult> ObjectWriter::Commit(std::map<std::string, std::string> attrs,
                                          const std::string& etag_override,
                                          const std::list<store::cls::rgw::ObjKey>& remove_objs) {
  RETURN_IF_ERROR(FinishData());
  auto& store = services_.store();
  const ZoneService& zone = services_.zone();

  Obj head;
  head.bucket = bucket_.info.bucket;
  head.key = spec_.key;
  store::ObjectId head_id = DataId(head);

  ObjManifest manifest;
  if (spec_.part_num == 0) {
    manifest = ObjManifest::ForAtomicObject(head, bucket_.info.placement_rule, size_, kMaxHeadSize,
                                            kStripeSize, prefix_);
  } else {
    Obj target;
    target.bucket = bucket_.info.bucket;
    target.key.name = spec_.hash_name;
    manifest = ObjManifest::ForMultipartPart(target, bucket_.info.placement_rule, prefix_,
                                             spec_.part_num, size_, kStripeSize);
  }
  if (!spec_.manifest_override) {
    // The stripes we wrote must be exactly the ones the manifest names.
    size_t t = 0;
    for (const auto& st : manifest.Stripes()) {
      if (st.is_head || st.obj == head) continue;
      if (t >= written_tails_.size() || !(written_tails_[t] == st.obj)) {
        return Status::Internal("tail naming disagrees with manifest at " + st.obj.GetOid());
      }
      ++t;
    }
    if (t != written_tails_.size()) return Status::Internal("manifest names fewer tails");
  }
  if (spec_.manifest_override) {
    manifest = *spec_.manifest_override;
    manifest.obj = head;
    manifest.head_size = 0;
    size_ = manifest.obj_size;
  }
  std::string etag = etag_override.empty() ? HexEncode(md5_raw_) : etag_override;

  // The current head, if any: its tag guards the overwrite
  // (prepare_atomic_modification) and its tails are released afterwards.
  std::map<std::string, std::string> old_attrs;
  store::ReadOp rop;
  rop.GetXattrs(&old_attrs);
  Status old_st = store.Operate(head_id, rop);
  bool existed = old_st.ok();
  if (!existed && !old_st.IsNotFound()) return old_st.Annotate("reading current head");
  std::optional<ObjManifest> old_manifest;
  if (existed) {
    auto it = old_attrs.find(kAttrManifest);
    if (it != old_attrs.end()) {
      ObjManifest m;
      if (DecodeFromString(it->second, m).ok()) old_manifest = std::move(m);
    }
  }

  // Write tag: radosgw uses the request id "<zone id>.<instance>.<n>" for
  // object writes and "_" + 32 random chars for multipart parts.
  const bool is_part = spec_.part_num != 0;
  uint64_t rnd = 0;
  {
    std::string b = RandomBytes(8);
    memcpy(&rnd, b.data(), 8);
  }
  const std::string tag = is_part ? "_" + RandomTagChars(32)
                                  : zone.zone_id() + "." + std::to_string(store.InstanceId()) +
                                        "." + std::to_string(rnd);
  BucketIndex index(store, zone, bucket_);
  store::cls::rgw::ObjKey ikey(spec_.key.GetIndexKeyName(), spec_.key.instance);
  // The index records the key's legacy locator (rgw_obj_key::get_loc), not
  // the RADOS locator with the bucket marker.
  std::string locator = spec_.key.GetLoc();
  RETURN_IF_ERROR(index.Prepare(ikey, spec_.hash_name, store::cls::rgw::kOpAdd, tag, locator)
                      .Annotate("bucket index prepare"));

  CephTime mtime = CephTime::Now();
  store::WriteOp op;
  if (existed) {
    auto it = old_attrs.find(kAttrIdTag);
    op.CmpXattr(kAttrIdTag, store::CmpOp::kEq, it == old_attrs.end() ? "" : it->second);
    // radosgw's prepare_atomic_modification: obj_remove keeping the OLH attrs.
    store::cls::rgw::ObjRemoveOp rm;
    rm.keep_attr_prefixes.push_back(kAttrOlhPrefix);
    op.Exec("rgw", "obj_remove", EncodeToString(rm));
    op.Create(false);
  } else {
    op.Create(true);
  }
  if (!is_part) {  // part heads carry no tags and no manifest (it lives in the upload's omap)
    op.SetXattr(kAttrIdTag, WithNul(tag));
    op.SetXattr(kAttrTailTag, WithNul(tag));
  }
  op.SetMtime(mtime);
  op.WriteFull(std::move(head_buf_));
  head_buf_.clear();
  for (auto& [k, v] : attrs) {
    if (!v.empty()) op.SetXattr(k, std::move(v));
  }
  op.SetXattr(kAttrEtag, etag);
  if (!is_part) op.SetXattr(kAttrManifest, EncodeToString(manifest));
  {
    store::cls::rgw::StorePgVerOp pgv;
    pgv.attr = kAttrPgVer;
    op.Exec("rgw", "obj_store_pg_ver", EncodeToString(pgv));
  }
  {
    std::string sz;
    Encoder e(&sz);
    // radosgw writes the zone's short id from the period map; a realm-less
    // single zone has none and radosgw 16.2 writes 0 (seen in its dumps).
    e.U32(0);
    op.SetXattr(kAttrSourceZone, sz);
  }
  uint64_t version = 0;
  Status wst = store.Operate(head_id, op, &version);
  if (!wst.ok()) {
    (void)index.Cancel(ikey, spec_.hash_name, tag);
    // A concurrent overwrite changed the idtag (Canceled), or a concurrent delete removed the
    // head: a real OSD answers ENOENT to cmpxattr on a missing object.
    if (wst.IsCanceled() || (existed && wst.IsNotFound())) {
      return Status(Code::kServiceUnavailable, "concurrent write to the same object; retry");
    }
    return DataWriteError(wst, "writing head object");
  }
  committed_ = true;

  store::cls::rgw::DirEntryMeta meta;
  meta.category = store::cls::rgw::kCategoryMain;
  meta.size = size_;
  meta.accounted_size = size_;
  meta.mtime = mtime;
  meta.etag = etag;
  meta.owner = spec_.owner;
  meta.owner_display_name = spec_.owner_display_name;
  meta.content_type = spec_.content_type;
  Status cst = index.Complete(ikey, spec_.hash_name, store::cls::rgw::kOpAdd, tag,
                              index.EntryVer(head_id, version), meta,
                              locator, remove_objs);
  if (!cst.ok()) return cst.Annotate("bucket index complete");

  if (old_manifest) {
    // Objects the new manifest still names (a repeated multipart Complete)
    // must survive.
    std::set<std::string> keep;
    for (const auto& st : manifest.Stripes()) keep.insert(st.obj.GetOid());
    auto it = old_attrs.find(kAttrTailTag);
    if (it == old_attrs.end()) it = old_attrs.find(kAttrIdTag);
    RemoveTails(services_, *old_manifest, it == old_attrs.end() ? "" : it->second, keep);
  }

  CommitResult res;
  res.etag = etag;
  res.size = size_;
  res.mtime = mtime;
  res.manifest = std::move(manifest);
  return res;
}

void ReleaseTailsNow(Services& services, const ObjManifest& manifest, const std::string& tag,
                     const std::set<std::string>& keep) {
  auto& store = services.store();
  for (const auto& obj : GcChainForManifest(services, manifest, keep)) {
    Pool pool = Pool::FromString(obj.pool);
    store::ObjectId id{pool.name, pool.ns, obj.key.name, obj.loc};
    // cls_refcount put (what radosgw's gc sends): drops our reference and
    // removes the object when none is left, atomically, so tails shared by
    // radosgw's copies survive until their last owner lets go.
    store::WriteOp put;
    store::cls::refcount::PutOp pop;
    pop.tag = tag;
    pop.implicit_ref = true;
    put.Exec("refcount", "put", EncodeToString(pop));
    (void)store.Operate(id, put);
  }
}

void RemoveTails(Services& services, const ObjManifest& manifest, const std::string& tag,
                 const std::set<std::string>& keep) {
  GcChain chain = GcChainForManifest(services, manifest, keep);
  if (chain.empty()) return;
  // The tag is the raw tail_tag xattr, trailing NUL included, as radosgw
  // stores it and sends it to gc. Callers without one (multipart parts) get
  // a fresh random tag: put with an unknown tag drops the implicit reference.
  const std::string gc_tag = tag.empty() ? "_" + RandomTagChars(32) : tag;
  Status st = GcQueue(services).SendChain(chain, gc_tag);
  // radosgw deletes inline when the chain cannot go to gc (delete_objs_inline).
  if (!st.ok()) ReleaseTailsNow(services, manifest, gc_tag, keep);
}

}  // namespace kelp::rgw
