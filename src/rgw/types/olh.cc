#include "rgw/types/olh.h"

namespace kelp::rgw {

void Encode(Encoder& e, const OlhInfo& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.target);
    Encode(e, v.removed);
  });
}
void Decode(Decoder& d, OlhInfo& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.target);
    Decode(d, v.removed);
  });
}

nlohmann::json ToJson(const OlhInfo& v) { return {{"target", ToJson(v.target)}}; }

}  // namespace kelp::rgw
