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
//   ASSIGN_OR_RETURN(auto store, OpenEmbeddedStore("/var/lib/kelp"));
//   RETURN_IF_ERROR(store->CreatePool("default.rgw.meta"));
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::embedded {

struct EmbeddedOptions {
  // fsync (RocksDB WAL + data files) before an op is acknowledged. false
  // survives a process crash but not an OS crash or power loss.
  bool sync = true;
};

// Opens (creating if absent) the store in `dir`. Fails with Code::kBusy if
// another process (or another open in this process) holds the store; the
// message names the directory and the holder's pid. Registers the built-in
// object classes (cls::RegisterBuiltinClasses). Garbage-collects data files
// left unreferenced by a crash.
Result<std::unique_ptr<ObjectStore>> OpenEmbeddedStore(const std::string& dir,
                                                       EmbeddedOptions options = {});

}  // namespace kelp::store::embedded
