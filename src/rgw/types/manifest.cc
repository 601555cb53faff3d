#include "rgw/types/manifest.h"

#include <algorithm>
#include <cstdio>

#include "base/crypto.h"

namespace kelp::rgw {

void Encode(Encoder& e, const ObjManifestPart& v) {
  e.Versioned(2, 2, [&] {
    Encode(e, v.loc);
    Encode(e, v.loc_ofs);
    Encode(e, v.size);
  });
}
void Decode(Decoder& d, ObjManifestPart& v) {
  d.VersionedLegacy32(2, 2, 2, [&](uint8_t) {
    Decode(d, v.loc);
    Decode(d, v.loc_ofs);
    Decode(d, v.size);
  });
}

void Encode(Encoder& e, const ObjManifestRule& v) {
  e.Versioned(2, 1, [&] {
    Encode(e, v.start_part_num);
    Encode(e, v.start_ofs);
    Encode(e, v.part_size);
    Encode(e, v.stripe_max_size);
    Encode(e, v.override_prefix);
  });
}
void Decode(Decoder& d, ObjManifestRule& v) {
  d.Versioned(2, [&](uint8_t sv) {
    Decode(d, v.start_part_num);
    Decode(d, v.start_ofs);
    Decode(d, v.part_size);
    Decode(d, v.stripe_max_size);
    if (sv >= 2) Decode(d, v.override_prefix);
  });
}

namespace {
// rgw_bucket::operator== compares tenant, name and bucket id only.
bool SameBucket(const Bucket& a, const Bucket& b) {
  return a.tenant == b.tenant && a.name == b.name && a.bucket_id == b.bucket_id;
}
}  // namespace

void Encode(Encoder& e, const ObjManifest& v) {
  e.Versioned(7, 6, [&] {
    Encode(e, v.obj_size);
    Encode(e, v.objs);
    Encode(e, v.explicit_objs);
    Encode(e, v.obj);
    Encode(e, v.head_size);
    Encode(e, v.max_head_size);
    Encode(e, v.prefix);
    Encode(e, v.rules);
    bool tail_bucket = !SameBucket(v.tail_placement.bucket, v.obj.bucket);
    Encode(e, tail_bucket);
    if (tail_bucket) Encode(e, v.tail_placement.bucket);
    bool tail_instance = v.tail_instance != v.obj.key.instance;
    Encode(e, tail_instance);
    if (tail_instance) Encode(e, v.tail_instance);
    Encode(e, v.head_placement_rule);
    Encode(e, v.tail_placement.placement_rule);
  });
}

void Decode(Decoder& d, ObjManifest& v) {
  v = ObjManifest{};
  d.VersionedLegacy32(7, 2, 2, [&](uint8_t sv) {
    Decode(d, v.obj_size);
    Decode(d, v.objs);
    if (sv >= 3) {
      Decode(d, v.explicit_objs);
      Decode(d, v.obj);
      Decode(d, v.head_size);
      Decode(d, v.max_head_size);
      Decode(d, v.prefix);
      Decode(d, v.rules);
    } else {
      v.explicit_objs = true;
      if (!v.objs.empty()) {
        v.obj = v.objs.begin()->second.loc;
        v.head_size = v.objs.begin()->second.size;
        v.max_head_size = v.head_size;
      }
    }
    if (v.explicit_objs && v.head_size > 0 && !v.objs.empty()) {
      // radosgw issue 16435: an old copied object's first part may name the
      // source; the head is authoritative.
      ObjManifestPart& p0 = v.objs[0];
      if (!p0.loc.GetOid().empty() && p0.loc.key.ns.empty()) {
        p0.loc = v.obj;
        p0.size = v.head_size;
      }
    }
    if (sv >= 4) {
      if (sv < 6 || d.Bool()) {
        Decode(d, v.tail_placement.bucket);
      } else {
        v.tail_placement.bucket = v.obj.bucket;
      }
    }
    if (sv >= 5) {
      if (sv < 6 || d.Bool()) {
        Decode(d, v.tail_instance);
      } else {
        v.tail_instance = v.obj.key.instance;
      }
    } else {
      v.tail_instance = v.obj.key.instance;
    }
    if (sv >= 7) {
      Decode(d, v.head_placement_rule);
      Decode(d, v.tail_placement.placement_rule);
    }
  });
}

bool operator==(const ObjManifest& a, const ObjManifest& b) {
  return EncodeToString(a) == EncodeToString(b);
}

void ObjManifest::SetTrivialRule(uint64_t head_max, uint64_t stripe_max) {
  rules[0] = ObjManifestRule{0, head_max, 0, stripe_max, ""};
  max_head_size = head_max;
}

void ObjManifest::SetMultipartPartRule(uint64_t stripe_max, uint32_t part_num) {
  rules[0] = ObjManifestRule{part_num, 0, 0, stripe_max, ""};
  max_head_size = 0;
}

std::string ObjManifest::RandomTailPrefix() { return "." + RandomAlnum(32) + "_"; }

ObjManifest ObjManifest::ForAtomicObject(const Obj& head, const PlacementRule& placement,
                                         uint64_t size, uint64_t head_max, uint64_t stripe_max,
                                         std::string prefix) {
  ObjManifest m;
  m.SetTrivialRule(head_max, stripe_max);
  m.tail_placement = BucketPlacement{placement, head.bucket};
  m.head_placement_rule = placement;
  m.obj = head;
  m.prefix = std::move(prefix);
  m.tail_instance = head.key.instance;
  // generator::create_next(size) at completion.
  m.head_size = std::min(size, m.max_head_size);
  m.obj_size = size;
  return m;
}

ObjManifest ObjManifest::ForMultipartPart(const Obj& target, const PlacementRule& placement,
                                          std::string part_prefix, uint32_t part_num,
                                          uint64_t size, uint64_t stripe_max) {
  ObjManifest m;
  m.SetMultipartPartRule(stripe_max, part_num);
  m.tail_placement = BucketPlacement{placement, target.bucket};
  m.head_placement_rule = placement;
  m.obj = target;
  m.prefix = std::move(part_prefix);
  m.tail_instance = target.key.instance;
  m.head_size = 0;
  m.obj_size = size;
  return m;
}

Obj ObjManifest::ImplicitLocation(uint64_t part_id, uint64_t stripe, uint64_t ofs,
                                  const std::string& override_prefix) const {
  Obj loc;
  std::string& oid = loc.key.name;
  oid = override_prefix.empty() ? prefix : override_prefix;
  char buf[48];
  if (!part_id) {
    if (ofs < max_head_size) return obj;
    snprintf(buf, sizeof(buf), "%d", static_cast<int>(stripe));
    oid += buf;
    loc.key.ns = kObjNsShadow;
  } else if (stripe == 0) {
    snprintf(buf, sizeof(buf), ".%d", static_cast<int>(part_id));
    oid += buf;
    loc.key.ns = kObjNsMultipart;
  } else {
    snprintf(buf, sizeof(buf), ".%d_%d", static_cast<int>(part_id), static_cast<int>(stripe));
    oid += buf;
    loc.key.ns = kObjNsShadow;
  }
  loc.bucket = tail_placement.bucket.name.empty() ? obj.bucket : tail_placement.bucket;
  loc.key.instance = tail_instance;
  return loc;
}

// ---- Iterator (obj_iterator) ----
// Integer types follow radosgw's (int part/stripe counters mixed with u64
// offsets); the wrap-arounds matter for the end iterator radosgw-admin prints.
void ObjManifest::Iterator::Seek(uint64_t o) {
  ofs_ = o;
  if (m_->explicit_objs) {
    explicit_iter_ = m_->objs.upper_bound(ofs_);
    if (explicit_iter_ != m_->objs.begin()) --explicit_iter_;
    if (ofs_ < m_->obj_size) {
      UpdateExplicitPos();
    } else {
      ofs_ = m_->obj_size;
    }
    UpdateLocation();
    return;
  }
  if (o < m_->head_size) {
    rule_iter_ = m_->rules.begin();
    stripe_ofs_ = 0;
    stripe_size_ = m_->head_size;
    if (rule_iter_ != m_->rules.end()) {
      cur_part_id_ = static_cast<int>(rule_iter_->second.start_part_num);
      cur_override_prefix_ = rule_iter_->second.override_prefix;
    }
    UpdateLocation();
    return;
  }
  rule_iter_ = m_->rules.upper_bound(ofs_);
  next_rule_iter_ = rule_iter_;
  if (rule_iter_ != m_->rules.begin()) --rule_iter_;
  if (rule_iter_ == m_->rules.end()) {
    UpdateLocation();
    return;
  }
  const ObjManifestRule& rule = rule_iter_->second;
  if (rule.part_size > 0) {
    cur_part_id_ = static_cast<int>(rule.start_part_num + (ofs_ - rule.start_ofs) / rule.part_size);
  } else {
    cur_part_id_ = static_cast<int>(rule.start_part_num);
  }
  part_ofs_ = rule.start_ofs +
              uint64_t(static_cast<uint32_t>(cur_part_id_) - rule.start_part_num) * rule.part_size;
  if (rule.stripe_max_size > 0) {
    cur_stripe_ = static_cast<int>((ofs_ - part_ofs_) / rule.stripe_max_size);
    stripe_ofs_ = part_ofs_ + static_cast<uint64_t>(static_cast<int64_t>(cur_stripe_)) *
                                  rule.stripe_max_size;
    if (!cur_part_id_ && m_->head_size > 0) cur_stripe_++;
  } else {
    cur_stripe_ = 0;
    stripe_ofs_ = part_ofs_;
  }
  if (!rule.part_size) {
    stripe_size_ = std::min(m_->obj_size - stripe_ofs_, rule.stripe_max_size);
  } else {
    uint64_t next = std::min(stripe_ofs_ + rule.stripe_max_size, part_ofs_ + rule.part_size);
    stripe_size_ = next - stripe_ofs_;
  }
  cur_override_prefix_ = rule.override_prefix;
  UpdateLocation();
}

void ObjManifest::Iterator::Next() {
  if (m_->explicit_objs) {
    ++explicit_iter_;
    if (explicit_iter_ == m_->objs.end()) {
      ofs_ = m_->obj_size;
      stripe_size_ = 0;
      return;
    }
    UpdateExplicitPos();
    UpdateLocation();
    return;
  }
  uint64_t obj_size = m_->obj_size;
  uint64_t head_size = m_->head_size;
  if (ofs_ == obj_size || m_->rules.empty()) return;
  if (ofs_ < head_size) {  // leaving the head
    rule_iter_ = m_->rules.begin();
    const ObjManifestRule& rule = rule_iter_->second;
    ofs_ = std::min(head_size, obj_size);
    stripe_ofs_ = ofs_;
    cur_stripe_ = 1;
    stripe_size_ = std::min(obj_size - ofs_, rule.stripe_max_size);
    if (rule.part_size > 0) stripe_size_ = std::min(stripe_size_, rule.part_size);
    UpdateLocation();
    return;
  }
  const ObjManifestRule* rule = &rule_iter_->second;
  stripe_ofs_ += rule->stripe_max_size;
  cur_stripe_++;
  if (rule->part_size > 0) {
    if (stripe_ofs_ >= part_ofs_ + rule->part_size) {  // next part
      cur_stripe_ = 0;
      part_ofs_ += rule->part_size;
      stripe_ofs_ = part_ofs_;
      bool last_rule = next_rule_iter_ == m_->rules.end();
      if (!last_rule && stripe_ofs_ >= next_rule_iter_->second.start_ofs) {
        rule_iter_ = next_rule_iter_;
        ++next_rule_iter_;
        cur_part_id_ = static_cast<int>(rule_iter_->second.start_part_num);
      } else {
        cur_part_id_++;
      }
      rule = &rule_iter_->second;
    }
    stripe_size_ = std::min(rule->part_size - (stripe_ofs_ - part_ofs_), rule->stripe_max_size);
  }
  cur_override_prefix_ = rule->override_prefix;
  ofs_ = stripe_ofs_;
  if (ofs_ > obj_size) {
    ofs_ = obj_size;
    stripe_ofs_ = ofs_;
    stripe_size_ = 0;
  }
  UpdateLocation();
}

void ObjManifest::Iterator::UpdateExplicitPos() {
  ofs_ = explicit_iter_->first;
  stripe_ofs_ = ofs_;
  auto next = std::next(explicit_iter_);
  stripe_size_ = (next != m_->objs.end() ? next->first : m_->obj_size) - ofs_;
}

void ObjManifest::Iterator::UpdateLocation() {
  if (m_->explicit_objs) {
    location_ = m_->objs.empty() ? Obj{} : explicit_iter_->second.loc;
    return;
  }
  if (ofs_ < m_->head_size) {
    location_ = m_->obj;
    location_rule_ = m_->head_placement_rule;
    return;
  }
  // get_implicit_location takes u64 part/stripe; negative ints wrap.
  uint64_t part = static_cast<uint64_t>(static_cast<int64_t>(cur_part_id_));
  uint64_t stripe = static_cast<uint64_t>(static_cast<int64_t>(cur_stripe_));
  location_ = m_->ImplicitLocation(part, stripe, ofs_, cur_override_prefix_);
  location_rule_ = (!part && ofs_ < m_->max_head_size) ? m_->head_placement_rule
                                                      : m_->tail_placement.placement_rule;
}

uint64_t ObjManifest::Iterator::stripe_ofs() const {
  return m_->explicit_objs ? explicit_iter_->first : stripe_ofs_;
}
uint64_t ObjManifest::Iterator::stripe_size() const {
  return m_->explicit_objs ? explicit_iter_->second.size : stripe_size_;
}
uint64_t ObjManifest::Iterator::location_ofs() const {
  return m_->explicit_objs ? explicit_iter_->second.loc_ofs : 0;
}

nlohmann::json ObjManifest::Iterator::ToJson() const {
  return {{"part_ofs", part_ofs_},
          {"stripe_ofs", stripe_ofs_},
          {"ofs", ofs_},
          {"stripe_size", stripe_size_},
          {"cur_part_id", cur_part_id_},
          {"cur_stripe", cur_stripe_},
          {"cur_override_prefix", cur_override_prefix_},
          {"location",
           {{"placement_rule", location_rule_.ToString()},
            {"obj", kelp::rgw::ToJson(location_)},
            {"raw_obj", {{"pool", ""}, {"oid", ""}, {"loc", ""}}},
            {"is_raw", false}}}};
}

std::vector<ManifestStripe> ObjManifest::Stripes() const {
  std::vector<ManifestStripe> out;
  Iterator it = Begin();
  Iterator end = End();
  while (!(it == end)) {
    ManifestStripe s;
    s.ofs = it.ofs();
    s.obj = it.location();
    s.loc_ofs = it.location_ofs();
    s.placement_rule = it.location_placement();
    s.is_head = !explicit_objs && it.ofs() < head_size;
    uint64_t start = it.ofs();
    it.Next();
    if (it.ofs() <= start) break;  // defensive: a malformed manifest must not loop
    s.size = it.ofs() - start;
    out.push_back(std::move(s));
  }
  return out;
}

bool ObjManifest::HasTail() const {
  if (explicit_objs) {
    if (objs.size() == 1) return !(objs.begin()->second.loc == obj);
    return objs.size() >= 2;
  }
  return obj_size > head_size;
}

// ---- append (multipart completion) ----
void ObjManifest::ConvertToExplicit() {
  if (explicit_objs) return;
  std::map<uint64_t, ObjManifestPart> parts;
  Iterator it = Begin();
  Iterator end = End();
  while (!(it == end)) {
    uint64_t ofs = it.stripe_ofs();
    ObjManifestPart& part = parts[ofs];
    part.loc_ofs = 0;
    part.loc = ofs == 0 ? obj : it.location();
    if (ofs != 0) part.loc.bucket = tail_placement.bucket;
    it.Next();
    part.size = it.stripe_ofs() - ofs;
    if (it.ofs() <= ofs) break;
  }
  objs = std::move(parts);
  explicit_objs = true;
  rules.clear();
  prefix.clear();
}

void ObjManifest::AppendRules(const ObjManifest& m,
                              std::map<uint64_t, ObjManifestRule>::const_iterator it,
                              const std::string* override_prefix) {
  for (; it != m.rules.end(); ++it) {
    ObjManifestRule rule = it->second;
    rule.start_ofs += obj_size;
    if (override_prefix) rule.override_prefix = *override_prefix;
    rules[rule.start_ofs] = rule;
  }
}

Status ObjManifest::Append(const ObjManifest& part) {
  ObjManifest m = part;  // radosgw mutates the appended manifest's rules
  auto append_explicit = [&] {
    ConvertToExplicit();
    m.ConvertToExplicit();
    uint64_t base = obj_size;
    for (const auto& [ofs, p] : m.objs) objs[base + ofs] = p;
    obj_size += m.obj_size;
    return Status::OK();
  };
  if (explicit_objs || m.explicit_objs) return append_explicit();
  if (rules.empty()) {
    *this = m;
    return Status::OK();
  }
  if (prefix.empty()) prefix = m.prefix;
  if (m.rules.empty()) return append_explicit();
  for (auto miter = m.rules.begin(); miter != m.rules.end(); ++miter) {
    ObjManifestRule& rule = rules.rbegin()->second;
    if (rule.part_size == 0) rule.part_size = obj_size - rule.start_ofs;
    ObjManifestRule& next_rule = m.rules[miter->first];
    if (!next_rule.part_size) next_rule.part_size = m.obj_size - next_rule.start_ofs;
    const std::string& rule_prefix = rule.override_prefix.empty() ? prefix : rule.override_prefix;
    const std::string& next_prefix =
        next_rule.override_prefix.empty() ? m.prefix : next_rule.override_prefix;
    if (rule.part_size != next_rule.part_size || rule.stripe_max_size != next_rule.stripe_max_size ||
        rule_prefix != next_prefix) {
      std::string np = next_prefix;
      AppendRules(m, miter, np != prefix ? &np : nullptr);
      break;
    }
    uint64_t expected_part_num = rule.start_part_num + 1;
    if (rule.part_size > 0) {
      expected_part_num =
          rule.start_part_num + (obj_size + next_rule.start_ofs - rule.start_ofs) / rule.part_size;
    }
    if (expected_part_num != next_rule.start_part_num) {
      AppendRules(m, miter, nullptr);
      break;
    }
  }
  obj_size += m.obj_size;
  return Status::OK();
}

// ---- JSON ----
nlohmann::json ToJson(const ObjManifest& v) {
  nlohmann::json objs = nlohmann::json::array();
  for (const auto& [ofs, p] : v.objs) {
    objs.push_back(ofs);
    objs.push_back({{"loc", ToJson(p.loc)}, {"loc_ofs", p.loc_ofs}, {"size", p.size}});
  }
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& [ofs, r] : v.rules) {
    rules.push_back({{"key", ofs},
                     {"val",
                      {{"start_part_num", r.start_part_num},
                       {"start_ofs", r.start_ofs},
                       {"part_size", r.part_size},
                       {"stripe_max_size", r.stripe_max_size},
                       {"override_prefix", r.override_prefix}}}});
  }
  return {{"objs", objs},
          {"obj_size", v.obj_size},
          {"explicit_objs", JsonBoolString(v.explicit_objs)},
          {"head_size", v.head_size},
          {"max_head_size", v.max_head_size},
          {"prefix", v.prefix},
          {"rules", rules},
          {"tail_instance", v.tail_instance},
          {"tail_placement",
           {{"bucket", ToJson(v.tail_placement.bucket)},
            {"placement_rule", v.tail_placement.placement_rule.ToString()}}},
          {"begin_iter", v.Begin().ToJson()},
          {"end_iter", v.End().ToJson()}};
}

}  // namespace kelp::rgw
