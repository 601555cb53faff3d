#include "rgw/types/common.h"

#include <cstdio>
#include <ctime>

namespace kelp::rgw {

std::string FormatTime(const CephTime& t) {
  time_t secs = t.sec;
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[64];
  snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, t.nsec / 1000);
  return buf;
}

bool ParseTime(std::string_view s, CephTime* t) {
  int y, mo, d, h, mi, sec;
  char rest[32] = {0};
  std::string str(s);
  if (sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%31s", &y, &mo, &d, &h, &mi, &sec, rest) < 6) {
    return false;
  }
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  uint32_t nsec = 0;
  std::string_view r(rest);
  if (!r.empty() && r[0] == '.') {
    uint32_t scale = 100000000;
    size_t i = 1;
    for (; i < r.size() && r[i] >= '0' && r[i] <= '9'; ++i) {
      nsec += static_cast<uint32_t>(r[i] - '0') * scale;
      scale /= 10;
    }
    r.remove_prefix(i);
  }
  if (!r.empty() && r != "Z") return false;
  t->sec = static_cast<uint32_t>(timegm(&tm));
  t->nsec = nsec;
  return true;
}

// ---- User ----
std::string User::ToString() const {
  if (!tenant.empty()) {
    if (!ns.empty()) return tenant + "$" + ns + "$" + id;
    return tenant + "$" + id;
  }
  if (!ns.empty()) return "$" + ns + "$" + id;
  return id;
}

User User::FromString(std::string_view s) {
  User u;
  size_t pos = s.find('$');
  if (pos == std::string_view::npos) {
    u.id = std::string(s);
    return u;
  }
  u.tenant = std::string(s.substr(0, pos));
  std::string_view rest = s.substr(pos + 1);
  size_t ns_pos = rest.find('$');
  if (ns_pos != std::string_view::npos) {
    u.ns = std::string(rest.substr(0, ns_pos));
    u.id = std::string(rest.substr(ns_pos + 1));
  } else {
    u.id = std::string(rest);
  }
  return u;
}

void Encode(Encoder& e, const User& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.tenant);
    Encode(e, v.id);
    Encode(e, v.ns);
  });
}
void Decode(Decoder& d, User& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.tenant);
    Decode(d, v.id);
    if (sv >= 2) Decode(d, v.ns);
  });
}

// ---- Pool ----
namespace {
// rgw_escape_str: prefix `esc` and `special` with `esc`.
std::string EscapePoolPart(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ':') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Pool::ToString() const {
  std::string out = EscapePoolPart(name);
  if (!ns.empty()) out += ":" + EscapePoolPart(ns);
  return out;
}

Pool Pool::FromString(std::string_view s) {
  // rgw_pool::from_str: split at the first unescaped ':', unescape both.
  Pool p;
  std::string* cur = &p.name;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      cur->push_back(s[++i]);
    } else if (c == ':' && cur == &p.name) {
      cur = &p.ns;
    } else {
      cur->push_back(c);
    }
  }
  return p;
}

void Encode(Encoder& e, const Pool& v) {
  e.Versioned(10, 10, [&] {
    Encode(e, v.name);
    Encode(e, v.ns);
  });
}
void Decode(Decoder& d, Pool& v) {
  d.VersionedLegacy(10, 3, 3, [&](uint8_t sv) {
    Decode(d, v.name);
    // Before v10 an rgw_pool was an old rgw_bucket whose first field is the
    // pool name; the rest of that envelope is skipped.
    if (sv >= 10) Decode(d, v.ns);
  });
}

// ---- Bucket ----
std::string Bucket::GetKey() const { return tenant.empty() ? name : tenant + "/" + name; }
std::string Bucket::GetInstanceKey() const { return GetKey() + ":" + bucket_id; }

void Encode(Encoder& e, const Bucket& v) {
  e.Versioned(10, 10, [&] {
    Encode(e, v.name);
    Encode(e, v.marker);
    Encode(e, v.bucket_id);
    Encode(e, v.tenant);
    bool explicit_pools = !v.explicit_placement.data_pool.empty();
    Encode(e, explicit_pools);
    if (explicit_pools) {
      Encode(e, v.explicit_placement.data_pool);
      Encode(e, v.explicit_placement.data_extra_pool);
      Encode(e, v.explicit_placement.index_pool);
    }
  });
}

