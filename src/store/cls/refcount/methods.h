// Methods of class "refcount" (cls_refcount.cc): get, put, set, read.
// put of the last reference removes the object.
#pragma once

#include "store/cls/cls.h"

namespace kelp::store::cls::refcount {
void RegisterMethods(ClsRegistry& r);
}  // namespace kelp::store::cls::refcount
