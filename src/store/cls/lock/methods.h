// Methods of class "lock" (cls_lock.cc): lock, unlock, break_lock,
// get_info, assert_locked, list_locks.
//
// A locker is identified by (entity name, cookie). ClsContext does not
// carry the caller's entity, so every caller is the same client entity
// (client.0) and lockers differ by cookie, which radosgw always randomizes.
#pragma once

#include "store/cls/cls.h"

namespace kelp::store::cls::lock {
void RegisterMethods(ClsRegistry& r);
}  // namespace kelp::store::cls::lock
