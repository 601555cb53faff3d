#include "store/cls/lock/methods.h"

#include "store/cls/lock/types.h"

namespace kelp::store::cls::lock {
namespace {

const EntityName kOrigin{};  // see methods.h

template <typename T>
Status DecodeInput(const std::string& in, T* op) {
  if (!DecodeFromString(in, *op).ok()) return Status::Invalid("cannot decode input");
  return Status::OK();
}

CephTime Add(CephTime a, CephTime b) {
  uint64_t ns = a.ToNanos() + b.ToNanos();
  return CephTime{static_cast<uint32_t>(ns / 1000000000), static_cast<uint32_t>(ns % 1000000000)};
}

// read_lock: a missing xattr is an unlocked lock; NotFound if the object is
// missing; expired lockers are dropped.
Status ReadLock(ClsContext& ctx, const std::string& name, LockInfo* info) {
  *info = LockInfo();
  if (!ctx.Exists()) return Status::NotFound("no such object");
  auto x = ctx.GetXattr(LockXattr(name));
  if (!x.ok()) return x.status().IsNotFound() ? Status::OK() : x.status();
  if (!DecodeFromString(*x, *info).ok()) return Status::IOError("corrupt lock " + name);
  CephTime now = ctx.Now();
  for (auto it = info->lockers.begin(); it != info->lockers.end();) {
    if (!it->second.expiration.IsZero() && it->second.expiration < now) {
      it = info->lockers.erase(it);
    } else {
      ++it;
    }
  }
  return Status::OK();
}

Status WriteLock(ClsContext& ctx, const std::string& name, const LockInfo& info) {
  return ctx.SetXattr(LockXattr(name), EncodeToString(info));
}

Status Lock(ClsContext& ctx, const std::string& in, std::string*) {
  LockOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  bool fail_if_exists = (op.flags & kFlagMayRenew) == 0;
  bool must_exist = (op.flags & kFlagMustRenew) != 0;
  if (op.type == kLockNone || op.name.empty()) return Status::Invalid("bad lock request");
  if (!fail_if_exists && must_exist) return Status::Invalid("MAY_RENEW with MUST_RENEW");
  LockInfo info;
  Status s = ReadLock(ctx, op.name, &info);
  if (!s.ok() && !s.IsNotFound()) return s;
  if (!info.lockers.empty() && op.tag != info.tag) return Status(Code::kBusy, "lock tag mismatch");
  LockerId id{kOrigin, op.cookie};
  auto it = info.lockers.find(id);
  if (it != info.lockers.end()) {
    if (fail_if_exists && !must_exist) return Status::Exists("lock already held");
    info.lockers.erase(it);  // renewal
  } else if (must_exist) {
    return Status::NotFound("lock not held");
  }
  if (!info.lockers.empty() && (IsExclusive(op.type) || info.lock_type != op.type)) {
    return Status(Code::kBusy, "lock held by another locker");
  }
  info.lock_type = op.type;
  info.tag = op.tag;
  LockerInfo li;
  if (!op.duration.IsZero()) li.expiration = Add(ctx.Now(), op.duration);
  li.description = op.description;
  info.lockers[id] = li;
  return WriteLock(ctx, op.name, info);
}

Status RemoveLocker(ClsContext& ctx, const std::string& name, const LockerId& id) {
  LockInfo info;
  if (Status s = ReadLock(ctx, name, &info); !s.ok()) return s;
  auto it = info.lockers.find(id);
  if (it == info.lockers.end()) return Status::NotFound("no such locker");
  info.lockers.erase(it);
  if (info.lock_type == kLockExclusiveEphemeral) return ctx.Remove();
  return WriteLock(ctx, name, info);
}

Status Unlock(ClsContext& ctx, const std::string& in, std::string*) {
  UnlockOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  return RemoveLocker(ctx, op.name, LockerId{kOrigin, op.cookie});
}

Status BreakLock(ClsContext& ctx, const std::string& in, std::string*) {
  BreakOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  return RemoveLocker(ctx, op.name, LockerId{op.locker, op.cookie});
}

Status GetInfo(ClsContext& ctx, const std::string& in, std::string* out) {
  GetInfoOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  LockInfo info;
  if (Status s = ReadLock(ctx, op.name, &info); !s.ok()) return s;
  if (out) *out = EncodeToString(info);
  return Status::OK();
}

// Busy unless the caller holds the lock with this type, tag and cookie.
Status AssertLocked(ClsContext& ctx, const std::string& in, std::string*) {
  AssertOp op;
  if (Status s = DecodeInput(in, &op); !s.ok()) return s;
  if (op.type == kLockNone || op.name.empty()) return Status::Invalid("bad assert request");
  LockInfo info;
  if (Status s = ReadLock(ctx, op.name, &info); !s.ok()) return s;
  if (info.lockers.empty() || info.lock_type != op.type || info.tag != op.tag ||
      !info.lockers.count(LockerId{kOrigin, op.cookie})) {
    return Status(Code::kBusy, "lock not held");
  }
  return Status::OK();
}

Status ListLocks(ClsContext& ctx, const std::string&, std::string* out) {
  auto attrs = ctx.GetXattrs();
  if (!attrs.ok()) return attrs.status();
  ListLocksRet ret;
  for (const auto& [k, v] : *attrs) {
    if (k.rfind("lock.", 0) == 0) ret.locks.push_back(k.substr(5));
  }
  if (out) *out = EncodeToString(ret);
  return Status::OK();
}

}  // namespace

void RegisterMethods(ClsRegistry& r) {
  r.Register("lock", "lock", Lock);
  r.Register("lock", "unlock", Unlock);
  r.Register("lock", "break_lock", BreakLock);
  r.Register("lock", "get_info", GetInfo);
  r.Register("lock", "assert_locked", AssertLocked);
  r.Register("lock", "list_locks", ListLocks);
}

}  // namespace kelp::store::cls::lock
