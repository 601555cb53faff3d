// Methods of class "user" (cls_user.cc, radosgw 16.2): set_buckets_info,
// remove_bucket, list_buckets, get_header, reset_user_stats,
// complete_stats_sync. reset_user_stats2 is not implemented.
#pragma once

#include "store/cls/cls.h"

namespace kelp::store::cls::user {
void RegisterMethods(ClsRegistry& r);
}  // namespace kelp::store::cls::user
