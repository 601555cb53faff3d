#include <gtest/gtest.h>

#include "store/cls/lock/types.h"
#include "store/cls/testing/fixtures.h"
#include "store/cls/testing/mem_context.h"

namespace kelp::store::cls::lock {
namespace {

using testing::Exec;
using testing::MemObject;

const CephTime kT0{1700000000, 0};

Status DoLock(MemObject& o, const std::string& cookie, uint8_t type = kLockExclusive,
              uint8_t flags = 0, CephTime now = kT0, CephTime duration = {}) {
  LockOp op;
  op.name = "gc_process";
  op.type = type;
  op.cookie = cookie;
  op.description = "desc";
  op.duration = duration;
  op.flags = flags;
  return Exec(o, "lock", "lock", EncodeToString(op), nullptr, now);
}

LockInfo Info(MemObject& o, CephTime now = kT0) {
  std::string out;
  EXPECT_TRUE(Exec(o, "lock", "get_info", EncodeToString(GetInfoOp{"gc_process"}), &out, now)
                  .ok());
  LockInfo i;
  EXPECT_TRUE(DecodeFromString(out, i).ok());
  return i;
}

TEST(ClsLock, ExclusiveLockRenewUnlock) {
  MemObject o;
  ASSERT_TRUE(DoLock(o, "c1").ok());
  EXPECT_TRUE(o.exists);
  EXPECT_EQ(DoLock(o, "c1").code(), Code::kExists);
  EXPECT_EQ(DoLock(o, "c2").code(), Code::kBusy);
  EXPECT_TRUE(DoLock(o, "c1", kLockExclusive, kFlagMayRenew).ok());
  EXPECT_EQ(DoLock(o, "c2", kLockExclusive, kFlagMustRenew).code(), Code::kNotFound);
  EXPECT_EQ(DoLock(o, "c1", kLockExclusive, kFlagMayRenew | kFlagMustRenew).code(),
            Code::kInvalid);
  LockInfo i = Info(o);
  ASSERT_EQ(i.lockers.size(), 1u);
  EXPECT_EQ(i.lockers.begin()->first.cookie, "c1");
  EXPECT_EQ(i.lockers.begin()->second.description, "desc");

  AssertOp a{"gc_process", kLockExclusive, "c1", ""};
  EXPECT_TRUE(Exec(o, "lock", "assert_locked", EncodeToString(a)).ok());
  a.cookie = "c2";
  EXPECT_EQ(Exec(o, "lock", "assert_locked", EncodeToString(a)).code(), Code::kBusy);

  EXPECT_TRUE(Exec(o, "lock", "unlock", EncodeToString(UnlockOp{"gc_process", "c1"})).ok());
  EXPECT_TRUE(Exec(o, "lock", "unlock", EncodeToString(UnlockOp{"gc_process", "c1"}))
                  .IsNotFound());
  // The state radosgw leaves after unlocking: no lockers, type kept.
  EXPECT_EQ(testing::HexEncode(o.xattrs.at("lock.gc_process")),
            "010109000000000000000100000000");
  EXPECT_TRUE(DoLock(o, "c2").ok());
}

TEST(ClsLock, SharedLockersAndExpiry) {
  MemObject o;
  ASSERT_TRUE(DoLock(o, "s1", kLockShared).ok());
  ASSERT_TRUE(DoLock(o, "s2", kLockShared).ok());
  EXPECT_EQ(DoLock(o, "x", kLockExclusive).code(), Code::kBusy);
  EXPECT_EQ(Info(o).lockers.size(), 2u);
  BreakOp b{"gc_process", EntityName{}, "s1"};
  ASSERT_TRUE(Exec(o, "lock", "break_lock", EncodeToString(b)).ok());
  EXPECT_EQ(Info(o).lockers.size(), 1u);

  MemObject e;
  ASSERT_TRUE(DoLock(e, "c1", kLockExclusive, 0, kT0, CephTime{60, 0}).ok());
  EXPECT_EQ(Info(e).lockers.begin()->second.expiration, (CephTime{kT0.sec + 60, 0}));
  EXPECT_EQ(DoLock(e, "c2", kLockExclusive, 0, CephTime{kT0.sec + 30, 0}).code(), Code::kBusy);
  EXPECT_TRUE(DoLock(e, "c2", kLockExclusive, 0, CephTime{kT0.sec + 61, 0}).ok());
}

TEST(ClsLock, EphemeralUnlockRemovesObject) {
  MemObject o;
  ASSERT_TRUE(DoLock(o, "c", kLockExclusiveEphemeral).ok());
  ASSERT_TRUE(Exec(o, "lock", "unlock", EncodeToString(UnlockOp{"gc_process", "c"})).ok());
  EXPECT_FALSE(o.exists);
}

TEST(ClsLock, EntityAddrAndLockInfoRoundTrip) {
  LockInfo i;
  LockerInfo li;
  li.expiration = {5, 6};
  li.addr.nonce = 77;
  li.addr.sockaddr = std::string("\x02\x00\x1a\x85\x7f\x00\x00\x01", 8) + std::string(8, '\0');
  li.description = "d";
  i.lockers[LockerId{EntityName{8, 4242}, "cookie"}] = li;
  i.lock_type = kLockShared;
  i.tag = "t";
  std::string bytes = EncodeToString(i);
  LockInfo back;
  ASSERT_TRUE(DecodeFromString(bytes, back).ok());
  EXPECT_EQ(back, i);
}

TEST(ClsLockGolden, LockXattrsRoundTrip) {
  size_t n = 0;
  for (const auto& o : testing::LoadAllObjects()) {
    for (const auto& [name, value] : o.xattrs) {
      if (name.rfind("lock.", 0) != 0) continue;
      LockInfo i;
      ASSERT_TRUE(DecodeFromString(value, i).ok()) << o.oid << " " << name;
      EXPECT_EQ(EncodeToString(i), value) << o.oid << " " << name;
      EXPECT_NE(i.lock_type, kLockNone);
      ++n;
    }
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace kelp::store::cls::lock
