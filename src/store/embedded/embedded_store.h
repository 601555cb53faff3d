// The embedded single-node engine: Kelp's default ObjectStore, on a local
// directory. Metadata (pools, object records, xattrs, omap) lives in RocksDB;
// object data up to 64 KiB is stored inline in RocksDB, larger data in one
// immutable file per object version under DIR/data/ (written and synced
// before the RocksDB batch that references it commits).
//
// Layout of DIR: LOCK (flock'ed by the owning process, holds its pid),
// db/ (RocksDB), data/ (object data files). See keys.h for the key schema.
//
// Guarantees: every WriteOp is atomic and, with sync=true, durable when
// Operate returns OK (a crash at any point leaves either the whole op or
// none of it). Ops on one object are serialised; ops on distinct objects run
// concurrently. Object versions come from one store-wide increasing sequence
// (like a Ceph PG's versions): each write op that changes an object gives it
// a version greater than any it had before, even across remove + recreate.
//
// Interface details this engine fixes where object_store.h leaves them open:
//  - List(max = 0) and omap listings with max = 0 return everything; List
//    cursors are hex strings (opaque, valid only for the same pool).
//  - Notify returns the replies that arrived within the timeout (0 = 30 s);
//    watchers that missed it are simply absent. Watch/Notify of a missing
//    object fail with NotFound, as librados (ENOENT).
//  - CmpXattr follows Ceph's operand order: kGt passes when the GIVEN value
//    is greater than the stored one (see op_runner.h).
//
//   ASSIGN_OR_RETURN(auto store, OpenEmbeddedStore("/var/lib/kelp"));
//   RETURN_IF_ERROR(store->CreatePool("default.rgw.meta"));
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::embedded {

struct EmbeddedOptions {
  // fsync (RocksDB WAL + data files) before an op is acknowledged. false
  // survives a process crash but not an OS crash or power loss.
  bool sync = true;

  // Fault-injection seam for tests (LevelDB's FaultInjection idea, reduced to
  // the points that matter for crash safety). Called during every write op
  // that commits, with the point reached:
  //   "data_file_written"  new data file durable, batch not committed
  //   "before_commit"      batch built, about to commit
  //   "after_commit"       batch committed, replaced data files not unlinked
  // A non-OK return at the first two fails the op (nothing of it stays); at
  // "after_commit" the return is ignored. A hook may also _exit() to
  // simulate a crash at exactly that point.
  std::function<Status(std::string_view point)> fault_hook = nullptr;
};

// Opens (creating if absent) the store in `dir`. Fails with Code::kBusy if
// another process (or another open in this process) holds the store; the
// message names the directory and the holder's pid. Registers the built-in
// object classes (cls::RegisterBuiltinClasses). Garbage-collects data files
// left unreferenced by a crash.
Result<std::unique_ptr<ObjectStore>> OpenEmbeddedStore(const std::string& dir,
                                                       EmbeddedOptions options = {});

// A fresh instance id for another client of `store` (a remote-store client
// in another process, store/remote): drawn from the same persisted counter as
// the store's own InstanceId(), so no two clients of one store directory ever
// share an id, across restarts too. NotImplemented if `store` is not an
// embedded store.
Result<uint64_t> AllocateInstanceId(ObjectStore& store);

}  // namespace kelp::store::embedded
