// cls_refcount (src/cls/refcount): reference tags on shared tail objects
// (a server-side copy shares the source's tails), kept in xattr "refcount".
// An object without the xattr carries one implicit reference (tag "").
#pragma once

#include <list>
#include <map>
#include <set>
#include <string>

#include "base/encoding.h"

namespace kelp::store::cls::refcount {

inline constexpr char kRefcountXattr[] = "refcount";
inline const std::string kWildcardTag;  // the implicit reference

// obj_refcount ENC(2,1){map<str,bool> refs, set<str> retired_refs}
struct ObjRefcount {
  std::map<std::string, bool> refs;
  std::set<std::string> retired_refs;  // put tags, so a replayed put is a no-op
  friend bool operator==(const ObjRefcount&, const ObjRefcount&) = default;
};

// cls_refcount_get_op / _put_op ENC(1,1){tag, bool implicit_ref}
struct GetOp {
  std::string tag;
  bool implicit_ref = false;
};
using PutOp = GetOp;
// cls_refcount_set_op ENC(1,1){list<str> refs}
struct SetOp {
  std::list<std::string> refs;
};
// cls_refcount_read_op ENC(1,1){bool implicit_ref}; ret ENC(1,1){list<str> refs}
struct ReadOp {
  bool implicit_ref = false;
};
struct ReadRet {
  std::list<std::string> refs;
};

void Encode(Encoder& e, const ObjRefcount& v);
void Decode(Decoder& d, ObjRefcount& v);
void Encode(Encoder& e, const GetOp& v);
void Decode(Decoder& d, GetOp& v);
void Encode(Encoder& e, const SetOp& v);
void Decode(Decoder& d, SetOp& v);
void Encode(Encoder& e, const ReadOp& v);
void Decode(Decoder& d, ReadOp& v);
void Encode(Encoder& e, const ReadRet& v);
void Decode(Decoder& d, ReadRet& v);

}  // namespace kelp::store::cls::refcount
