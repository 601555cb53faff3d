// RGWObjManifest (rgw_obj_manifest.h): where the bytes of an S3 object live.
//
// A head object (the S3 key's RADOS object) holds the first `head_size` bytes;
// the rest is striped over tail objects named from `prefix` by rules:
//   regular object, stripe n>=1:  <marker>__shadow[:<inst>]_<prefix><n>
//   multipart part p, stripe 0:   <marker>__multipart_<prefix>.<p>
//   multipart part p, stripe s>0: <marker>__shadow_<prefix>.<p>_<s>
// ObjManifest::Iterator reproduces radosgw's obj_iterator (seek / ++), down to
// its integer quirks, because radosgw-admin prints begin/end iterators and
// because readers must find the same RADOS objects radosgw wrote.
//
//   ObjManifest m = ObjManifest::ForAtomicObject(head, rule, size, 4 << 20, 4 << 20,
//                                                ObjManifest::RandomTailPrefix());
//   for (const ManifestStripe& s : m.Stripes()) write s.size bytes to s.obj.GetOid()
//
// Values; thread-compatible. Iterators point into their manifest.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/status.h"
#include "rgw/types/common.h"

namespace kelp::rgw {

inline constexpr char kObjNsShadow[] = "shadow";
inline constexpr char kObjNsMultipart[] = "multipart";

// RGWObjManifestPart: ENC(2,2){rgw_obj loc, u64 loc_ofs, u64 size}.
struct ObjManifestPart {
  Obj loc;
  uint64_t loc_ofs = 0;
  uint64_t size = 0;
  friend bool operator==(const ObjManifestPart&, const ObjManifestPart&) = default;
};
void Encode(Encoder& e, const ObjManifestPart& v);
void Decode(Decoder& d, ObjManifestPart& v);

// RGWObjManifestRule: ENC(2,1){u32 start_part_num, u64 start_ofs, u64
// part_size (0 = unlimited), u64 stripe_max_size, override_prefix}.
struct ObjManifestRule {
  uint32_t start_part_num = 0;
  uint64_t start_ofs = 0;
  uint64_t part_size = 0;
  uint64_t stripe_max_size = 0;
  std::string override_prefix;
  friend bool operator==(const ObjManifestRule&, const ObjManifestRule&) = default;
};
void Encode(Encoder& e, const ObjManifestRule& v);
void Decode(Decoder& d, ObjManifestRule& v);

// rgw_bucket_placement.
struct BucketPlacement {
  PlacementRule placement_rule;
  Bucket bucket;
  friend bool operator==(const BucketPlacement&, const BucketPlacement&) = default;
};

// One RADOS object of an S3 object: bytes [ofs, ofs+size) of the S3 object
// are at offset loc_ofs of `obj`.
struct ManifestStripe {
  uint64_t ofs = 0;
  uint64_t size = 0;
  Obj obj;
  uint64_t loc_ofs = 0;
  PlacementRule placement_rule;
  bool is_head = false;
};

class ObjManifest {
 public:
  // RGWObjManifest: ENC(7,6); decodes LEGACY_32(7,2,2).
  bool explicit_objs = false;
  std::map<uint64_t, ObjManifestPart> objs;
  uint64_t obj_size = 0;
  Obj obj;  // the head
  uint64_t head_size = 0;
  PlacementRule head_placement_rule;
  uint64_t max_head_size = 0;
  std::string prefix;
  BucketPlacement tail_placement;
  std::map<uint64_t, ObjManifestRule> rules;
  std::string tail_instance;

  // set_trivial_rule: rules[0] = {0, head_max, 0, stripe_max}.
  void SetTrivialRule(uint64_t head_max, uint64_t stripe_max);
  // set_multipart_part_rule: rules[0] = {part_num, 0, 0, stripe_max}, no head.
  void SetMultipartPartRule(uint64_t stripe_max, uint32_t part_num);

