#include "base/ceph_hash.h"

namespace kelp {

uint32_t CephStrHashLinux(std::string_view s) {
  uint32_t hash = 0;
  for (unsigned char c : s) {
    hash = (hash + (c << 4) + (c >> 4)) * 11;
  }
  return hash;
}

uint32_t BucketIndexShard(std::string_view key, uint32_t num_shards) {
  if (num_shards == 0) return 0;
  uint32_t h = CephStrHashLinux(key);
  h ^= (h & 0xFF) << 24;
  uint32_t mod = num_shards <= 7877 ? 7877 : 65521;
  return (h % mod) % num_shards;
}

}  // namespace kelp
