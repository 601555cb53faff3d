// cls_lock (src/cls/lock): advisory object locks kept in xattr
// "lock.<name>" as lock_info_t. radosgw takes them on log-pool shards
// (gc_process, lc_process, reshard_process) and notification queues.
// Ceph-exact encodings (entity_addr_t in its msgr2 "ADDR2" form).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <string>

#include "base/encoding.h"

namespace kelp::store::cls::lock {

inline std::string LockXattr(const std::string& name) { return "lock." + name; }

// ClsLockType
enum LockType : uint8_t {
  kLockNone = 0,
  kLockExclusive = 1,
  kLockShared = 2,
  kLockExclusiveEphemeral = 3,  // object removed on unlock
};
inline bool IsExclusive(uint8_t t) { return t == kLockExclusive || t == kLockExclusiveEphemeral; }

inline constexpr uint8_t kFlagMayRenew = 0x1;
inline constexpr uint8_t kFlagMustRenew = 0x2;

// entity_name_t: u8 type + s64 num, no envelope.
struct EntityName {
  uint8_t type = 8;  // CEPH_ENTITY_TYPE_CLIENT
  int64_t num = 0;
  friend auto operator<=>(const EntityName&, const EntityName&) = default;
};

// entity_addr_t: u8 1, ENC(1,1){u32 type, u32 nonce, u32 len, sockaddr}.
// Old (pre-ADDR2) encodings start with u32 0 and are read, not written.
struct EntityAddr {
  uint32_t type = 1;  // TYPE_LEGACY, as cls_lock stores it
  uint32_t nonce = 0;
  std::string sockaddr;  // family (le16) + sa_data bytes; "" = none
  friend bool operator==(const EntityAddr&, const EntityAddr&) = default;
};

// locker_id_t ENC(1,1){entity_name_t locker, str cookie}
struct LockerId {
  EntityName locker;
  std::string cookie;
  friend auto operator<=>(const LockerId&, const LockerId&) = default;
};

// locker_info_t ENC(1,1){utime_t expiration, entity_addr_t addr, str description}
struct LockerInfo {
  CephTime expiration;  // zero = never
  EntityAddr addr;
  std::string description;
  friend bool operator==(const LockerInfo&, const LockerInfo&) = default;
};

// lock_info_t ENC(1,1){map<locker_id_t, locker_info_t>, u8 lock_type, str tag}
struct LockInfo {
  std::map<LockerId, LockerInfo> lockers;
  uint8_t lock_type = kLockNone;
  std::string tag;
  friend bool operator==(const LockInfo&, const LockInfo&) = default;
};

// Method inputs/outputs (cls_lock_ops.h).
struct LockOp {
  std::string name;
  uint8_t type = kLockNone;
  std::string cookie;
  std::string tag;
  std::string description;
  CephTime duration;  // utime_t; zero = no expiry
  uint8_t flags = 0;
};
struct UnlockOp {
  std::string name;
  std::string cookie;
};
struct BreakOp {
  std::string name;
  EntityName locker;
  std::string cookie;
};
struct GetInfoOp {
  std::string name;
};
using GetInfoRet = LockInfo;  // cls_lock_get_info_reply: same fields and envelope
struct AssertOp {
  std::string name;
  uint8_t type = kLockNone;
  std::string cookie;
  std::string tag;
};
struct ListLocksRet {
  std::list<std::string> locks;
};

#define KELP_CLS_LOCK_CODEC(T)         \
  void Encode(Encoder& e, const T& v); \
  void Decode(Decoder& d, T& v);
KELP_CLS_LOCK_CODEC(EntityName)
KELP_CLS_LOCK_CODEC(EntityAddr)
KELP_CLS_LOCK_CODEC(LockerId)
KELP_CLS_LOCK_CODEC(LockerInfo)
KELP_CLS_LOCK_CODEC(LockInfo)
KELP_CLS_LOCK_CODEC(LockOp)
KELP_CLS_LOCK_CODEC(UnlockOp)
KELP_CLS_LOCK_CODEC(BreakOp)
KELP_CLS_LOCK_CODEC(GetInfoOp)
KELP_CLS_LOCK_CODEC(AssertOp)
KELP_CLS_LOCK_CODEC(ListLocksRet)
#undef KELP_CLS_LOCK_CODEC

}  // namespace kelp::store::cls::lock
