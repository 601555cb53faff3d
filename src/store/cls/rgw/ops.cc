#include "store/cls/rgw/ops.h"

namespace kelp::store::cls::rgw {

void Encode(Encoder& e, const TagTimeoutOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.tag_timeout); });
}
void Decode(Decoder& d, TagTimeoutOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.tag_timeout); });
}

void Encode(Encoder& e, const PrepareOp& v) {
  e.Versioned(7, 5, [&] {
    Encode(e, v.op);
    Encode(e, v.tag);
    Encode(e, v.locator);
    Encode(e, v.log_op);
    Encode(e, v.key);
    Encode(e, v.bilog_flags);
    Encode(e, v.zones_trace);
  });
}
void Decode(Decoder& d, PrepareOp& v) {
  d.VersionedLegacy(7, 3, 3, [&](uint8_t sv) {
    Decode(d, v.op);
    if (sv < 5) Decode(d, v.key.name);
    Decode(d, v.tag);
    if (sv >= 2) Decode(d, v.locator);
    if (sv >= 4) Decode(d, v.log_op);
    if (sv >= 5) Decode(d, v.key);
    if (sv >= 6) Decode(d, v.bilog_flags);
    if (sv >= 7) Decode(d, v.zones_trace);
  });
}

void Encode(Encoder& e, const CompleteOp& v) {
  e.Versioned(9, 7, [&] {
    Encode(e, v.op);
    Encode(e, v.ver.epoch);
    Encode(e, v.meta);
    Encode(e, v.tag);
    Encode(e, v.locator);
    Encode(e, v.remove_objs);
    Encode(e, v.ver);
    Encode(e, v.log_op);
    Encode(e, v.key);
    Encode(e, v.bilog_flags);
    Encode(e, v.zones_trace);
  });
}
void Decode(Decoder& d, CompleteOp& v) {
  d.VersionedLegacy(9, 3, 3, [&](uint8_t sv) {
    Decode(d, v.op);
    if (sv < 7) Decode(d, v.key.name);
    Decode(d, v.ver.epoch);
    Decode(d, v.meta);
    Decode(d, v.tag);
    if (sv >= 2) Decode(d, v.locator);
    if (sv >= 4 && sv < 7) {
      std::list<std::string> names;
      Decode(d, names);
      v.remove_objs.clear();
      for (auto& n : names) v.remove_objs.emplace_back(std::move(n));
    } else {
      Decode(d, v.remove_objs);
    }
    if (sv >= 5) {
      Decode(d, v.ver);
    } else {
      v.ver.pool = -1;
    }
    if (sv >= 6) Decode(d, v.log_op);
    if (sv >= 7) Decode(d, v.key);
    if (sv >= 8) Decode(d, v.bilog_flags);
    if (sv >= 9) Decode(d, v.zones_trace);
  });
}

void Encode(Encoder& e, const LinkOlhOp& v) {
  e.Versioned(5, 1, [&] {
    Encode(e, v.key);
    Encode(e, v.olh_tag);
    Encode(e, v.delete_marker);
    Encode(e, v.op_tag);
    Encode(e, v.meta);
    Encode(e, v.olh_epoch);
    Encode(e, v.log_op);
    Encode(e, v.bilog_flags);
    Encode(e, uint64_t{v.unmod_since.sec});  // time_t copy kept for old OSDs
    Encode(e, v.unmod_since);
    Encode(e, v.high_precision_time);
    Encode(e, v.zones_trace);
  });
}
void Decode(Decoder& d, LinkOlhOp& v) {
  d.Versioned(5, [&](uint8_t sv) {
    Decode(d, v.key);
    Decode(d, v.olh_tag);
    Decode(d, v.delete_marker);
    Decode(d, v.op_tag);
    Decode(d, v.meta);
    Decode(d, v.olh_epoch);
    Decode(d, v.log_op);
    Decode(d, v.bilog_flags);
    if (sv == 2) {
      v.unmod_since = CephTime{static_cast<uint32_t>(d.U64()), 0};
    }
    if (sv >= 3) {
      d.U64();
      Decode(d, v.unmod_since);
    }
    if (sv >= 4) Decode(d, v.high_precision_time);
    if (sv >= 5) Decode(d, v.zones_trace);
  });
}

void Encode(Encoder& e, const UnlinkInstanceOp& v) {
  e.Versioned(3, 1, [&] {
    Encode(e, v.key);
    Encode(e, v.op_tag);
    Encode(e, v.olh_epoch);
    Encode(e, v.log_op);
    Encode(e, v.bilog_flags);
    Encode(e, v.olh_tag);
    Encode(e, v.zones_trace);
  });
}
void Decode(Decoder& d, UnlinkInstanceOp& v) {
  d.Versioned(3, [&](uint8_t sv) {
    Decode(d, v.key);
    Decode(d, v.op_tag);
    Decode(d, v.olh_epoch);
    Decode(d, v.log_op);
    Decode(d, v.bilog_flags);
    if (sv >= 2) Decode(d, v.olh_tag);
    if (sv >= 3) Decode(d, v.zones_trace);
  });
}

void Encode(Encoder& e, const ReadOlhLogOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.olh);
    Encode(e, v.ver_marker);
    Encode(e, v.olh_tag);
  });
}
void Decode(Decoder& d, ReadOlhLogOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.olh);
    Decode(d, v.ver_marker);
    Decode(d, v.olh_tag);
  });
}

void Encode(Encoder& e, const ReadOlhLogRet& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.log);
    Encode(e, v.is_truncated);
  });
}
void Decode(Decoder& d, ReadOlhLogRet& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.log);
    Decode(d, v.is_truncated);
  });
}

