#include "store/cls/user/types.h"

#include <cstdio>

namespace kelp::store::cls::user {

void Encode(Encoder& e, const UserBucket& v) {
  // A newer encoding only when needed, so older radosgw can still read it.
  if (!v.placement_id.empty()) {
    e.Versioned(9, 8, [&] {
      Encode(e, v.name);
      Encode(e, v.marker);
      Encode(e, v.bucket_id);
      Encode(e, v.placement_id);
    });
  } else {
    e.Versioned(7, 3, [&] {
      Encode(e, v.name);
      Encode(e, v.data_pool);
      Encode(e, v.marker);
      Encode(e, v.bucket_id);
      Encode(e, v.index_pool);
      Encode(e, v.data_extra_pool);
    });
  }
}
void Decode(Decoder& d, UserBucket& v) {
  d.VersionedLegacy(9, 3, 3, [&](uint8_t sv) {
    Decode(d, v.name);
    if (sv < 8) Decode(d, v.data_pool);
    if (sv >= 2) {
      Decode(d, v.marker);
      if (sv <= 3) {
        v.bucket_id = std::to_string(d.U64());
      } else {
        Decode(d, v.bucket_id);
      }
    }
    if (sv < 8) {
      if (sv >= 5) {
        Decode(d, v.index_pool);
      } else {
        v.index_pool = v.data_pool;
      }
      if (sv >= 7) Decode(d, v.data_extra_pool);
    } else {
      Decode(d, v.placement_id);
      if (sv == 8 && v.placement_id.empty()) {
        Decode(d, v.data_pool);
        Decode(d, v.index_pool);
        Decode(d, v.data_extra_pool);
      }
    }
  });
}

void Encode(Encoder& e, const BucketEntry& v) {
  e.Versioned(9, 5, [&] {
    Encode(e, std::string());  // once the bucket name; kept empty upstream
    Encode(e, v.size);
    Encode(e, v.creation_time.sec);
    Encode(e, v.count);
    Encode(e, v.bucket);
    Encode(e, v.size_rounded);
    Encode(e, v.user_stats_sync);
    Encode(e, v.creation_time);
  });
}
void Decode(Decoder& d, BucketEntry& v) {
  d.VersionedLegacy(9, 5, 5, [&](uint8_t sv) {
    d.Str();
    uint64_t s = d.U64();
    uint32_t mt = d.U32();
    v.size = s;
    if (sv < 7) v.creation_time = CephTime{mt, 0};
    if (sv >= 2) Decode(d, v.count);
    if (sv >= 3) Decode(d, v.bucket);
    if (sv >= 4) s = d.U64();
    v.size_rounded = s;
    if (sv >= 6) Decode(d, v.user_stats_sync);
    if (sv >= 7) Decode(d, v.creation_time);
    if (sv == 8) d.Str();  // placement_rule: added in v8, dropped in v9
  });
}

void Encode(Encoder& e, const UserStats& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.total_entries);
    Encode(e, v.total_bytes);
    Encode(e, v.total_bytes_rounded);
  });
}
void Decode(Decoder& d, UserStats& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.total_entries);
    Decode(d, v.total_bytes);
    Decode(d, v.total_bytes_rounded);
  });
}

void Encode(Encoder& e, const UserHeader& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.stats);
    Encode(e, v.last_stats_sync);
    Encode(e, v.last_stats_update);
  });
}
void Decode(Decoder& d, UserHeader& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.stats);
    Decode(d, v.last_stats_sync);
    Decode(d, v.last_stats_update);
  });
}

void Encode(Encoder& e, const SetBucketsOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.entries);
    Encode(e, v.add);
    Encode(e, v.time);
  });
}
void Decode(Decoder& d, SetBucketsOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.entries);
    Decode(d, v.add);
    Decode(d, v.time);
  });
}

void Encode(Encoder& e, const RemoveBucketOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.bucket); });
}
void Decode(Decoder& d, RemoveBucketOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.bucket); });
}

void Encode(Encoder& e, const ListBucketsOp& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.marker);
    Encode(e, v.max_entries);
    Encode(e, v.end_marker);
  });
}
void Decode(Decoder& d, ListBucketsOp& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.marker);
    Decode(d, v.max_entries);
    if (sv >= 2) Decode(d, v.end_marker);
  });
}

void Encode(Encoder& e, const ListBucketsRet& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.entries);
    Encode(e, v.marker);
    Encode(e, v.truncated);
  });
}
void Decode(Decoder& d, ListBucketsRet& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.entries);
    Decode(d, v.marker);
    Decode(d, v.truncated);
  });
}

void Encode(Encoder& e, const GetHeaderOp&) { e.Versioned(1, 1, [] {}); }
void Decode(Decoder& d, GetHeaderOp&) { d.Versioned(1, [](uint8_t) {}); }

void Encode(Encoder& e, const GetHeaderRet& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.header); });
}
void Decode(Decoder& d, GetHeaderRet& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.header); });
}

void Encode(Encoder& e, const ResetStatsOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.time); });
}
void Decode(Decoder& d, ResetStatsOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.time); });
}

void Encode(Encoder& e, const CompleteStatsSyncOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.time); });
}
void Decode(Decoder& d, CompleteStatsSyncOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.time); });
}

}  // namespace kelp::store::cls::user
