// cls_user (src/cls/user): the per-user bucket list kept in the omap of
// `users.uid/<uid>.buckets` (key = bucket name, value = BucketEntry; omap
// header = UserHeader). Ceph-exact encodings; legacy versions decode.
#pragma once

#include <cstdint>
#include <list>
#include <string>

#include "base/encoding.h"

namespace kelp::store::cls::user {

// cls_user_bucket. Two encodings: ENC(9,8){name, marker, bucket_id,
// placement_id} when placement_id is set, else (what radosgw writes)
// ENC(7,3){name, data_pool, marker, bucket_id, index_pool, data_extra_pool}.
struct UserBucket {
  std::string name;
  std::string marker;
  std::string bucket_id;
  std::string placement_id;
  std::string data_pool;  // explicit placement, normally ""
  std::string index_pool;
  std::string data_extra_pool;
  friend bool operator==(const UserBucket&, const UserBucket&) = default;
};

// cls_user_bucket_entry ENC(9,5)
struct BucketEntry {
  UserBucket bucket;
  uint64_t size = 0;
  uint64_t size_rounded = 0;
  CephTime creation_time;  // also written as a u32 time_t
  uint64_t count = 0;
  bool user_stats_sync = false;
  friend bool operator==(const BucketEntry&, const BucketEntry&) = default;
};

// cls_user_stats ENC(1,1)
struct UserStats {
  uint64_t total_entries = 0;
  uint64_t total_bytes = 0;
  uint64_t total_bytes_rounded = 0;
  friend bool operator==(const UserStats&, const UserStats&) = default;
};

// cls_user_header ENC(1,1)
struct UserHeader {
  UserStats stats;
  CephTime last_stats_sync;
  CephTime last_stats_update;
  friend bool operator==(const UserHeader&, const UserHeader&) = default;
};

// Method inputs/outputs (cls_user_ops.h).
struct SetBucketsOp {  // set_buckets_info
  std::list<BucketEntry> entries;
  bool add = false;
  CephTime time;
};
struct RemoveBucketOp {  // remove_bucket (only bucket.name is used)
  UserBucket bucket;
};
struct ListBucketsOp {  // list_buckets ENC(2,1)
  std::string marker;
  int32_t max_entries = 0;
  std::string end_marker;
};
struct ListBucketsRet {
  std::list<BucketEntry> entries;
  std::string marker;
  bool truncated = false;
};
struct GetHeaderOp {};
struct GetHeaderRet {
  UserHeader header;
};
struct ResetStatsOp {  // reset_user_stats
  CephTime time;
};
struct CompleteStatsSyncOp {  // complete_stats_sync
  CephTime time;
};

#define KELP_CLS_USER_CODEC(T)         \
  void Encode(Encoder& e, const T& v); \
  void Decode(Decoder& d, T& v);
KELP_CLS_USER_CODEC(UserBucket)
KELP_CLS_USER_CODEC(BucketEntry)
KELP_CLS_USER_CODEC(UserStats)
KELP_CLS_USER_CODEC(UserHeader)
KELP_CLS_USER_CODEC(SetBucketsOp)
KELP_CLS_USER_CODEC(RemoveBucketOp)
KELP_CLS_USER_CODEC(ListBucketsOp)
KELP_CLS_USER_CODEC(ListBucketsRet)
KELP_CLS_USER_CODEC(GetHeaderOp)
KELP_CLS_USER_CODEC(GetHeaderRet)
KELP_CLS_USER_CODEC(ResetStatsOp)
KELP_CLS_USER_CODEC(CompleteStatsSyncOp)
#undef KELP_CLS_USER_CODEC

}  // namespace kelp::store::cls::user
