// RGWOLHInfo (rgw_rados.h), the user.rgw.olh.info xattr of a versioned
// object's OLH ("object logical head"): which instance is current.
#pragma once

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "rgw/types/common.h"

namespace kelp::rgw {

// ENC(1,1){rgw_obj target, bool removed}.
struct OlhInfo {
  Obj target;
  bool removed = false;
  friend bool operator==(const OlhInfo&, const OlhInfo&) = default;
};
void Encode(Encoder& e, const OlhInfo& v);
void Decode(Decoder& d, OlhInfo& v);

nlohmann::json ToJson(const OlhInfo& v);  // {"target": ...} like RGWOLHInfo::dump

}  // namespace kelp::rgw
