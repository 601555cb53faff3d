// Maps RocksDB statuses onto Kelp's error model (one place for the table).
#pragma once

#include <rocksdb/status.h>

#include <string>

#include "base/status.h"

namespace kelp::store::embedded {

inline Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::OK();
  std::string msg = what + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(std::move(msg));
  if (s.IsNoSpace()) return Status(Code::kNoSpace, std::move(msg));
  if (s.IsCorruption()) return Status::Corruption(std::move(msg));
  return Status::IOError(std::move(msg));
}

}  // namespace kelp::store::embedded
