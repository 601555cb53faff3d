// Basic radosgw 16.2 identifiers and their Ceph encodings: rgw_user, rgw_pool,
// rgw_bucket, rgw_obj_key, rgw_obj, rgw_placement_rule, RGWQuotaInfo.
//
// Encoders emit exactly what radosgw 16.2.15 writes; decoders accept the
// older envelopes radosgw still reads (DECODE_START_LEGACY_COMPAT_LEN). The
// ToJson functions reproduce radosgw-admin's dump() of the same struct.
//
// The naming rules (GetOid, GetLocator, GetIndexKeyName, ParseRawOid) decide
// which RADOS object and which bucket-index key an S3 object lives under, so
// they must match radosgw byte for byte:
//
//   Obj o{bucket, ObjKey{"_foo"}};
//   o.GetOid();      // "<marker>___foo"
//   o.GetLocator();  // "<marker>__foo"
//
// All types are plain values; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/encoding.h"

namespace kelp::rgw {

// utime_t's JSON form as radosgw-admin prints it: "2026-11-23T01:24:11.202168Z"
// (UTC, microseconds, truncated).
std::string FormatTime(const CephTime& t);
// Inverse of FormatTime (also accepts no fraction); false on bad input.
bool ParseTime(std::string_view s, CephTime* t);

// rgw_user: ENC(2,1){tenant, id, ns}.
struct User {
  std::string tenant;
  std::string id;
  std::string ns;

  bool empty() const { return id.empty(); }
  // rgw_user::to_str: "tenant$ns$id", "tenant$id", "$ns$id" or "id".
  std::string ToString() const;
  // rgw_user::from_str: "a$b$c" -> {a, c, ns b}; "a$b" -> {a, b}; "a" -> {"", a}.
  static User FromString(std::string_view s);

  friend bool operator==(const User&, const User&) = default;
  friend auto operator<=>(const User&, const User&) = default;
};
void Encode(Encoder& e, const User& v);
void Decode(Decoder& d, User& v);

// rgw_pool: ENC(10,10){name, ns}; text form "name[:ns]" with ':' and '\'
// escaped by '\' (rgw_pool::to_str).
struct Pool {
  std::string name;
  std::string ns;

  bool empty() const { return name.empty(); }
  std::string ToString() const;
  static Pool FromString(std::string_view s);
  friend bool operator==(const Pool&, const Pool&) = default;
};
void Encode(Encoder& e, const Pool& v);
void Decode(Decoder& d, Pool& v);

// rgw_data_placement_target (a bucket's explicit placement; normally empty).
struct DataPlacementTarget {
  Pool data_pool;
  Pool data_extra_pool;
  Pool index_pool;
  friend bool operator==(const DataPlacementTarget&, const DataPlacementTarget&) = default;
};

// rgw_bucket: ENC(10,10){name, marker, bucket_id, tenant, bool explicit, [pools]}.
struct Bucket {
  std::string tenant;
  std::string name;
  std::string marker;
  std::string bucket_id;
  DataPlacementTarget explicit_placement;

  // rgw_bucket::get_key(): "tenant/name" or "name" (no bucket id).
  std::string GetKey() const;
  // rgw_bucket::get_key('/', ':'): "[tenant/]name:bucket_id" (bucket.instance
  // metadata key).
  std::string GetInstanceKey() const;
  friend bool operator==(const Bucket&, const Bucket&) = default;
};
void Encode(Encoder& e, const Bucket& v);
void Decode(Decoder& d, Bucket& v);

// rgw_obj_key: ENC(2,1){name, instance, ns}.
struct ObjKey {
  std::string name;
  std::string instance;
  std::string ns;

  // An instance of "null" names the null version and is not encoded.
  bool NeedToEncodeInstance() const { return !instance.empty() && instance != "null"; }
  // rgw_obj_key::get_oid: "name" ("_name" when name starts with '_') or
  // "_ns[:instance]_name".
  std::string GetOid() const;
  // rgw_obj_key::get_index_key_name: like GetOid but never with the instance.
  std::string GetIndexKeyName() const;
  // rgw_obj_key::get_loc: the legacy locator (name when it starts with '_'
  // and there is no namespace, else "").
  std::string GetLoc() const;
  // rgw_obj_key::parse_raw_oid (the oid without the bucket marker).
  static bool ParseRawOid(const std::string& oid, ObjKey* key);

  friend bool operator==(const ObjKey&, const ObjKey&) = default;
};
void Encode(Encoder& e, const ObjKey& v);
void Decode(Decoder& d, ObjKey& v);

// rgw_obj: ENC(6,6){bucket, key.ns, key.name, key.instance}.
struct Obj {
  Bucket bucket;
  ObjKey key;

  // prepend_bucket_marker(marker, key.get_oid()).
  std::string GetOid() const;
  // The RADOS locator radosgw sets: marker + "_" + name for names starting
  // with '_' and no namespace, otherwise "" (no locator).
  std::string GetLocator() const;
  friend bool operator==(const Obj&, const Obj&) = default;
};
void Encode(Encoder& e, const Obj& v);
void Decode(Decoder& d, Obj& v);

// rgw_placement_rule, encoded as the plain string "name[/storage_class]"
// (a STANDARD or empty storage class is omitted).
struct PlacementRule {
  std::string name;
  std::string storage_class;

  bool empty() const { return name.empty() && storage_class.empty(); }
  std::string ToString() const;
  static PlacementRule FromString(std::string_view s);
  friend bool operator==(const PlacementRule&, const PlacementRule&) = default;
};
void Encode(Encoder& e, const PlacementRule& v);
void Decode(Decoder& d, PlacementRule& v);

// RGWQuotaInfo: ENC(3,1){s64 max_size_kb, s64 max_objects, bool enabled,
// s64 max_size, bool check_on_raw}.
struct QuotaInfo {
  int64_t max_size = -1;
  int64_t max_objects = -1;
  bool enabled = false;
  bool check_on_raw = false;
  friend bool operator==(const QuotaInfo&, const QuotaInfo&) = default;
};
void Encode(Encoder& e, const QuotaInfo& v);
void Decode(Decoder& d, QuotaInfo& v);

// rgw_rounded_kb.
inline int64_t RoundedKb(int64_t bytes) { return (bytes + 1023) / 1024; }

nlohmann::json ToJson(const User& v);  // the string form
nlohmann::json ToJson(const Pool& v);  // the string form
nlohmann::json ToJson(const Bucket& v);
nlohmann::json ToJson(const ObjKey& v);
nlohmann::json ToJson(const Obj& v);
nlohmann::json ToJson(const QuotaInfo& v);

// radosgw-admin prints C++ bools dumped through encode_json as the strings
// "true"/"false" (and Formatter::dump_bool ones as JSON booleans).
inline nlohmann::json JsonBoolString(bool b) { return b ? "true" : "false"; }

}  // namespace kelp::rgw