void Encode(Encoder& e, const TrimOlhLogOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.olh);
    Encode(e, v.ver);
    Encode(e, v.olh_tag);
  });
}
void Decode(Decoder& d, TrimOlhLogOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.olh);
    Decode(d, v.ver);
    Decode(d, v.olh_tag);
  });
}

void Encode(Encoder& e, const ClearOlhOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.key);
    Encode(e, v.olh_tag);
  });
}
void Decode(Decoder& d, ClearOlhOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.key);
    Decode(d, v.olh_tag);
  });
}

void Encode(Encoder& e, const ListOp& v) {
  e.Versioned(6, 4, [&] {
    Encode(e, v.num_entries);
    Encode(e, v.filter_prefix);
    Encode(e, v.start_obj);
    Encode(e, v.list_versions);
    Encode(e, v.delimiter);
  });
}
void Decode(Decoder& d, ListOp& v) {
  d.VersionedLegacy(6, 2, 2, [&](uint8_t sv) {
    if (sv < 4) Decode(d, v.start_obj.name);
    Decode(d, v.num_entries);
    if (sv >= 3) Decode(d, v.filter_prefix);
    if (sv >= 4) Decode(d, v.start_obj);
    if (sv >= 5) Decode(d, v.list_versions);
    if (sv >= 6) Decode(d, v.delimiter);
  });
}

void Encode(Encoder& e, const ListRet& v) {
  e.Versioned(4, 2, [&] {
    Encode(e, v.dir);
    Encode(e, v.is_truncated);
    Encode(e, v.marker);
  });
}
void Decode(Decoder& d, ListRet& v) {
  d.VersionedLegacy(4, 2, 2, [&](uint8_t sv) {
    Decode(d, v.dir);
    Decode(d, v.is_truncated);
    if (sv >= 4) Decode(d, v.marker);
  });
}

void Encode(Encoder& e, const CheckIndexRet& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.existing_header);
    Encode(e, v.calculated_header);
  });
}
void Decode(Decoder& d, CheckIndexRet& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.existing_header);
    Decode(d, v.calculated_header);
  });
}

void Encode(Encoder& e, const UpdateStatsOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.absolute);
    Encode(e, v.stats);
  });
}
void Decode(Decoder& d, UpdateStatsOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.absolute);
    Decode(d, v.stats);
  });
}

void Encode(Encoder& e, const ObjRemoveOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.keep_attr_prefixes); });
}
void Decode(Decoder& d, ObjRemoveOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.keep_attr_prefixes); });
}

void Encode(Encoder& e, const StorePgVerOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.attr); });
}
void Decode(Decoder& d, StorePgVerOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.attr); });
}

void Encode(Encoder& e, const CheckAttrsPrefixOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.check_prefix);
    Encode(e, v.fail_if_exist);
  });
}
void Decode(Decoder& d, CheckAttrsPrefixOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.check_prefix);
    Decode(d, v.fail_if_exist);
  });
}

void Encode(Encoder& e, const CheckMtimeOp& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.mtime);
    Encode(e, v.type);
    Encode(e, v.high_precision_time);
  });
}
void Decode(Decoder& d, CheckMtimeOp& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.mtime);
    Decode(d, v.type);
    if (sv >= 2) Decode(d, v.high_precision_time);
  });
}

void Encode(Encoder& e, const BiGetOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.key);
    Encode(e, v.type);
  });
}
void Decode(Decoder& d, BiGetOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.key);
    Decode(d, v.type);
  });
}

void Encode(Encoder& e, const BiGetRet& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.entry); });
}
void Decode(Decoder& d, BiGetRet& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.entry); });
}

void Encode(Encoder& e, const BiPutOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.entry); });
}
void Decode(Decoder& d, BiPutOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.entry); });
}

void Encode(Encoder& e, const BiListOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.max);
    Encode(e, v.name_filter);
    Encode(e, v.marker);
  });
}
void Decode(Decoder& d, BiListOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.max);
    Decode(d, v.name_filter);
    Decode(d, v.marker);
  });
}

void Encode(Encoder& e, const BiListRet& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.entries);
    Encode(e, v.is_truncated);
  });
}
void Decode(Decoder& d, BiListRet& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.entries);
    Decode(d, v.is_truncated);
  });
}

void Encode(Encoder& e, const BiLogListOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.marker);
    Encode(e, v.max);
  });
}
void Decode(Decoder& d, BiLogListOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.marker);
    Decode(d, v.max);
  });
}

void Encode(Encoder& e, const BiLogListRet& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.entries);
    Encode(e, v.truncated);
  });
}
void Decode(Decoder& d, BiLogListRet& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.entries);
    Decode(d, v.truncated);
  });
}

void Encode(Encoder& e, const BiLogTrimOp& v) {
  e.Versioned(1, 1, [&] {
    Encode(e, v.start_marker);
    Encode(e, v.end_marker);
  });
}
void Decode(Decoder& d, BiLogTrimOp& v) {
  d.Versioned(1, [&](uint8_t) {
    Decode(d, v.start_marker);
    Decode(d, v.end_marker);
  });
}

void Encode(Encoder& e, const GuardReshardingOp& v) {
  e.Versioned(1, 1, [&] { Encode(e, v.ret_err); });
}
void Decode(Decoder& d, GuardReshardingOp& v) {
  d.Versioned(1, [&](uint8_t) { Decode(d, v.ret_err); });
}

std::string EncodeSuggestedChanges(const std::list<SuggestedChange>& changes) {
  std::string out;
  Encoder e(&out);
  for (const auto& c : changes) {
    Encode(e, c.op);
    Encode(e, c.entry);
  }
  return out;
}

}  // namespace kelp::store::cls::rgw