  // "." + 32 random alphanumerics + "_" (generator::create_begin).
  static std::string RandomTailPrefix();
  // The manifest AtomicObjectProcessor leaves for a fully written object of
  // `size` bytes: trivial rule, head holds min(size, head_max) bytes, tail
  // in the head's bucket and placement, tail instance = the head's instance.
  static ObjManifest ForAtomicObject(const Obj& head, const PlacementRule& placement,
                                     uint64_t size, uint64_t head_max, uint64_t stripe_max,
                                     std::string prefix);
  // The manifest MultipartObjectProcessor writes for part `part_num` of
  // `size` bytes: obj = the target S3 object, prefix "<key>.<upload id>"
  // (or "<key>.<random>" after a collision), no head data.
  static ObjManifest ForMultipartPart(const Obj& target, const PlacementRule& placement,
                                      std::string part_prefix, uint32_t part_num, uint64_t size,
                                      uint64_t stripe_max);

  // RGWObjManifest::append for multipart completion: merges consecutive
  // parts of equal size into one rule, otherwise adds rules (switching to an
  // explicit object list when either side is explicit).
  Status Append(const ObjManifest& part);

  // get_implicit_location: the object holding stripe `stripe` of part
  // `part_id` (part 0 = a regular object; ofs < max_head_size = the head).
  Obj ImplicitLocation(uint64_t part_id, uint64_t stripe, uint64_t ofs,
                       const std::string& override_prefix = {}) const;

  // Every RADOS object holding data, in offset order (obj_iterator from
  // begin to end). A head with no data (empty or multipart objects) is not
  // listed. Sizes add up to obj_size.
  std::vector<ManifestStripe> Stripes() const;
  bool HasTail() const;

  // obj_iterator.
  class Iterator {
   public:
    explicit Iterator(const ObjManifest* m, uint64_t ofs = 0)
        : m_(m),
          rule_iter_(m->rules.end()),
          next_rule_iter_(m->rules.end()),
          explicit_iter_(m->objs.end()) {
      Seek(ofs);
    }
    void Seek(uint64_t ofs);
    void Next();  // operator++
    bool operator==(const Iterator& o) const { return ofs_ == o.ofs_; }

    uint64_t ofs() const { return ofs_; }
    uint64_t stripe_ofs() const;
    uint64_t stripe_size() const;
    uint64_t location_ofs() const;
    int cur_part_id() const { return cur_part_id_; }
    int cur_stripe() const { return cur_stripe_; }
    const Obj& location() const { return location_; }
    const PlacementRule& location_placement() const { return location_rule_; }
    nlohmann::json ToJson() const;

   private:
    void UpdateLocation();
    void UpdateExplicitPos();

    const ObjManifest* m_;
    uint64_t part_ofs_ = 0;
    uint64_t stripe_ofs_ = 0;
    uint64_t ofs_ = 0;
    uint64_t stripe_size_ = 0;
    int cur_part_id_ = 0;
    int cur_stripe_ = 0;
    std::string cur_override_prefix_;
    Obj location_;
    PlacementRule location_rule_;
    std::map<uint64_t, ObjManifestRule>::const_iterator rule_iter_;
    std::map<uint64_t, ObjManifestRule>::const_iterator next_rule_iter_;
    std::map<uint64_t, ObjManifestPart>::const_iterator explicit_iter_;
  };
  Iterator Begin() const { return Iterator(this, 0); }
  Iterator End() const { return Iterator(this, obj_size); }

 private:
  void ConvertToExplicit();
  void AppendRules(const ObjManifest& m, std::map<uint64_t, ObjManifestRule>::const_iterator it,
                   const std::string* override_prefix);
};

void Encode(Encoder& e, const ObjManifest& v);
void Decode(Decoder& d, ObjManifest& v);
bool operator==(const ObjManifest& a, const ObjManifest& b);

// The "manifest" object of `radosgw-admin object stat`.
nlohmann::json ToJson(const ObjManifest& v);

}  // namespace kelp::rgw
