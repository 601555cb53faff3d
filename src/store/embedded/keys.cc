#include "store/embedded/keys.h"

namespace kelp::store::embedded {

void AppendBE64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t ReadBE64(std::string_view s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

void AppendEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
  out->push_back('\0');
  out->push_back('\x01');
}

bool ConsumeEscaped(std::string_view* in, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < in->size()) {
    char c = (*in)[i];
    if (c != '\0') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= in->size()) return false;
    char next = (*in)[i + 1];
    if (next == '\x01') {
      in->remove_prefix(i + 2);
      return true;
    }
    if (next != '\xff') return false;
    out->push_back('\0');
    i += 2;
  }
  return false;
}

std::string NamespaceKey(uint64_t pool_id, std::string_view ns) {
  std::string k;
  AppendBE64(&k, pool_id);
  AppendEscaped(&k, ns);
  return k;
}

std::string ObjectKey(uint64_t pool_id, const ObjectId& id) {
  std::string k = NamespaceKey(pool_id, id.ns);
  AppendEscaped(&k, id.oid);
  AppendEscaped(&k, id.locator);
  return k;
}

bool ParseObjectKey(std::string_view objkey, ListEntry* out) {
  if (objkey.size() < 8) return false;
  objkey.remove_prefix(8);
  return ConsumeEscaped(&objkey, &out->ns) && ConsumeEscaped(&objkey, &out->oid) &&
         ConsumeEscaped(&objkey, &out->locator) && objkey.empty();
}

std::string FileKey(uint64_t file_id) {
  std::string k(1, kFilePrefix);
  AppendBE64(&k, file_id);
  return k;
}

std::string MetaKey(std::string_view name) { return Prefixed(kMetaPrefix, name); }

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xff) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

std::string EncodeRecord(const ObjectRecord& r) {
  std::string out;
  Encoder e(&out);
  e.Versioned(1, 1, [&] {
    e.U64(r.size);
    Encode(e, r.mtime);
    e.U64(r.version);
    e.U8(static_cast<uint8_t>(r.loc));
    e.U64(r.file_id);
  });
  return out;
}

Status DecodeRecord(std::string_view in, ObjectRecord* r) {
  Decoder d(in);
  d.Versioned(1, [&](uint8_t) {
    r->size = d.U64();
    Decode(d, r->mtime);
    r->version = d.U64();
    uint8_t loc = d.U8();
    if (loc > 2) d.Fail("bad data location " + std::to_string(loc));
    r->loc = static_cast<ObjectRecord::Loc>(loc);
    r->file_id = d.U64();
  });
  return d.status().Annotate("decoding object record");
}

}  // namespace kelp::store::embedded
