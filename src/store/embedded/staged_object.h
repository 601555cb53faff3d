// StagedObject: one object as an op sees it — the committed state in RocksDB
// (and its data file) overlaid with the changes the op's earlier steps made.
// Every step of a compound op, and every object-class call inside it, reads
// and writes through the same StagedObject, so later steps see earlier ones;
// Prepare() turns the staged changes into one rocksdb::WriteBatch.
//
// Omap reads merge a RocksDB iterator with the staged overlay, so an omap of
// any size is never loaded whole. Object data is loaded whole only when a
// partial mutation needs it (RADOS objects written by RGW are <= 4 MiB).
//
// Not thread-safe; the caller holds the object's lock for the op's lifetime.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/embedded/data_files.h"
#include "store/embedded/keys.h"

namespace kelp::store::embedded {

class StagedObject {
 public:
  StagedObject(rocksdb::DB* db, DataFiles* files, std::string objkey, std::string name)
      : db_(db), files_(files), objkey_(std::move(objkey)), name_(std::move(name)) {}

  // Reads the committed record. Call once before anything else.
  Status Load();

  bool exists() const { return exists_; }
  // Size, mtime and version as staged (version/mtime are the committed ones
  // until Prepare assigns new ones).
  const ObjectRecord& record() const { return rec_; }
  bool dirty() const { return dirty_; }
  const std::string& name() const { return name_; }

  // ---- data (callers check exists() where absence is an error) ----
  Result<std::string> Read(uint64_t off, uint64_t len);  // len 0 = to the end
  Status WriteFull(std::string data);
  Status Write(uint64_t off, std::string_view data);
  Status Append(std::string_view data);
  Status Truncate(uint64_t size);
  Status Zero(uint64_t off, uint64_t len);  // within the current size

  // exclusive => Exists if the object exists.
  Status Create(bool exclusive);
  // NotFound if absent. Drops data, xattrs, omap header and keys.
  Status Remove();
  void SetMtime(CephTime t);

  // ---- xattrs ----
  Result<std::optional<std::string>> GetXattr(const std::string& name);
  Result<std::map<std::string, std::string>> GetXattrs();
  void SetXattr(const std::string& name, std::string value);
  void RmXattr(const std::string& name);

  // ---- omap (header reads "" when absent) ----
  Result<std::string> OmapGetHeader();
  void OmapSetHeader(std::string header);
  Result<std::optional<std::string>> OmapGet(const std::string& key);
  // Keys > start_after starting with prefix, in byte order, at most max
  // (0 = no limit); *more tells whether further matching keys exist.
  Result<std::map<std::string, std::string>> OmapGetVals(const std::string& start_after,
                                                         const std::string& prefix, uint64_t max,
                                                         bool* more);
  void OmapSet(const std::string& key, std::string value);
  void OmapRm(const std::string& key);
  void OmapClear();  // keys and header, as Ceph's omap_clear

  // ---- commit ----
  struct Commit {
    std::optional<uint64_t> new_file;    // unlink if the batch fails
    std::vector<uint64_t> unlink_after;  // unlink once the batch committed
  };
  // Fills `batch` with the staged changes, stamping `version` and `mtime`
  // (unless SetMtime was staged). A new data file (id = version) is written
  // and synced here, before the batch can commit. Requires dirty().
  Status Prepare(uint64_t version, CephTime mtime, rocksdb::WriteBatch* batch, Commit* commit);

 private:
  std::string Key(char prefix) const { return Prefixed(prefix, objkey_); }
  std::string SubKey(char prefix, std::string_view sub) const;
  void Touch();       // implicit create + mark dirty
  Status LoadData();  // data_ := full current contents
  Status DeleteRange(char prefix, rocksdb::WriteBatch* batch);

  rocksdb::DB* db_;
  DataFiles* files_;
  std::string objkey_;
  std::string name_;

  // Committed state.
  bool base_exists_ = false;
  ObjectRecord base_;
  // Staged state.
  bool exists_ = false;
  ObjectRecord rec_;
  bool dirty_ = false;
  bool mtime_set_ = false;
  std::optional<std::string> data_;  // loaded or replaced contents
  bool data_dirty_ = false;
  bool xattr_base_visible_ = false;  // committed xattrs still part of the view
  std::map<std::string, std::optional<std::string>> xattrs_;  // nullopt = removed
  bool omap_base_visible_ = false;  // committed header + keys still visible
  std::optional<std::string> header_;
  std::map<std::string, std::optional<std::string>> omap_;
};

}  // namespace kelp::store::embedded