void Decode(Decoder& d, Bucket& v) {
  d.VersionedLegacy(10, 3, 3, [&](uint8_t sv) {
    Decode(d, v.name);
    if (sv < 10) v.explicit_placement.data_pool.name = d.Str();
    if (sv >= 2) {
      Decode(d, v.marker);
      if (sv <= 3) {
        v.bucket_id = std::to_string(d.U64());
      } else {
        Decode(d, v.bucket_id);
      }
    }
    if (sv < 10) {
      if (sv >= 5) {
        v.explicit_placement.index_pool.name = d.Str();
      } else {
        v.explicit_placement.index_pool = v.explicit_placement.data_pool;
      }
      if (sv >= 7) v.explicit_placement.data_extra_pool.name = d.Str();
    }
    if (sv >= 8) Decode(d, v.tenant);
    if (sv >= 10) {
      if (d.Bool()) {
        Decode(d, v.explicit_placement.data_pool);
        Decode(d, v.explicit_placement.data_extra_pool);
        Decode(d, v.explicit_placement.index_pool);
      }
    }
  });
}

// ---- ObjKey ----
std::string ObjKey::GetOid() const {
  if (ns.empty() && !NeedToEncodeInstance()) {
    if (name.empty() || name[0] != '_') return name;
    return "_" + name;
  }
  std::string oid = "_" + ns;
  if (NeedToEncodeInstance()) oid += ":" + instance;
  return oid + "_" + name;
}

std::string ObjKey::GetIndexKeyName() const {
  if (ns.empty()) {
    if (name.empty() || name[0] != '_') return name;
    return "_" + name;
  }
  return "_" + ns + "_" + name;
}

std::string ObjKey::GetLoc() const {
  if (!name.empty() && name[0] == '_' && ns.empty()) return name;
  return {};
}

bool ObjKey::ParseRawOid(const std::string& oid, ObjKey* key) {
  key->instance.clear();
  key->ns.clear();
  if (oid.empty() || oid[0] != '_') {
    key->name = oid;
    return true;
  }
  if (oid.size() >= 2 && oid[1] == '_') {
    key->name = oid.substr(1);
    return true;
  }
  if (oid.size() < 3) return false;
  size_t pos = oid.find('_', 2);
  if (pos == std::string::npos) return false;
  std::string ns_field = oid.substr(1, pos - 1);
  key->name = oid.substr(pos + 1);
  // parse_ns_field: "ns[:instance]".
  size_t colon = ns_field.find(':');
  if (colon == std::string::npos) {
    key->ns = ns_field;
  } else {
    key->ns = ns_field.substr(0, colon);
    key->instance = ns_field.substr(colon + 1);
  }
  return true;
}

void Encode(Encoder& e, const ObjKey& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.name);
    Encode(e, v.instance);
    Encode(e, v.ns);
  });
}
void Decode(Decoder& d, ObjKey& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.name);
    Decode(d, v.instance);
    if (sv >= 2) Decode(d, v.ns);
  });
}

// ---- Obj ----
namespace {
std::string PrependBucketMarker(const std::string& marker, const std::string& oid) {
  if (marker.empty() || oid.empty()) return oid;
  return marker + "_" + oid;
}
}  // namespace

std::string Obj::GetOid() const { return PrependBucketMarker(bucket.marker, key.GetOid()); }

std::string Obj::GetLocator() const {
  std::string loc = key.GetLoc();
  if (loc.empty()) return {};
  return PrependBucketMarker(bucket.marker, loc);
}

void Encode(Encoder& e, const Obj& v) {
  e.Versioned(6, 6, [&] {
    Encode(e, v.bucket);
    Encode(e, v.key.ns);
    Encode(e, v.key.name);
    Encode(e, v.key.instance);
  });
}

