// ObjectStore: the object-store interface every layer above talks to,
// modelled on librados so the RGW layout code is written once and runs on the
// embedded engine and on a Ceph cluster alike.
//
// Model: a store holds pools; a pool holds objects addressed by
// (namespace, oid) plus an optional locator (placement key; it does not
// change the identity of an object in this interface beyond what librados
// does: objects are unique by (pool, ns, oid, locator)). An object has byte
// data, xattrs, an omap header and omap key/values, an mtime and a version
// (bumped on every successful write op, like librados' last_version).
//
// Compound operations: a WriteOp is a list of steps applied atomically to
// ONE object: either every step applies and is durable when Operate returns
// OK, or none does. Guards (AssertExists, Create(exclusive), CmpXattr,
// object-class calls returning an error) abort the whole op. A ReadOp reads
// several things of one object in one consistent snapshot.
//
// Object classes (`Exec`) run inside the store next to the data, exactly as
// OSDs run them for librados: see store/cls/cls.h.
//
// Waiting: every call may wait for the store. Under a Suspender (base/suspend.h) a backend that
// can (RADOS) parks the calling fiber instead of blocking its thread; OperateAsync lets one
// caller keep several ops in flight (a large object's stripes).
//
// Thread-safety: an ObjectStore is safe for concurrent use by many threads.
// Ops on the same object are serialised by the store. WriteOp/ReadOp objects
// are not themselves thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "base/status.h"

namespace kelp::store {

struct ObjectId {
  std::string pool;
  std::string ns;       // "" = default namespace
  std::string oid;
  std::string locator;  // "" = none
  std::string ToString() const;  // "pool/ns/oid[@locator]" for logs
};

enum class CmpOp : uint8_t { kEq = 1, kNe, kGt, kGte, kLt, kLte };

struct ObjectStat {
  uint64_t size = 0;
  CephTime mtime;
  uint64_t version = 0;
};

// One step of a compound op. Public so backends can interpret it; callers use
// the builder methods of WriteOp/ReadOp.
struct OpStep {
  enum class Type : uint8_t {
    // guards
    kAssertExists, kCreate, kCmpXattr,
    // writes
    kRemove, kWriteFull, kWrite, kAppend, kTruncate, kZero,
    kSetXattr, kRmXattr,
    kOmapSet, kOmapRmKeys, kOmapClear, kOmapSetHeader, kSetMtime,
    // reads
    kStat, kRead, kGetXattr, kGetXattrs, kOmapGetHeader, kOmapGetVals,
    kOmapGetValsByKeys, kOmapGetKeys,
    // either
    kExec,
  };
  Type type;
  bool exclusive = false;           // kCreate
  CmpOp cmp = CmpOp::kEq;           // kCmpXattr
  uint64_t off = 0, len = 0;        // kWrite/kRead/kTruncate/kZero
  std::string name;                 // xattr name / cls class / start_after
  std::string name2;                // cls method / omap filter prefix
  std::string data;                 // payload / xattr value / cls input
  std::map<std::string, std::string> kv;  // kOmapSet
  std::set<std::string> keys;       // kOmapRmKeys / kOmapGetValsByKeys
  CephTime mtime;                   // kSetMtime
  uint64_t max = 0;                 // kOmapGetVals/Keys max entries
  bool failok = false;              // kRemove: a missing object is not an error

  // Outputs (read steps and kExec); owned by the caller, may be null.
  ObjectStat* out_stat = nullptr;
  std::string* out_data = nullptr;
  std::map<std::string, std::string>* out_map = nullptr;
  bool* out_more = nullptr;         // omap listing truncated
  Status* out_status = nullptr;     // per-step status for reads (optional)
};

// Atomic compound mutation of one object (librados::ObjectWriteOperation).
class WriteOp {
 public:
  // Guards.
  WriteOp& AssertExists();
  // Create the object; with exclusive=true fail with Exists if it exists.
  WriteOp& Create(bool exclusive);
  // Fail with Canceled unless `value` compares `op` to the stored xattr
  // `name` (byte-wise, Ceph's operand order: kGt passes when `value` is
  // greater than the stored value). A missing xattr compares as empty; a
  // missing object fails the op with NotFound (as an OSD does).
  WriteOp& CmpXattr(const std::string& name, CmpOp op, std::string value);

  // Mutations. Any mutation implicitly creates the object if absent.
  WriteOp& Remove(bool failok = false);
  WriteOp& WriteFull(std::string data);
  WriteOp& Write(uint64_t off, std::string data);
  WriteOp& Append(std::string data);
  WriteOp& Truncate(uint64_t size);
  WriteOp& SetXattr(const std::string& name, std::string value);
  WriteOp& RmXattr(const std::string& name);
  WriteOp& OmapSet(std::map<std::string, std::string> kv);
  WriteOp& OmapSet(const std::string& key, std::string value);
  WriteOp& OmapRmKeys(std::set<std::string> keys);
  WriteOp& OmapClear();
  WriteOp& OmapSetHeader(std::string header);
  WriteOp& SetMtime(CephTime t);
  // Object-class method; an error from it aborts the op. `out` may be null.
  WriteOp& Exec(const std::string& cls, const std::string& method,
                std::string input, std::string* out = nullptr);

