// cls_version (src/cls/version): a per-object version {ver, tag} kept in
// xattr "ceph.objclass.version", used by radosgw to guard every metadata
// write (RGWObjVersionTracker). Encodings are Ceph-exact.
#pragma once

#include <cstdint>
#include <list>
#include <string>

#include "base/encoding.h"

namespace kelp::store::cls::version {

inline constexpr char kVersionXattr[] = "ceph.objclass.version";

// obj_version ENC(1,1){u64 ver, str tag}
struct ObjVersion {
  uint64_t ver = 0;
  std::string tag;
  friend bool operator==(const ObjVersion&, const ObjVersion&) = default;
};

// VersionCond
enum VersionCond : uint32_t {
  kCondNone = 0,
  kCondEq = 1,  // ver and tag equal
  kCondGt = 2,
  kCondGe = 3,
  kCondLt = 4,
  kCondLe = 5,
  kCondTagEq = 6,
  kCondTagNe = 7,
};

// obj_version_cond ENC(1,1){obj_version ver, u32 cond}
struct ObjVersionCond {
  ObjVersion ver;
  uint32_t cond = kCondNone;
};

// cls_version_set_op, cls_version_inc_op, cls_version_check_op,
// cls_version_read_ret
struct SetOp {
  ObjVersion objv;
};
// cls_version_inc_op: Ceph encodes an (unused) objv before the conditions.
struct IncOp {
  ObjVersion objv;
  std::list<ObjVersionCond> conds;
};
struct CheckOp {
  ObjVersion objv;
  std::list<ObjVersionCond> conds;
};
struct ReadRet {
  ObjVersion objv;
};

void Encode(Encoder& e, const ObjVersion& v);
void Decode(Decoder& d, ObjVersion& v);
void Encode(Encoder& e, const ObjVersionCond& v);
void Decode(Decoder& d, ObjVersionCond& v);
void Encode(Encoder& e, const SetOp& v);
void Decode(Decoder& d, SetOp& v);
void Encode(Encoder& e, const IncOp& v);
void Decode(Decoder& d, IncOp& v);
void Encode(Encoder& e, const CheckOp& v);
void Decode(Decoder& d, CheckOp& v);
void Encode(Encoder& e, const ReadRet& v);
void Decode(Decoder& d, ReadRet& v);

// True when `cur` satisfies every condition (check_conds; false means the
// method fails with Canceled, upstream -ECANCELED).
bool CheckConds(const ObjVersion& cur, const std::list<ObjVersionCond>& conds);

}  // namespace kelp::store::cls::version
