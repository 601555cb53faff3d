#include "store/cls/rgw/types.h"

namespace kelp::store::cls::rgw {

void Encode(Encoder& e, const BucketEntryVer& v) {
  e.Versioned(1, 1, [&] {
    EncodePacked(e, static_cast<uint64_t>(v.pool));
    EncodePacked(e, v.epoch);
  });
}
void Decode(Decoder& d, BucketEntryVer& v) {
  d.Versioned(1, [&](uint8_t) {
    v.pool = static_cast<int64_t>(DecodePacked(d));
    v.epoch = DecodePacked(d);
  });
}

void Encode(Encoder& e, const ObjKey& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.instance);
  });
}
void Decode(Decoder& d, ObjKey& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.name);
    Decode(d, v.instance);
  });
}

void Encode(Encoder& e, const PendingInfo& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.state);
    Encode(e, v.timestamp);
    Encode(e, v.op);
  });
}
void Decode(Decoder& d, PendingInfo& v) {
  d.VersionedLegacy(2, 2, 2, [&](uint8_t) {
    Decode(d, v.state);
    Decode(d, v.timestamp);
    Decode(d, v.op);
  });
}

void Encode(Encoder& e, const DirEntryMeta& v) {
  e.Versioned(7, 3, [&] {
    Encode(e, v.category);
    Encode(e, v.size);
    Encode(e, v.mtime);
    Encode(e, v.etag);
    Encode(e, v.owner);
    Encode(e, v.owner_display_name);
    Encode(e, v.content_type);
    Encode(e, v.accounted_size);
    Encode(e, v.user_data);
    Encode(e, v.storage_class);
    Encode(e, v.appendable);
  });
}
void Decode(Decoder& d, DirEntryMeta& v) {
  // Upstream declares LEGACY_COMPAT_LEN(6, 3, 3) yet reads v7's appendable.
  d.VersionedLegacy(7, 3, 3, [&](uint8_t sv) {
    Decode(d, v.category);
    Decode(d, v.size);
    Decode(d, v.mtime);
    Decode(d, v.etag);
    Decode(d, v.owner);
    Decode(d, v.owner_display_name);
    if (sv >= 2) Decode(d, v.content_type);
    if (sv >= 4) {
      Decode(d, v.accounted_size);
    } else {
      v.accounted_size = v.size;
    }
    if (sv >= 5) Decode(d, v.user_data);
    if (sv >= 6) Decode(d, v.storage_class);
    if (sv >= 7) Decode(d, v.appendable);
  });
}

std::string ZoneSetEntry::ToString() const {
  return location_key ? zone + ":" + *location_key : zone;
}
ZoneSetEntry ZoneSetEntry::FromString(const std::string& s) {
  ZoneSetEntry z;
  auto pos = s.find(':');
  if (pos == std::string::npos) {
    z.zone = s;
  } else {
    z.zone = s.substr(0, pos);
    z.location_key = s.substr(pos + 1);
  }
  return z;
}
void Encode(Encoder& e, const ZoneSetEntry& v) { Encode(e, v.ToString()); }
void Decode(Decoder& d, ZoneSetEntry& v) { v = ZoneSetEntry::FromString(d.Str()); }

void Encode(Encoder& e, const DirEntry& v) {
  e.Versioned(8, 3, [&] {
    Encode(e, v.key.name);
    Encode(e, v.ver.epoch);
    Encode(e, v.exists);
    Encode(e, v.meta);
    Encode(e, v.pending_map);
    Encode(e, v.locator);
    Encode(e, v.ver);
    EncodePacked(e, v.index_ver);
    Encode(e, v.tag);
    Encode(e, v.key.instance);
    Encode(e, v.flags);
    Encode(e, v.versioned_epoch);
  });
}
void Decode(Decoder& d, DirEntry& v) {
  d.VersionedLegacy(8, 3, 3, [&](uint8_t sv) {
    Decode(d, v.key.name);
    Decode(d, v.ver.epoch);
    Decode(d, v.exists);
    Decode(d, v.meta);
    Decode(d, v.pending_map);
    if (sv >= 2) Decode(d, v.locator);
    if (sv >= 4) {
      Decode(d, v.ver);
    } else {
      v.ver.pool = -1;
    }
    if (sv >= 5) {
      v.index_ver = DecodePacked(d);
      Decode(d, v.tag);
    }
    if (sv >= 6) Decode(d, v.key.instance);
    if (sv >= 7) Decode(d, v.flags);
    if (sv >= 8) Decode(d, v.versioned_epoch);
  });
}