void Decode(Decoder& d, Obj& v) {
  d.VersionedLegacy(6, 3, 3, [&](uint8_t sv) {
    if (sv >= 6) {
      Decode(d, v.bucket);
      Decode(d, v.key.ns);
      Decode(d, v.key.name);
      Decode(d, v.key.instance);
      return;
    }
    // Pre-v6 rgw_obj: bucket name, locator, ns, oid-ish name, [bucket],
    // [instance], [plain name].
    Decode(d, v.bucket.name);
    (void)d.Str();  // locator
    Decode(d, v.key.ns);
    Decode(d, v.key.name);
    if (sv >= 2) Decode(d, v.bucket);
    if (sv >= 4) Decode(d, v.key.instance);
    if (v.key.ns.empty() && v.key.instance.empty()) {
      if (!v.key.name.empty() && v.key.name[0] == '_') v.key.name = v.key.name.substr(1);
    } else if (sv >= 5) {
      Decode(d, v.key.name);
    } else {
      size_t pos = v.key.name.find('_', 1);
      if (pos == std::string::npos) {
        d.Fail("rgw_obj: malformed legacy name");
        return;
      }
      v.key.name = v.key.name.substr(pos + 1);
    }
  });
}

// ---- PlacementRule ----
std::string PlacementRule::ToString() const {
  if (storage_class.empty() || storage_class == "STANDARD") return name;
  return name + "/" + storage_class;
}

PlacementRule PlacementRule::FromString(std::string_view s) {
  PlacementRule r;
  size_t pos = s.find('/');
  if (pos == std::string_view::npos) {
    r.name = std::string(s);
  } else {
    r.name = std::string(s.substr(0, pos));
    r.storage_class = std::string(s.substr(pos + 1));
  }
  return r;
}

void Encode(Encoder& e, const PlacementRule& v) { e.Str(v.ToString()); }
void Decode(Decoder& d, PlacementRule& v) { v = PlacementRule::FromString(d.Str()); }

// ---- QuotaInfo ----
void Encode(Encoder& e, const QuotaInfo& v) {
  e.Versioned(3, 1, [&] {
    int64_t kb = v.max_size < 0 ? -RoundedKb(-v.max_size) : RoundedKb(v.max_size);
    Encode(e, kb);
    Encode(e, v.max_objects);
    Encode(e, v.enabled);
    Encode(e, v.max_size);
    Encode(e, v.check_on_raw);
  });
}

void Decode(Decoder& d, QuotaInfo& v) {
  d.VersionedLegacy(3, 1, 1, [&](uint8_t sv) {
    int64_t kb = d.Fixed<int64_t>();
    Decode(d, v.max_objects);
    Decode(d, v.enabled);
    if (sv < 2) {
      v.max_size = kb * 1024;
    } else {
      Decode(d, v.max_size);
    }
    if (sv >= 3) Decode(d, v.check_on_raw);
  });
}

// ---- JSON ----
nlohmann::json ToJson(const User& v) { return v.ToString(); }
nlohmann::json ToJson(const Pool& v) { return v.ToString(); }

nlohmann::json ToJson(const Bucket& v) {
  return {{"name", v.name},
          {"marker", v.marker},
          {"bucket_id", v.bucket_id},
          {"tenant", v.tenant},
          {"explicit_placement",
           {{"data_pool", v.explicit_placement.data_pool.ToString()},
            {"data_extra_pool", v.explicit_placement.data_extra_pool.ToString()},
            {"index_pool", v.explicit_placement.index_pool.ToString()}}}};
}

nlohmann::json ToJson(const ObjKey& v) {
  return {{"name", v.name}, {"instance", v.instance}, {"ns", v.ns}};
}

nlohmann::json ToJson(const Obj& v) { return {{"bucket", ToJson(v.bucket)}, {"key", ToJson(v.key)}}; }

nlohmann::json ToJson(const QuotaInfo& v) {
  return {{"enabled", v.enabled},
          {"check_on_raw", v.check_on_raw},
          {"max_size", v.max_size},
          {"max_size_kb", RoundedKb(v.max_size)},
          {"max_objects", v.max_objects}};
}

}  // namespace kelp::rgw
