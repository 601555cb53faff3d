#include "base/encoding.h"

#include <chrono>

namespace kelp {

CephTime CephTime::Now() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return CephTime{static_cast<uint32_t>(ns / 1000000000),
                  static_cast<uint32_t>(ns % 1000000000)};
}

// cls_rgw_types.h encode_packed_val: values >= 0x80 get a marker byte
// 0x80|width. Note the upstream boundary quirk: 0x10000 takes the u16 branch
// (v <= 0x10000) and truncates to 0; we reproduce it for byte equality.
void EncodePacked(Encoder& e, uint64_t v) {
  if (v < 0x80) {
    e.U8(static_cast<uint8_t>(v));
  } else if (v < 0x100) {
    e.U8(0x81);
    e.U8(static_cast<uint8_t>(v));
  } else if (v <= 0x10000) {
    e.U8(0x82);
    e.U16(static_cast<uint16_t>(v));
  } else if (v <= 0x1000000) {
    e.U8(0x84);
    e.U32(static_cast<uint32_t>(v));
  } else {
    e.U8(0x88);
    e.U64(v);
  }
}

uint64_t DecodePacked(Decoder& d) {
  uint8_t c = d.U8();
  if (c < 0x80) return c;
  switch (c & 0x0f) {
    case 1: return d.U8();
    case 2: return d.U16();
    case 4: return d.U32();
    case 8: return d.U64();
  }
  d.Fail("bad packed integer marker");
  return 0;
}

}  // namespace kelp
