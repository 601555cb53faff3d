// Shared plumbing of the `rgw` class methods: reading/writing the shard
// header and entries through a ClsContext, the stats accounting and the
// bilog append, exactly as cls_rgw.cc does them.
#pragma once

#include <string>

#include "store/cls/cls.h"
#include "store/cls/rgw/keys.h"
#include "store/cls/rgw/ops.h"
#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw {

// Decodes a method input; a bad encoding is EINVAL on the OSD.
template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  Decoder d(in);
  Decode(d, *op);
  if (!d.ok()) return Status::Invalid("cannot decode input: " + d.status().message());
  return Status::OK();
}

template <typename T>
void EncodeOutput(const T& v, std::string* out) {
  if (out) *out = EncodeToString(v);
}

// An empty header reads as a default one (as upstream read_bucket_header).
Result<DirHeader> ReadHeader(ClsContext& ctx);
// write_bucket_header: bumps header->ver, then stores it.
Status WriteHeader(ClsContext& ctx, DirHeader* header);

// Reads and decodes one omap value; NotFound if absent, IOError if corrupt.
template <typename T>
Status ReadEntry(ClsContext& ctx, const std::string& key, T* entry) {
  auto v = ctx.OmapGet(key);
  if (!v.ok()) return v.status();
  Decoder d(*v);
  Decode(d, *entry);
  if (!d.ok()) return Status::IOError("corrupt index entry: " + d.status().message());
  return Status::OK();
}

template <typename T>
Status WriteEntry(ClsContext& ctx, const std::string& key, const T& entry) {
  return ctx.OmapSet(key, EncodeToString(entry));
}

// read_key_entry: the entry for `key`; a plain entry flagged VER_MARKER
// redirects to the instance key (with `special_delete_marker_name`, first to
// the "\0d" delete-marker variant of a null instance). Sets *idx.
Status ReadKeyEntry(ClsContext& ctx, const ObjKey& key, std::string* idx, DirEntry* entry,
                    bool special_delete_marker_name = false);

// Removes an existing entry's contribution from the header stats.
void UnaccountEntry(DirHeader& header, const DirEntry& entry);
// Adds meta's contribution to the header stats.
void AccountEntry(DirHeader& header, const DirEntryMeta& meta);

// log_index_operation: appends a bilog entry keyed by header ver, object
// version and subop; raises header->max_marker.
Status LogIndexOperation(ClsContext& ctx, const ObjKey& key, uint8_t op, const std::string& tag,
                         CephTime timestamp, const BucketEntryVer& ver, uint8_t state,
                         uint64_t index_ver, std::string* max_marker, uint16_t bilog_flags,
                         const std::string* owner, const std::string* owner_display_name,
                         const ZoneSet* zones_trace);

// Registration of each method group under class "rgw".
void RegisterIndexMethods(ClsRegistry& r);
void RegisterListMethods(ClsRegistry& r);
void RegisterObjMethods(ClsRegistry& r);
void RegisterOlhMethods(ClsRegistry& r);

}  // namespace kelp::store::cls::rgw
