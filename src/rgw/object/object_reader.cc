#include "rgw/object/object_reader.h"

#include <algorithm>

#include "rgw/meta/zone_service.h"
#include "rgw/object/bucket_index.h"
#include "rgw/object/layout.h"
#include "rgw/object/object_writer.h"
#include "rgw/services.h"
#include "store/cls/rgw/ops.h"
#include "rgw/types/olh.h"

namespace kelp::rgw {

std::string ObjectHead::Attr(const std::string& name) const {
  auto it = attrs.find(name);
  return it == attrs.end() ? std::string() : StripNul(it->second);
}

store::ObjectId DataObjectId(Services& services, const LoadedBucket& bucket, const Obj& obj) {
  auto placement = services.zone().Placement(bucket.info.placement_rule.name);
  Pool pool = placement.ok() ? placement->DataPool(bucket.info.placement_rule.storage_class)
                             : Pool{"default.rgw.buckets.data", ""};
  return store::ObjectId{pool.name, pool.ns, obj.GetOid(), obj.GetLocator()};
}

namespace {
Result<ObjectHead> ReadHeadImpl(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                                int follow_depth, bool prefetch) {
  ObjectHead head;
  head.obj.bucket = bucket.info.bucket;
  head.obj.key = key;
  head.id = DataObjectId(services, bucket, head.obj);
  store::ReadOp op;
  op.Stat(&head.stat);
  op.GetXattrs(&head.attrs);
  if (prefetch) op.Read(0, 0, &head.data);
  Status st = services.store().Operate(head.id, op);
  head.data_prefetched = prefetch;
  if (st.IsNotFound()) return Status(Code::kNoSuchKey, "The specified key does not exist.");
  if (!st.ok()) return st.Annotate("reading object head");
  // Versioned object: the plain head is the OLH; user.rgw.olh.info names
  // the current instance (or says a delete marker is current).
  auto olh = head.attrs.find(kAttrOlhInfo);
  if (olh != head.attrs.end() && key.instance.empty() && follow_depth < 2) {
    OlhInfo info;
    RETURN_IF_ERROR(DecodeFromString(olh->second, info).Annotate("decoding olh info"));
    if (info.removed) return Status(Code::kNoSuchKey, "The specified key does not exist.");
    const std::string& inst = info.target.key.instance;
    if (!inst.empty() && inst != "null") {
      ObjKey target = key;
      target.instance = inst;
      auto r = ReadHeadImpl(services, bucket, target, follow_depth + 1, prefetch);
      if (r.ok()) r->version_id = inst;
      return r;
    }
    head.version_id = "null";
  }
  // A half-written head is not a readable object.
  if (!head.attrs.count(kAttrEtag) && !head.attrs.count(kAttrManifest)) {
    return Status(Code::kNoSuchKey, "The specified key does not exist.");
  }
  auto it = head.attrs.find(kAttrManifest);
  if (it != head.attrs.end()) {
    ObjManifest m;
    Status ds = DecodeFromString(it->second, m);
    if (!ds.ok()) return ds.Annotate("decoding manifest of " + head.id.ToString());
    head.size = m.obj_size;
    head.manifest = std::move(m);
  } else {
    head.size = head.stat.size;
  }
  head.etag = head.Attr(kAttrEtag);
  head.idtag = head.Attr(kAttrIdTag);
  if (head.version_id.empty() && key.instance.size()) head.version_id = key.instance;
  return head;
}
}  // namespace

Result<ObjectHead> ReadHead(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                            bool prefetch_data) {
  return ReadHeadImpl(services, bucket, key, 0, prefetch_data);
}

ObjectReader::ObjectReader(Services& services, const LoadedBucket& bucket, ObjectHead head,
                           uint64_t first, uint64_t end, uint64_t window)
    : services_(services),
      bucket_(bucket),
      head_(std::move(head)),
      pos_(first),
      end_(end),
      window_(std::max<uint64_t>(window, 1)),
      issue_pos_(first) {
  bool range_needs_head_data = false;
  if (head_.manifest) {
    for (const auto& s : head_.manifest->Stripes()) {
      if (s.size == 0) continue;
      pieces_.push_back(Piece{s.ofs, s.size, s.obj, s.loc_ofs});
      if (s.obj == head_.obj && s.ofs < end_ && first < s.ofs + s.size) {
        range_needs_head_data = true;
      }
    }
  } else if (head_.size > 0) {
    pieces_.push_back(Piece{0, head_.size, head_.obj, 0});
    range_needs_head_data = first < end_;
  }
  if (!range_needs_head_data) {  // a range past the head: drop its prefetched data now
    head_.data.clear();
    head_.data.shrink_to_fit();
  }
}

ObjectReader::~ObjectReader() {
  // Each chunk's op is destroyed (waited for) before its output buffer.
  chunks_.clear();
}

Status ObjectReader::Issue(uint64_t max_bytes, Chunk* out) {
  while (piece_ < pieces_.size() && issue_pos_ >= pieces_[piece_].ofs + pieces_[piece_].size) {
    ++piece_;
  }
  if (piece_ == pieces_.size()) return Status::Corruption("object data ends before its size");
  const Piece& p = pieces_[piece_];
  if (issue_pos_ < p.ofs) {
    return Status::Corruption("manifest has a hole at offset " + std::to_string(issue_pos_));
  }
  const uint64_t in_piece = issue_pos_ - p.ofs;
  const uint64_t n = std::min<uint64_t>({max_bytes, p.size - in_piece, end_ - issue_pos_});
  store::ObjectId id = DataObjectId(services_, bucket_, p.loc);
  out->ofs = issue_pos_;
  out->size = n;
  out->oid = id.ToString();
  out->data = std::make_unique<std::string>();
  store::ReadOp op;
  if (p.loc == head_.obj) {
    // The head's own data (at most rgw_max_chunk_size) came with the head
    // when prefetched, like radosgw's GET: once we have it an overwrite
    // cannot touch this response, since the old tails stay until gc
    // releases them (rgw_gc_obj_min_wait later).
    if (head_.data_prefetched) {
      if (p.loc_ofs + in_piece + n > head_.data.size()) {
        return Status::Corruption("data object " + out->oid + " is shorter than its manifest");
      }
      out->data->assign(head_.data, p.loc_ofs + in_piece, n);
      out->ready = true;
      issue_pos_ += n;
      if (issue_pos_ >= p.ofs + p.size || issue_pos_ >= end_) {
        head_.data.clear();
        head_.data.shrink_to_fit();
      }
      return Status::OK();
    }
    // Guarded by the idtag (radosgw's append_atomic_test), so a concurrent
    // overwrite cannot splice two versions into one response.
    auto tag = head_.attrs.find(kAttrIdTag);
    if (tag != head_.attrs.end()) op.CmpXattr(kAttrIdTag, store::CmpOp::kEq, tag->second);
  }
  // Tails have unique names per write and outlive an overwrite until gc.
  op.Read(p.loc_ofs + in_piece, n, out->data.get());
  out->op = services_.store().OperateAsync(id, std::move(op));
  issue_pos_ += n;
  return Status::OK();
}

void ObjectReader::Fill() {
  const uint64_t req = std::min(kGetObjMaxReqSize, window_);
  while (issue_error_.ok() && issue_pos_ < end_ &&
         (chunks_.empty() || chunk_bytes_ + req <= window_)) {
    Chunk c;
    Status st = Issue(req, &c);
    if (!st.ok()) {
      issue_error_ = std::move(st);
      return;
    }
    chunk_bytes_ += c.size;
    chunks_.push_back(std::move(c));
  }
}

Status ObjectReader::Ready(Chunk& c) {
  if (c.ready) return Status::OK();
  Status st = c.op->Wait();
  c.op.reset();
  if (st.IsCanceled() || st.IsNotFound()) {
    return Status(Code::kServiceUnavailable, "the object changed while it was being read");
  }
  if (!st.ok()) return st.Annotate("reading data object " + c.oid);
  if (c.data->size() != c.size) {
    return Status::Corruption("data object " + c.oid + " is shorter than its manifest");
  }
  c.ready = true;
  return Status::OK();
}

Result<std::string> ObjectReader::Next(size_t max) {
  RETURN_IF_ERROR(read_error_);
  if (pos_ >= end_ || max == 0) return std::string();
  Fill();
  if (chunks_.empty()) {
    return issue_error_.ok() ? Status::Corruption("object data ends before its size")
                             : issue_error_;
  }
  Chunk& c = chunks_.front();
  if (Status st = Ready(c); !st.ok()) {
    read_error_ = st;
    return st;
  }
  const uint64_t off = pos_ - c.ofs;
  const uint64_t n = std::min<uint64_t>(max, c.size - off);
  std::string out = (off == 0 && n == c.size) ? std::move(*c.data) : c.data->substr(off, n);
  pos_ += n;
  if (pos_ == c.ofs + c.size) {
    chunk_bytes_ -= c.size;
    chunks_.pop_front();
    Fill();  // the next read starts before the consumer sends this chunk on
  }
  return out;
}

Status DeleteObject(Services& services, const LoadedBucket& bucket, const ObjKey& key,
                    const std::string& hash_name) {
  auto& store = services.store();
  auto head = ReadHead(services, bucket, key);
  if (!head.ok()) {
    if (head.status().code() == Code::kNoSuchKey) return Status::OK();
    return head.status();
  }
  BucketIndex index(store, services.zone(), bucket);
  store::cls::rgw::ObjKey ikey(key.GetIndexKeyName(), key.instance);
  const std::string tag = "_" + RandomTagChars(32);
  std::string locator = key.GetLoc();
  RETURN_IF_ERROR(index.Prepare(ikey, hash_name, store::cls::rgw::kOpDel, tag, locator));
  store::WriteOp op;
  op.CmpXattr(kAttrIdTag, store::CmpOp::kEq, head->attrs.count(kAttrIdTag)
                                                 ? head->attrs.at(kAttrIdTag)
                                                 : std::string());
  store::cls::rgw::ObjRemoveOp rm;  // radosgw's remove_rgw_head_obj
  rm.keep_attr_prefixes.push_back(kAttrOlhPrefix);
  op.Exec("rgw", "obj_remove", EncodeToString(rm));
  uint64_t version = 0;
  Status st = store.Operate(head->id, op, &version);
  if (!st.ok()) {
    (void)index.Cancel(ikey, hash_name, tag);
    if (st.IsCanceled()) return Status(Code::kServiceUnavailable, "object changed during delete");
    if (st.IsNotFound()) return Status::OK();
    return st;
  }
  store::cls::rgw::DirEntryMeta meta;
  meta.mtime = head->stat.mtime;  // radosgw completes DEL with the removed object's mtime
  RETURN_IF_ERROR(index.Complete(ikey, hash_name, store::cls::rgw::kOpDel, tag,
                                 index.EntryVer(head->id, version), meta,
                                 locator, {}));
  if (head->manifest) {
    auto tag = head->attrs.find(kAttrTailTag);
    if (tag == head->attrs.end()) tag = head->attrs.find(kAttrIdTag);
    RemoveTails(services, *head->manifest, tag == head->attrs.end() ? "" : tag->second);
  }
  return Status::OK();
}

}  // namespace kelp::rgw
