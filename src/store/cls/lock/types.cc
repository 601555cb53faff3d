#include "store/cls/lock/types.h"

namespace kelp::store::cls::lock {

void Encode(Encoder& e, const EntityName& v) {
  e.U8(v.type);
  e.Fixed(v.num);
}
void Decode(Decoder& d, EntityName& v) {
  v.type = d.U8();
  v.num = d.Fixed<int64_t>();
}

void Encode(Encoder& e, const EntityAddr& v) {
  e.U8(1);  // ADDR2 marker
  e.Versioned(1, 1, [&] {
    e.U32(v.type);
    e.U32(v.nonce);
    e.Str(v.sockaddr);
  });
}
void Decode(Decoder& d, EntityAddr& v) {
  uint8_t marker = d.U8();
  if (marker == 1) {
    d.Versioned(1, [&](uint8_t) {
      v.type = d.U32();
      v.nonce = d.U32();
      v.sockaddr = d.Str();
    });
  } else if (marker == 0) {
    // Legacy: u32 0 (marker included), u32 nonce, 128-byte sockaddr_storage.
    d.Skip(3);
    v.type = 1;
    v.nonce = d.U32();
    v.sockaddr = std::string(d.Take(128));
  } else {
    d.Fail("bad entity_addr_t marker");
  }
}

void Encode(Encoder& e, const LockerId& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.locker);
    Encode(e, v.cookie);
  });
}
void Decode(Decoder& d, LockerId& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.locker);
    Decode(d, v.cookie);
  });
}

void Encode(Encoder& e, const LockerInfo& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.expiration);
    Encode(e, v.addr);
    Encode(e, v.description);
  });
}
void Decode(Decoder& d, LockerInfo& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.expiration);
    Decode(d, v.addr);
    Decode(d, v.description);
  });
}

void Encode(Encoder& e, const LockInfo& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.lockers);
    Encode(e, v.lock_type);
    Encode(e, v.tag);
  });
}
void Decode(Decoder& d, LockInfo& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.lockers);
    Decode(d, v.lock_type);
    Decode(d, v.tag);
  });
}

void Encode(Encoder& e, const LockOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.type);
    Encode(e, v.cookie);
    Encode(e, v.tag);
    Encode(e, v.description);
    Encode(e, v.duration);
    Encode(e, v.flags);
  });
}
void Decode(Decoder& d, LockOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.type);
    Decode(d, v.cookie);
    Decode(d, v.tag);
    Decode(d, v.description);
    Decode(d, v.duration);
    Decode(d, v.flags);
  });
}

void Encode(Encoder& e, const UnlockOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.cookie);
  });
}
void Decode(Decoder& d, UnlockOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.cookie);
  });
}

void Encode(Encoder& e, const BreakOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.locker);
    Encode(e, v.cookie);
  });
}
void Decode(Decoder& d, BreakOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.locker);
    Decode(d, v.cookie);
  });
}

void Encode(Encoder& e, const GetInfoOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.name); });
}
void Decode(Decoder& d, GetInfoOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.name); });
}

void Encode(Encoder& e, const AssertOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.type);
    Encode(e, v.cookie);
    Encode(e, v.tag);
  });
}
void Decode(Decoder& d, AssertOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.type);
    Decode(d, v.cookie);
    Decode(d, v.tag);
  });
}

void Encode(Encoder& e, const ListLocksRet& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.locks); });
}
void Decode(Decoder& d, ListLocksRet& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.locks); });
}

}  // namespace kelp::store::cls::lock
