#include "store/cls/refcount/types.h"

namespace kelp::store::cls::refcount {

void Encode(Encoder& e, const ObjRefcount& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.refs);
    Encode(e, v.retired_refs);
  });
}
void Decode(Decoder& d, ObjRefcount& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.refs);
    if (sv >= 2) Decode(d, v.retired_refs);
  });
}

void Encode(Encoder& e, const GetOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.tag);
    Encode(e, v.implicit_ref);
  });
}
void Decode(Decoder& d, GetOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.tag);
    Decode(d, v.implicit_ref);
  });
}

void Encode(Encoder& e, const SetOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.refs); });
}
void Decode(Decoder& d, SetOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.refs); });
}

void Encode(Encoder& e, const ReadOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.implicit_ref); });
}
void Decode(Decoder& d, ReadOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.implicit_ref); });
}

void Encode(Encoder& e, const ReadRet& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.refs); });
}
void Decode(Decoder& d, ReadRet& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.refs); });
}

}  // namespace kelp::store::cls::refcount
