#include "store/embedded/staged_object.h"

#include <memory>

#include "store/embedded/rocks_status.h"

namespace kelp::store::embedded {

namespace {

// Ceph's osd_max_object_size default; a Write at a huge offset fails rather
// than allocating the gap (EFBIG in Ceph).
constexpr uint64_t kMaxObjectSize = 128ull << 20;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string StagedObject::SubKey(char prefix, std::string_view sub) const {
  std::string k = Key(prefix);
  k.append(sub);
  return k;
}

Status StagedObject::Load() {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Key(kRecordPrefix), &v);
  if (s.IsNotFound()) {
    base_exists_ = false;
  } else if (!s.ok()) {
    return FromRocks(s, "reading " + name_);
  } else {
    RETURN_IF_ERROR(DecodeRecord(v, &base_).Annotate(name_));
    base_exists_ = true;
  }
  exists_ = base_exists_;
  rec_ = base_;
  xattr_base_visible_ = omap_base_visible_ = base_exists_;
  return Status::OK();
}

void StagedObject::Touch() {
  if (!exists_) {
    exists_ = true;
    CephTime mtime = rec_.mtime;
    rec_ = ObjectRecord();
    rec_.mtime = mtime;  // keep a staged SetMtime
    data_ = std::string();
  }
  dirty_ = true;
}

// ---- data ----

Result<std::string> StagedObject::Read(uint64_t off, uint64_t len) {
  uint64_t size = rec_.size;
  if (off >= size) return std::string();
  uint64_t n = (len == 0 || len > size - off) ? size - off : len;
  if (data_) return data_->substr(off, n);
  // Not staged: the committed contents (rec_ == base_ here).
  switch (base_.loc) {
    case ObjectRecord::Loc::kNone:
      return Status::Corruption(name_ + ": size " + std::to_string(size) + " but no data");
    case ObjectRecord::Loc::kInline: {
      std::string v;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Key(kInlinePrefix), &v);
      if (!s.ok()) return FromRocks(s, "reading data of " + name_);
      if (v.size() != size) return Status::Corruption(name_ + ": inline data size mismatch");
      return v.substr(off, n);
    }
    case ObjectRecord::Loc::kFile: {
      ASSIGN_OR_RETURN(std::string v, files_->Read(base_.file_id, off, n));
      if (v.size() != n) {
        return Status::Corruption(name_ + ": data file " + files_->PathOf(base_.file_id) +
                                  " is shorter than the object");
      }
      return v;
    }
  }
  return Status::Internal("bad data location");
}

Status StagedObject::LoadData() {
  if (data_) return Status::OK();
  ASSIGN_OR_RETURN(std::string all, Read(0, 0));
  data_ = std::move(all);
  return Status::OK();
}

Status StagedObject::WriteFull(std::string data) {
  if (data.size() > kMaxObjectSize) return Status::Invalid(name_ + ": object too large");
  Touch();
  data_ = std::move(data);
  rec_.size = data_->size();
  data_dirty_ = true;
  return Status::OK();
}

Status StagedObject::Write(uint64_t off, std::string_view data) {
  if (off > kMaxObjectSize || data.size() > kMaxObjectSize - off) {
    return Status::Invalid(name_ + ": write past the maximum object size");
  }
  RETURN_IF_ERROR(LoadData());
  Touch();
  if (off + data.size() > data_->size()) data_->resize(off + data.size(), '\0');
  data_->replace(off, data.size(), data);
  rec_.size = data_->size();
  data_dirty_ = true;
  return Status::OK();
}

Status StagedObject::Append(std::string_view data) { return Write(rec_.size, data); }

Status StagedObject::Truncate(uint64_t size) {
  if (size > kMaxObjectSize) return Status::Invalid(name_ + ": truncate past the maximum size");
  RETURN_IF_ERROR(LoadData());
  Touch();
  data_->resize(size, '\0');
  rec_.size = size;
  data_dirty_ = true;
  return Status::OK();
}

Status StagedObject::Zero(uint64_t off, uint64_t len) {
  RETURN_IF_ERROR(LoadData());
  Touch();
  if (off < data_->size()) {
    uint64_t n = std::min<uint64_t>(len, data_->size() - off);
    std::fill_n(data_->begin() + static_cast<std::ptrdiff_t>(off), n, '\0');
    data_dirty_ = true;
  }
  return Status::OK();
}

