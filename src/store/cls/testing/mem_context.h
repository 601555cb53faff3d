// Test-only in-memory ClsContext: one object held in plain maps, and an
// Exec() that runs a registered class method on it with the store's
// all-or-nothing semantics (a failing method leaves the object untouched).
// Not thread-safe.
#pragma once

#include <map>
#include <string>

#include "store/cls/cls.h"

namespace kelp::store::cls::testing {

struct MemObject {
  bool exists = false;
  std::string data;
  std::map<std::string, std::string> xattrs;
  std::string omap_header;
  std::map<std::string, std::string> omap;
  CephTime mtime;
  uint64_t version = 0;  // bumped by every successful mutating Exec
};

class MemContext : public ClsContext {
 public:
  MemContext(MemObject* obj, CephTime now, bool read_only = false)
      : obj_(obj), now_(now), read_only_(read_only) {}

  bool Exists() override { return obj_->exists; }
  Result<ObjectStat> Stat() override;
  Status Create(bool exclusive) override;
  Status Remove() override;
  Result<std::string> Read(uint64_t off, uint64_t len) override;
  Status WriteFull(std::string data) override;
  Result<std::string> GetXattr(const std::string& name) override;
  Result<std::map<std::string, std::string>> GetXattrs() override;
  Status SetXattr(const std::string& name, std::string value) override;
  Status RmXattr(const std::string& name) override;
  Result<std::string> OmapGetHeader() override;
  Status OmapSetHeader(std::string header) override;
  Result<std::string> OmapGet(const std::string& key) override;
  Result<std::map<std::string, std::string>> OmapGetVals(const std::string& start_after,
                                                         const std::string& prefix, uint64_t max,
                                                         bool* more) override;
  Status OmapSet(const std::string& key, std::string value) override;
  Status OmapRm(const std::string& key) override;
  uint64_t CurrentVersion() override { return obj_->version; }
  CephTime Now() override { return now_; }

  bool wrote() const { return wrote_; }

 private:
  Status Mutate();  // fails when read-only; creates the object

  MemObject* obj_;
  CephTime now_;
  bool read_only_;
  bool wrote_ = false;
};

// Runs cls.method from the global registry (RegisterBuiltinClasses() is
// called first) on `obj`, atomically. NotImplemented for unknown methods.
Status Exec(MemObject& obj, const std::string& cls, const std::string& method,
            const std::string& in, std::string* out = nullptr, CephTime now = CephTime::Now(),
            bool read_only = false);

}  // namespace kelp::store::cls::testing
