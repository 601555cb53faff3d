// The ClsContext object-class methods get inside the embedded engine: a thin
// view over the op's StagedObject, so a method's writes join the op's batch
// (all or nothing) and later steps of the op see them. In a ReadOp the
// context is read-only: writes fail with Invalid, as in cls.h.
//
// Reads of absent things: Stat/Read/GetXattrs on a missing object and
// GetXattr/OmapGet of a missing entry fail with NotFound; the omap header and
// omap listings of a missing object read as empty.
#pragma once

#include "store/cls/cls.h"
#include "store/embedded/staged_object.h"

namespace kelp::store::embedded {

class StagedClsContext : public cls::ClsContext {
 public:
  // `version`: the version the object gets if the op commits (write ops) or
  // has (read ops).
  StagedClsContext(StagedObject* obj, bool read_only, uint64_t version, CephTime now)
      : obj_(obj), read_only_(read_only), version_(version), now_(now) {}

  bool Exists() override;
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
  uint64_t CurrentVersion() override { return version_; }
  CephTime Now() override { return now_; }

 private:
  Status CheckWritable() const;
  Status CheckExists() const;

  StagedObject* obj_;
  bool read_only_;
  uint64_t version_;
  CephTime now_;
};

}  // namespace kelp::store::embedded
