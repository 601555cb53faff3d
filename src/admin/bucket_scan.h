// Bucket maintenance scan (`kelp-admin bucket scan --bucket B [--fix]`):
// cross-checks a bucket's index (every shard) against the RADOS objects of
// the bucket in its data pool (oids "<marker>_..."), in the spirit of
// radosgw-admin `bucket check --fix` and `orphans find`.
//
// For every index entry of an object: the head exists, its manifest decodes,
// every tail/part object it names exists and is large enough, and the
// entry's size/etag agree with the head. Then the bucket's data objects no
// index entry (heads) or no manifest (tails) refers to are orphans. Tails
// named by the part manifests of unfinished multipart uploads (the
// "<marker>__multipart_<key>.<upload>.meta" objects of the extra pool) and
// OLH objects of versioned keys are not orphans.
//
// With fix: dangling entries are removed through cls_rgw
// dir_suggest_changes (REMOVE), which unaccounts them from the shard's
// stats as radosgw's check_disk_state does; entries disagreeing with their
// head are rewritten from the head (suggest UPDATE); orphan heads of
// unversioned keys are linked back with a bucket_prepare_op/complete_op ADD
// carrying the head's size, etag, owner and version; orphan tails are
// removed. Orphans younger than min_age_seconds are left alone (a write in
// flight writes its tails before its head and its head before its index
// entry). Missing or short tails cannot be repaired and are reported.
//
// Report (JSON, key order fixed):
//   {"bucket", "checked_entries", "dangling_entries": [{name, instance,
//    shard, oid, size, etag}], "orphan_heads": [{oid, name, instance, size,
//    etag, mtime}], "orphan_tails": [{oid, size, mtime}], "mismatched":
//    [{name, instance, problem, ...}], "fixed": {} or {removed_entries,
//    updated_entries, relinked_heads, removed_tails, not_fixed}}
//
// Not thread-safe with respect to itself; safe alongside a running gateway
// as far as the cls guards go (entries with pending ops are not touched).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "base/status.h"
#include "rgw/meta/bucket_service.h"
#include "rgw/services.h"

namespace kelp::admin {

struct ScanOptions {
  bool fix = false;
  int64_t min_age_seconds = 3600;
};

struct ScanResult {
  nlohmann::ordered_json report;
  bool problems = false;    // anything found
  bool unresolved = false;  // found and (with fix) not repaired
};

Result<ScanResult> ScanBucket(rgw::Services& services, const rgw::LoadedBucket& bucket,
                              const ScanOptions& options);

}  // namespace kelp::admin
