// RocksDB key schema of the embedded engine (one column family).
//
//   'M' name                  -> meta (u64 LE): next pool id, instance id,
//                                version ceiling
//   'P' pool name             -> pool id (u64 LE)
//   'O' objkey                -> ObjectRecord (the object exists iff present)
//   'D' objkey                -> inline data (size <= kInlineMax)
//   'X' objkey xattr-name     -> xattr value
//   'H' objkey                -> omap header
//   'K' objkey omap-key       -> omap value
//   'F' file id (u64 BE)      -> "" : data file DIR/data/<id> is referenced
//
// objkey = pool id (u64 BE) + Esc(ns) + Esc(oid) + Esc(locator), where Esc
// maps 0x00 to 00 FF and terminates with 00 01. Esc is order preserving and
// prefix free, so objects sort by (pool, ns, oid, locator) — a pool or a
// namespace is one contiguous range — and an object's omap keys form one
// contiguous range sorted by the omap key's bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/object_store.h"

namespace kelp::store::embedded {

inline constexpr uint64_t kInlineMax = 64 * 1024;

inline constexpr char kMetaPrefix = 'M';
inline constexpr char kPoolPrefix = 'P';
inline constexpr char kRecordPrefix = 'O';
inline constexpr char kInlinePrefix = 'D';
inline constexpr char kXattrPrefix = 'X';
inline constexpr char kHeaderPrefix = 'H';
inline constexpr char kOmapPrefix = 'K';
inline constexpr char kFilePrefix = 'F';

void AppendBE64(std::string* out, uint64_t v);
uint64_t ReadBE64(std::string_view s);  // s.size() >= 8
void AppendEscaped(std::string* out, std::string_view s);
// Parses one Esc() component from the front of *in; false if malformed.
bool ConsumeEscaped(std::string_view* in, std::string* out);

// Pool id + escaped ns (+ oid + locator).
std::string NamespaceKey(uint64_t pool_id, std::string_view ns);
std::string ObjectKey(uint64_t pool_id, const ObjectId& id);
// Decodes the ns/oid/locator of an objkey (pool id included).
bool ParseObjectKey(std::string_view objkey, ListEntry* out);

inline std::string Prefixed(char prefix, std::string_view rest) {
  std::string k(1, prefix);
  k.append(rest);
  return k;
}
std::string FileKey(uint64_t file_id);
std::string MetaKey(std::string_view name);

// Smallest key greater than every key starting with `prefix` ("" if none).
std::string PrefixEnd(std::string prefix);

struct ObjectRecord {
  enum class Loc : uint8_t { kNone = 0, kInline = 1, kFile = 2 };
  uint64_t size = 0;
  CephTime mtime;
  uint64_t version = 0;
  Loc loc = Loc::kNone;
  uint64_t file_id = 0;  // Loc::kFile
};
std::string EncodeRecord(const ObjectRecord& r);
Status DecodeRecord(std::string_view in, ObjectRecord* r);

}  // namespace kelp::store::embedded
