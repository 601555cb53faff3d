// Object data files of the embedded engine: DIR/data/<16 hex digits>, one per
// (object, version) whose data exceeds kInlineMax. Files are immutable once
// written: a changed object gets a new file and the old one is unlinked after
// the RocksDB batch switching to the new one commits. So a reader holding an
// object's lock always sees a complete file, and a crash can only leave
// unreferenced files behind (collected at open).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kelp::store::embedded {

class DataFiles {
 public:
  DataFiles(std::string dir, bool sync) : dir_(std::move(dir)), sync_(sync) {}

  // Creates the directory if absent.
  Status Init();
  // Creates file `id` with `data`; with sync, the data and the directory
  // entry are durable when it returns. Fails if the file exists.
  Status Write(uint64_t id, std::string_view data);
  // Reads [off, off+len) (clamped to the file's end); len 0 = to the end.
  Result<std::string> Read(uint64_t id, uint64_t off, uint64_t len);
  // Best effort: a leftover file is collected by the next open.
  void Unlink(uint64_t id);
  // Ids of every data file present (names that are not ids are ignored).
  Result<std::vector<uint64_t>> List();

  std::string PathOf(uint64_t id) const;

 private:
  std::string dir_;
  bool sync_;
};

}  // namespace kelp::store::embedded