Status StagedObject::Create(bool exclusive) {
  if (exists_) {
    if (exclusive) return Status::Exists(name_ + " already exists");
    return Status::OK();
  }
  Touch();
  return Status::OK();
}

Status StagedObject::Remove() {
  if (!exists_) return Status::NotFound(name_ + " does not exist");
  exists_ = false;
  CephTime mtime = rec_.mtime;
  rec_ = ObjectRecord();
  rec_.mtime = mtime;
  data_ = std::string();
  data_dirty_ = true;
  xattr_base_visible_ = false;
  xattrs_.clear();
  omap_base_visible_ = false;
  header_.reset();
  omap_.clear();
  dirty_ = true;
  return Status::OK();
}

void StagedObject::SetMtime(CephTime t) {
  rec_.mtime = t;
  mtime_set_ = true;
}

// ---- xattrs ----

Result<std::optional<std::string>> StagedObject::GetXattr(const std::string& name) {
  auto it = xattrs_.find(name);
  if (it != xattrs_.end()) return it->second;
  if (!xattr_base_visible_) return std::optional<std::string>();
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), SubKey(kXattrPrefix, name), &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading xattr of " + name_);
  return std::optional<std::string>(std::move(v));
}

Result<std::map<std::string, std::string>> StagedObject::GetXattrs() {
  std::map<std::string, std::string> out;
  if (xattr_base_visible_) {
    std::string prefix = Key(kXattrPrefix);
    std::string upper = PrefixEnd(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      out.emplace(it->key().ToString().substr(prefix.size()), it->value().ToString());
    }
    if (!it->status().ok()) return FromRocks(it->status(), "listing xattrs of " + name_);
  }
  for (const auto& [k, v] : xattrs_) {
    if (v) {
      out[k] = *v;
    } else {
      out.erase(k);
    }
  }
  return out;
}

void StagedObject::SetXattr(const std::string& name, std::string value) {
  Touch();
  xattrs_[name] = std::move(value);
}

void StagedObject::RmXattr(const std::string& name) {
  Touch();
  if (xattr_base_visible_) {
    xattrs_[name] = std::nullopt;
  } else {
    xattrs_.erase(name);
  }
}

// ---- omap ----

Result<std::string> StagedObject::OmapGetHeader() {
  if (header_) return *header_;
  if (!omap_base_visible_) return std::string();
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Key(kHeaderPrefix), &v);
  if (s.IsNotFound()) return std::string();
  if (!s.ok()) return FromRocks(s, "reading omap header of " + name_);
  return v;
}

void StagedObject::OmapSetHeader(std::string header) {
  Touch();
  header_ = std::move(header);
}

Result<std::optional<std::string>> StagedObject::OmapGet(const std::string& key) {
  auto it = omap_.find(key);
  if (it != omap_.end()) return it->second;
  if (!omap_base_visible_) return std::optional<std::string>();
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), SubKey(kOmapPrefix, key), &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading omap of " + name_);
  return std::optional<std::string>(std::move(v));
}

Result<std::map<std::string, std::string>> StagedObject::OmapGetVals(const std::string& start_after,
                                                                     const std::string& prefix,
                                                                     uint64_t max, bool* more) {
  std::map<std::string, std::string> out;
  if (more) *more = false;
  // Matching keys are > start_after and >= prefix: seek to the larger bound.
  const bool from_prefix = prefix > start_after;
  const std::string& lower = from_prefix ? prefix : start_after;

  const std::string base = Key(kOmapPrefix);
  std::string upper = PrefixEnd(base + prefix);
  rocksdb::Slice upper_slice(upper);
  std::unique_ptr<rocksdb::Iterator> it;
  if (omap_base_visible_) {
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    it.reset(db_->NewIterator(ro));
    it->Seek(base + lower);
    if (!from_prefix && it->Valid() &&
        std::string_view(it->key().data(), it->key().size()).substr(base.size()) == start_after) {
      it->Next();
    }
  }
  auto ov = from_prefix ? omap_.lower_bound(prefix) : omap_.upper_bound(start_after);

  while (true) {
    bool have_base = it && it->Valid();
    bool have_ov = ov != omap_.end() && StartsWith(ov->first, prefix);
    if (!have_base && !have_ov) break;
    std::string_view base_key;
    if (have_base)
      base_key = std::string_view(it->key().data(), it->key().size()).substr(base.size());
    const std::string* key;
    const std::string* value;
    std::string base_value;
    if (have_ov && (!have_base || ov->first <= base_key)) {
      if (have_base && ov->first == base_key) it->Next();  // the overlay shadows it
      if (!ov->second) {
        ++ov;
        continue;  // staged removal
      }
      key = &ov->first;
      value = &*ov->second;
      if (max && out.size() >= max) {
        if (more) *more = true;
        break;
      }
      out.emplace(*key, *value);
      ++ov;
    } else {
      if (max && out.size() >= max) {
        if (more) *more = true;
        break;
      }
      out.emplace(std::string(base_key), it->value().ToString());
      it->Next();
    }
  }
  if (it && !it->status().ok()) return FromRocks(it->status(), "listing omap of " + name_);
  return out;
}

