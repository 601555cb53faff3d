// Ceph's string hashes as radosgw uses them for placement decisions.
#pragma once

#include <cstdint>
#include <string_view>

namespace kelp {

// ceph_str_hash_linux (src/common/ceph_hash.cc): the Linux dcache hash,
// truncated to 32 bits.
uint32_t CephStrHashLinux(std::string_view s);

// Bucket-index shard of an object key (rgw_bucket_shard_index +
// rgw_shards_mod): hash, mix the low byte into the top, then
// `% 7877 % n` (or `% 65521 % n` above 7877 shards). n == 0 means an
// unsharded index and yields 0.
uint32_t BucketIndexShard(std::string_view key, uint32_t num_shards);

}  // namespace kelp
