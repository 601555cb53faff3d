// Object classes: methods that run inside the store, next to one object,
// within the atomicity of the surrounding op (what `cls_cxx_*` gives an OSD
// class). On Ceph the OSD runs radosgw's classes; the embedded engine runs
// Kelp's own implementations registered here, with the same names, inputs
// and outputs (Ceph encodings) and the same error codes.
//
// A method sees the object through ClsContext. Writes it makes become part of
// the op: they commit with it or not at all. A method called from a ReadOp
// gets a read-only context (writes fail with Invalid).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "base/encoding.h"
#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::cls {

class ClsContext {
 public:
  virtual ~ClsContext() = default;

  virtual bool Exists() = 0;
  virtual Result<ObjectStat> Stat() = 0;  // NotFound if absent
  // Create the object; exclusive => Exists if present.
  virtual Status Create(bool exclusive) = 0;
  virtual Status Remove() = 0;

  virtual Result<std::string> Read(uint64_t off, uint64_t len) = 0;  // len 0 = all
  virtual Status WriteFull(std::string data) = 0;

  virtual Result<std::string> GetXattr(const std::string& name) = 0;  // NotFound
  virtual Result<std::map<std::string, std::string>> GetXattrs() = 0;
  virtual Status SetXattr(const std::string& name, std::string value) = 0;
  virtual Status RmXattr(const std::string& name) = 0;

  // An absent header reads as "".
  virtual Result<std::string> OmapGetHeader() = 0;
  virtual Status OmapSetHeader(std::string header) = 0;
  virtual Result<std::string> OmapGet(const std::string& key) = 0;  // NotFound
  // Keys > start_after with `prefix`, at most max, in byte order.
  virtual Result<std::map<std::string, std::string>> OmapGetVals(
      const std::string& start_after, const std::string& prefix, uint64_t max,
      bool* more) = 0;
  virtual Status OmapSet(const std::string& key, std::string value) = 0;
  virtual Status OmapRm(const std::string& key) = 0;

  // Version the object will have / has (cls_current_version) and the
  // object's pool id; used by cls_rgw's bilog keys and pg_ver.
  virtual uint64_t CurrentVersion() = 0;
  virtual CephTime Now() = 0;
};

using ClsMethod =
    std::function<Status(ClsContext& ctx, const std::string& in, std::string* out)>;

// Registry of class methods by (class, method). Populated once at start-up
// by RegisterBuiltinClasses(); read-only afterwards (thread-safe reads).
class ClsRegistry {
 public:
  static ClsRegistry& Instance();
  void Register(const std::string& cls, const std::string& method, ClsMethod fn);
  // nullptr when unknown (the op then fails with NotImplemented/EOPNOTSUPP).
  const ClsMethod* Find(const std::string& cls, const std::string& method) const;

 private:
  std::map<std::pair<std::string, std::string>, ClsMethod> methods_;
};

// Registers rgw, user, version, lock, refcount, ... (idempotent).
void RegisterBuiltinClasses();

}  // namespace kelp::store::cls