void StagedObject::OmapSet(const std::string& key, std::string value) {
  Touch();
  omap_[key] = std::move(value);
}

void StagedObject::OmapRm(const std::string& key) {
  Touch();
  if (omap_base_visible_) {
    omap_[key] = std::nullopt;
  } else {
    omap_.erase(key);
  }
}

void StagedObject::OmapClear() {
  Touch();
  omap_base_visible_ = false;
  header_.reset();
  omap_.clear();
}

// ---- commit ----

Status StagedObject::DeleteRange(char prefix, rocksdb::WriteBatch* batch) {
  // Point deletes for the usual handful of keys; one range tombstone for
  // big omaps (cheap to write, and it keeps the batch small).
  constexpr int kMaxPointDeletes = 1000;
  std::string begin = Key(prefix);
  std::string end = PrefixEnd(begin);
  rocksdb::Slice end_slice(end);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &end_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  int n = 0;
  for (it->Seek(begin); it->Valid(); it->Next()) {
    if (++n > kMaxPointDeletes) {
      batch->DeleteRange(begin, end);
      break;
    }
    batch->Delete(it->key());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "scanning " + name_);
  return Status::OK();
}

Status StagedObject::Prepare(uint64_t version, CephTime mtime, rocksdb::WriteBatch* batch,
                             Commit* commit) {
  auto drop_base_data = [&] {
    if (!base_exists_) return;
    if (base_.loc == ObjectRecord::Loc::kInline) batch->Delete(Key(kInlinePrefix));
    if (base_.loc == ObjectRecord::Loc::kFile) {
      batch->Delete(FileKey(base_.file_id));
      commit->unlink_after.push_back(base_.file_id);
    }
  };

  if (!exists_) {
    if (!base_exists_) return Status::OK();  // created and removed within the op
    batch->Delete(Key(kRecordPrefix));
    drop_base_data();
    batch->Delete(Key(kHeaderPrefix));
    RETURN_IF_ERROR(DeleteRange(kXattrPrefix, batch));
    return DeleteRange(kOmapPrefix, batch);
  }

  rec_.version = version;
  if (!mtime_set_) rec_.mtime = mtime;
  if (data_dirty_) {
    drop_base_data();
    const std::string& d = *data_;
    rec_.file_id = 0;
    if (d.empty()) {
      rec_.loc = ObjectRecord::Loc::kNone;
    } else if (d.size() <= kInlineMax) {
      rec_.loc = ObjectRecord::Loc::kInline;
      batch->Put(Key(kInlinePrefix), d);
    } else {
      // Durable before the batch that references it can commit.
      RETURN_IF_ERROR(files_->Write(version, d).Annotate("writing data of " + name_));
      commit->new_file = version;
      rec_.loc = ObjectRecord::Loc::kFile;
      rec_.file_id = version;
      batch->Put(FileKey(version), "");
    }
  }

  if (base_exists_ && !xattr_base_visible_) RETURN_IF_ERROR(DeleteRange(kXattrPrefix, batch));
  for (const auto& [k, v] : xattrs_) {
    if (v) {
      batch->Put(SubKey(kXattrPrefix, k), *v);
    } else {
      batch->Delete(SubKey(kXattrPrefix, k));
    }
  }

  if (base_exists_ && !omap_base_visible_) {
    batch->Delete(Key(kHeaderPrefix));
    RETURN_IF_ERROR(DeleteRange(kOmapPrefix, batch));
  }
  if (header_) batch->Put(Key(kHeaderPrefix), *header_);
  for (const auto& [k, v] : omap_) {
    if (v) {
      batch->Put(SubKey(kOmapPrefix, k), *v);
    } else {
      batch->Delete(SubKey(kOmapPrefix, k));
    }
  }

  batch->Put(Key(kRecordPrefix), EncodeRecord(rec_));
  return Status::OK();
}

}  // namespace kelp::store::embedded