void Encode(Encoder& e, const CategoryStats& v) {
  e.Versioned(3, 2, [&] {
    Encode(e, v.total_size);
    Encode(e, v.total_size_rounded);
    Encode(e, v.num_entries);
    Encode(e, v.actual_size);
  });
}
void Decode(Decoder& d, CategoryStats& v) {
  d.VersionedLegacy(3, 2, 2, [&](uint8_t sv) {
    Decode(d, v.total_size);
    Decode(d, v.total_size_rounded);
    Decode(d, v.num_entries);
    if (sv >= 3) {
      Decode(d, v.actual_size);
    } else {
      v.actual_size = v.total_size;
    }
  });
}

void Encode(Encoder& e, const BucketInstanceEntry& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.reshard_status);
    Encode(e, v.new_bucket_instance_id);
    Encode(e, v.num_shards);
  });
}
void Decode(Decoder& d, BucketInstanceEntry& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.reshard_status);
    Decode(d, v.new_bucket_instance_id);
    Decode(d, v.num_shards);
  });
}

void Encode(Encoder& e, const DirHeader& v) {
  e.Versioned(7, 2, [&] {
    Encode(e, v.stats);
    Encode(e, v.tag_timeout);
    Encode(e, v.ver);
    Encode(e, v.master_ver);
    Encode(e, v.max_marker);
    Encode(e, v.new_instance);
    Encode(e, v.syncstopped);
  });
}
void Decode(Decoder& d, DirHeader& v) {
  // Upstream: LEGACY_COMPAT_LEN(6, 2, 2) reading v7's syncstopped.
  d.VersionedLegacy(7, 2, 2, [&](uint8_t sv) {
    Decode(d, v.stats);
    if (sv > 2) Decode(d, v.tag_timeout);
    if (sv >= 4) {
      Decode(d, v.ver);
      Decode(d, v.master_ver);
    }
    if (sv >= 5) Decode(d, v.max_marker);
    if (sv >= 6) Decode(d, v.new_instance);
    if (sv >= 7) Decode(d, v.syncstopped);
  });
}

void Encode(Encoder& e, const BucketDir& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.header);
    Encode(e, v.m);
  });
}
void Decode(Decoder& d, BucketDir& v) {
  d.VersionedLegacy(2, 2, 2, [&](uint8_t) {
    Decode(d, v.header);
    Decode(d, v.m);
  });
}

void Encode(Encoder& e, const BiLogEntry& v) {
  e.Versioned(4, 1, [&] {
    Encode(e, v.id);
    Encode(e, v.object);
    Encode(e, v.timestamp);
    Encode(e, v.ver);
    Encode(e, v.tag);
    Encode(e, v.op);
    Encode(e, v.state);
    EncodePacked(e, v.index_ver);
    Encode(e, v.instance);
    Encode(e, v.bilog_flags);
    Encode(e, v.owner);
    Encode(e, v.owner_display_name);
    Encode(e, v.zones_trace);
  });
}
void Decode(Decoder& d, BiLogEntry& v) {
  d.Versioned(4, [&](uint8_t sv) {
    Decode(d, v.id);
    Decode(d, v.object);
    Decode(d, v.timestamp);
    Decode(d, v.ver);
    Decode(d, v.tag);
    Decode(d, v.op);
    Decode(d, v.state);
    v.index_ver = DecodePacked(d);
    if (sv >= 2) {
      Decode(d, v.instance);
      Decode(d, v.bilog_flags);
    }
    if (sv >= 3) {
      Decode(d, v.owner);
      Decode(d, v.owner_display_name);
    }
    if (sv >= 4) Decode(d, v.zones_trace);
  });
}

void Encode(Encoder& e, const OlhLogEntry& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.epoch);
    Encode(e, v.op);
    Encode(e, v.op_tag);
    Encode(e, v.key);
    Encode(e, v.delete_marker);
  });
}
void Decode(Decoder& d, OlhLogEntry& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.epoch);
    Decode(d, v.op);
    Decode(d, v.op_tag);
    Decode(d, v.key);
    Decode(d, v.delete_marker);
  });
}

void Encode(Encoder& e, const OlhEntry& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.key);
    Encode(e, v.delete_marker);
    Encode(e, v.epoch);
    Encode(e, v.pending_log);
    Encode(e, v.tag);
    Encode(e, v.exists);
    Encode(e, v.pending_removal);
  });
}
void Decode(Decoder& d, OlhEntry& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.key);
    Decode(d, v.delete_marker);
    Decode(d, v.epoch);
    Decode(d, v.pending_log);
    Decode(d, v.tag);
    Decode(d, v.exists);
    Decode(d, v.pending_removal);
  });
}

void Encode(Encoder& e, const BiEntry& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.type);
    Encode(e, v.idx);
    Encode(e, v.data);
  });
}
void Decode(Decoder& d, BiEntry& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.type);
    Decode(d, v.idx);
    Decode(d, v.data);
  });
}

}  // namespace kelp::store::cls::rgw
