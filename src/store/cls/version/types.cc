#include "store/cls/version/types.h"

namespace kelp::store::cls::version {

void Encode(Encoder& e, const ObjVersion& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.ver);
    Encode(e, v.tag);
  });
}
void Decode(Decoder& d, ObjVersion& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.ver);
    Decode(d, v.tag);
  });
}

void Encode(Encoder& e, const ObjVersionCond& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.ver);
    Encode(e, v.cond);
  });
}
void Decode(Decoder& d, ObjVersionCond& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.ver);
    Decode(d, v.cond);
  });
}

void Encode(Encoder& e, const SetOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.objv); });
}
void Decode(Decoder& d, SetOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.objv); });
}

void Encode(Encoder& e, const IncOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.objv);
    Encode(e, v.conds);
  });
}
void Decode(Decoder& d, IncOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.objv);
    Decode(d, v.conds);
  });
}

void Encode(Encoder& e, const CheckOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.objv);
    Encode(e, v.conds);
  });
}
void Decode(Decoder& d, CheckOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.objv);
    Decode(d, v.conds);
  });
}

void Encode(Encoder& e, const ReadRet& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.objv); });
}
void Decode(Decoder& d, ReadRet& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.objv); });
}

bool CheckConds(const ObjVersion& cur, const std::list<ObjVersionCond>& conds) {
  for (const auto& c : conds) {
    const ObjVersion& v = c.ver;
    switch (c.cond) {
      case kCondEq:
        if (!(cur.ver == v.ver && cur.tag == v.tag)) return false;
        break;
      case kCondGt:
        if (!(cur.ver > v.ver)) return false;
        break;
      case kCondGe:
        if (!(cur.ver >= v.ver)) return false;
        break;
      case kCondLt:
        if (!(cur.ver < v.ver)) return false;
        break;
      case kCondLe:
        if (!(cur.ver <= v.ver)) return false;
        break;
      case kCondTagEq:
        if (cur.tag != v.tag) return false;
        break;
      case kCondTagNe:
        if (cur.tag == v.tag) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

}  // namespace kelp::store::cls::version
