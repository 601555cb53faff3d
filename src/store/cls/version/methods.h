// Methods of class "version": set, inc, inc_conds, read, check_conds.
#pragma once

#include "store/cls/cls.h"

namespace kelp::store::cls::version {
void RegisterMethods(ClsRegistry& r);
}  // namespace kelp::store::cls::version
