// Loading a golden RADOS dump (the format of testdata/radosgw-16.2.15, see its
// README.md) into an ObjectStore: every pool, namespace and object with its
// data, xattrs, omap header and omap keys, byte for byte; locators come from
// manifest.json. Object mtimes and versions are not part of a dump and get
// the store's own.
//
// This is how a store is seeded with what a real radosgw wrote, so the rest
// of Kelp can be tested against radosgw's layout.
#pragma once

#include <string>

#include "base/status.h"
#include "rgw/services.h"
#include "store/object_store.h"

namespace kelp::admin {

struct ImportStats {
  size_t pools = 0;
  size_t objects = 0;
  size_t xattrs = 0;
  size_t omap_keys = 0;
  uint64_t bytes = 0;
};

// Imports `dump_dir` (the folder holding manifest.json). Objects that exist
// are replaced. Fails with NotFound/Corruption on a missing or inconsistent
// dump (e.g. an object whose data is not stored in it).
Result<ImportStats> ImportDump(store::ObjectStore& store, const std::string& dump_dir);

// A dump has no mtimes, but S3 shows a head object's mtime as Last-Modified.
// radosgw wrote the same time into the object's bucket-index entry
// (meta.mtime), so every head named by an index entry gets it back. Returns
// how many objects were touched.
Result<size_t> RestoreHeadMtimes(rgw::Services& services);

}  // namespace kelp::admin