  bool empty() const { return steps_.empty(); }
  const std::vector<OpStep>& steps() const { return steps_; }

 private:
  std::vector<OpStep> steps_;
};

// Consistent multi-part read of one object (librados::ObjectReadOperation).
// Outputs are written through the pointers given, after Operate returns OK.
class ReadOp {
 public:
  ReadOp& AssertExists();
  ReadOp& CmpXattr(const std::string& name, CmpOp op, std::string value);
  ReadOp& Stat(ObjectStat* out);
  // Reads up to len bytes at off (len 0 = to the end).
  ReadOp& Read(uint64_t off, uint64_t len, std::string* out);
  // A missing xattr fails the op with NotFound (ENODATA in librados).
  ReadOp& GetXattr(const std::string& name, std::string* out);
  ReadOp& GetXattrs(std::map<std::string, std::string>* out);
  ReadOp& OmapGetHeader(std::string* out);
  // Keys > start_after that begin with prefix, at most max, in byte order.
  ReadOp& OmapGetVals(const std::string& start_after, const std::string& prefix,
                      uint64_t max, std::map<std::string, std::string>* out,
                      bool* more = nullptr);
  ReadOp& OmapGetKeys(const std::string& start_after, uint64_t max,
                      std::map<std::string, std::string>* out /*values empty*/,
                      bool* more = nullptr);
  ReadOp& OmapGetValsByKeys(std::set<std::string> keys,
                            std::map<std::string, std::string>* out);
  ReadOp& Exec(const std::string& cls, const std::string& method,
               std::string input, std::string* out);

  const std::vector<OpStep>& steps() const { return steps_; }

 private:
  std::vector<OpStep> steps_;
};

struct ListEntry {
  std::string ns;
  std::string oid;
  std::string locator;
};

// Sentinel namespace for List(): every namespace of the pool.
inline const std::string kAllNamespaces = std::string("\x01*all*", 6);

// Watch callback: (notify_id, notifier_id, payload) -> reply payload.
using WatchCallback =
    std::function<std::string(uint64_t notify_id, uint64_t notifier_id,
                              const std::string& payload)>;

struct NotifyReply {
  // The watch registration that answered (librados: its cookie). A watch the
  // store re-established answers with a new id; it is not Watch()'s handle.
  uint64_t watcher_id = 0;
  std::string payload;
};

// A compound op started by ObjectStore::OperateAsync.
class PendingOp {
 public:
  virtual ~PendingOp() = default;  // an op not waited for is waited for here
  // Waits until the op completed (parking the fiber under a Suspender) and returns what
  // Operate would have returned; outputs are written before it returns. Later calls return
  // the same status.
  virtual Status Wait() = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  ObjectStore() = default;
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  // Pools. CreatePool fails with Exists if the pool exists.
  virtual Status CreatePool(const std::string& pool) = 0;
  virtual Result<bool> PoolExists(const std::string& pool) = 0;
  virtual Result<std::vector<std::string>> ListPools() = 0;

  // Apply a compound write atomically. On OK, `*version` (if given) is the
  // object's new version (librados' ioctx last_version after the op). A
  // missing pool fails with NotFound.
  virtual Status Operate(const ObjectId& id, const WriteOp& op,
                         uint64_t* version = nullptr) = 0;
  // Run a compound read. Fails with NotFound if the object does not exist and
  // any step needs it.
  virtual Status Operate(const ObjectId& id, const ReadOp& op) = 0;

  // Start an op and return while it is in flight where the backend can (RADOS: aio_operate);
  // the default runs Operate before returning. Ops in flight at once are independent: the
  // order in which they apply is not defined. The op is moved in; output pointers (the ReadOp's,
  // `version`) must stay valid until Wait() returned.
  virtual std::unique_ptr<PendingOp> OperateAsync(const ObjectId& id, WriteOp op,
                                                  uint64_t* version = nullptr);
  virtual std::unique_ptr<PendingOp> OperateAsync(const ObjectId& id, ReadOp op);

  // List objects of a pool (in ns, or kAllNamespaces), in a stable order,
  // starting after `cursor` (opaque, "" = start). Returns up to max entries
  // and sets *next_cursor ("" when done).
  virtual Result<std::vector<ListEntry>> List(const std::string& pool,
                                              const std::string& ns,
                                              const std::string& cursor,
                                              size_t max,
                                              std::string* next_cursor) = 0;

  // Watch/notify (librados watch2/notify2). Watch returns a handle, never
  // reused while the store lives, valid until Unwatch; the callback is not
  // called once Unwatch has returned (it may unwatch its own watch).
  virtual Result<uint64_t> Watch(const ObjectId& id, WatchCallback cb) = 0;
  virtual Status Unwatch(uint64_t handle) = 0;
  virtual Result<std::vector<NotifyReply>> Notify(const ObjectId& id,
                                                  const std::string& payload,
                                                  uint64_t timeout_ms) = 0;

  // Unique id of this client instance (librados get_instance_id), used in
  // radosgw's bucket ids "<zone id>.<instance id>.<counter>".
  virtual uint64_t InstanceId() const = 0;
  // Numeric id of a pool (the bucket index's ver.pool), or NotFound.
  virtual Result<int64_t> PoolId(const std::string& pool) = 0;
};

}  // namespace kelp::store
