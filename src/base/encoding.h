// Ceph-compatible binary encoding (src/include/encoding.h, denc.h).
//
// Integers are little-endian fixed width; strings and byte buffers are a u32
// length plus bytes; containers a u32 count plus elements (maps in key
// order); optional is a u8 flag plus the value. Versioned structs use
// ENCODE_START's envelope: u8 struct_v, u8 struct_compat, u32 struct_len.
//
// Encoding: free functions `void Encode(Encoder&, const T&)` overloaded per
// type. Decoding: `void Decode(Decoder&, T&)`. Decoder errors are sticky: a
// short read or a bad envelope marks the decoder failed, later reads return
// zeros, and the caller checks `ok()`/`status()` once at the end. This keeps
// struct decoders as linear as Ceph's without exceptions.
//
//   std::string bytes;
//   Encoder e(&bytes);
//   e.Versioned(1, 1, [&] { Encode(e, ver); Encode(e, tag); });
//
//   Decoder d(bytes);
//   d.Versioned(1, [&](uint8_t v) { Decode(d, ver); Decode(d, tag); });
//   if (!d.ok()) return d.status();
#pragma once

#include <cstdint>
#include <cstring>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kelp {

class Encoder {
 public:
  explicit Encoder(std::string* out) : out_(out) {}

  void Raw(const void* p, size_t n) { out_->append(static_cast<const char*>(p), n); }
  template <typename T>
  void Fixed(T v) {  // little-endian host assumed (x86_64, aarch64)
    static_assert(std::is_integral_v<T> || std::is_floating_point_v<T>);
    Raw(&v, sizeof(v));
  }
  void U8(uint8_t v) { Fixed(v); }
  void U16(uint16_t v) { Fixed(v); }
  void U32(uint32_t v) { Fixed(v); }
  void U64(uint64_t v) { Fixed(v); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }

  // ENCODE_START(v, compat) ... ENCODE_FINISH around body().
  template <typename F>
  void Versioned(uint8_t v, uint8_t compat, F&& body) {
    U8(v);
    U8(compat);
    size_t len_at = out_->size();
    U32(0);
    size_t start = out_->size();
    body();
    uint32_t len = static_cast<uint32_t>(out_->size() - start);
    std::memcpy(out_->data() + len_at, &len, 4);
  }

  std::string* out() { return out_; }

 private:
  std::string* out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool ok() const { return error_.empty(); }
  Status status() const {
    return ok() ? Status::OK() : Status::Corruption(error_);
  }
  void Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    pos_ = in_.size();
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return in_.size() - pos_; }
  bool AtEnd() const { return pos_ >= in_.size(); }

  bool Raw(void* p, size_t n) {
    if (!ok() || remaining() < n) {
      if (p && n) std::memset(p, 0, n);
      Fail("buffer too short");
      return false;
    }
    if (p) std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view Take(size_t n) {
    if (!ok() || remaining() < n) {
      Fail("buffer too short");
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  void Skip(size_t n) { Take(n); }

  template <typename T>
  T Fixed() {
    T v{};
    Raw(&v, sizeof(v));
    return v;
  }
  uint8_t U8() { return Fixed<uint8_t>(); }
  uint16_t U16() { return Fixed<uint16_t>(); }
  uint32_t U32() { return Fixed<uint32_t>(); }
  uint64_t U64() { return Fixed<uint64_t>(); }
  bool Bool() { return U8() != 0; }
  std::string Str() {
    uint32_t n = U32();
    return std::string(Take(n));
  }

  // DECODE_START(max_v) ... DECODE_FINISH: body(struct_v) reads the fields;
  // afterwards the decoder is positioned at the envelope's end, so unknown
  // trailing fields written by newer versions are skipped.
  template <typename F>
  void Versioned(uint8_t max_v, F&& body) {
    VersionedImpl(max_v, /*compatv=*/0, /*lenv=*/0, /*legacy_extra=*/0, body);
  }
  // DECODE_START_LEGACY_COMPAT_LEN(v, compatv, lenv): struct_compat only if
  // struct_v >= compatv, struct_len only if struct_v >= lenv.
  template <typename F>
  void VersionedLegacy(uint8_t max_v, uint8_t compatv, uint8_t lenv, F&& body) {
    VersionedImpl(max_v, compatv, lenv, 0, body);
  }
  // _32 variant: very old structs had a u32 version; skip 3 more bytes then.
  template <typename F>
  void VersionedLegacy32(uint8_t max_v, uint8_t compatv, uint8_t lenv, F&& body) {
    VersionedImpl(max_v, compatv, lenv, 3, body);
  }
  // _16 variant: skip 1 more byte when struct_v < compatv.
  template <typename F>
  void VersionedLegacy16(uint8_t max_v, uint8_t compatv, uint8_t lenv, F&& body) {
    VersionedImpl(max_v, compatv, lenv, 1, body);
  }

 private:
  template <typename F>
  void VersionedImpl(uint8_t max_v, uint8_t compatv, uint8_t lenv,
                     int legacy_extra, F&& body) {
    uint8_t v = U8();
    if (!ok()) return;
    bool legacy = compatv != 0;
    uint8_t compat = 0;
    uint32_t len = 0;
    bool have_len = true;
    if (!legacy || v >= compatv) {
      compat = U8();
    } else if (legacy_extra) {
      Skip(legacy_extra);
    }
    if (!legacy || v >= lenv) {
      len = U32();
    } else {
      have_len = false;
    }
    if (!ok()) return;
    if (legacy ? (v >= compatv && compat > max_v) : compat > max_v) {
      Fail("struct_compat " + std::to_string(compat) + " > supported " +
           std::to_string(max_v));
      return;
    }
    size_t end = pos_ + len;
    if (have_len && end > in_.size()) {
      Fail("struct_len past end of buffer");
      return;
    }
    // Restrict the body's view to the envelope so a bad length cannot make
    // it read the next struct's bytes as its own.
    std::string_view saved = in_;
    if (have_len) in_ = in_.substr(0, end);
    body(v);
    in_ = saved;
    if (!ok()) return;
    if (have_len) {
      if (pos_ > end) {
        Fail("struct decoded past its length");
        return;
      }
      pos_ = end;
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

// ---- primitives ----
inline void Encode(Encoder& e, uint8_t v) { e.U8(v); }
inline void Encode(Encoder& e, uint16_t v) { e.U16(v); }
inline void Encode(Encoder& e, uint32_t v) { e.U32(v); }
inline void Encode(Encoder& e, uint64_t v) { e.U64(v); }
inline void Encode(Encoder& e, int32_t v) { e.Fixed(v); }
inline void Encode(Encoder& e, int64_t v) { e.Fixed(v); }
inline void Encode(Encoder& e, bool v) { e.Bool(v); }
inline void Encode(Encoder& e, const std::string& s) { e.Str(s); }

inline void Decode(Decoder& d, uint8_t& v) { v = d.U8(); }
inline void Decode(Decoder& d, uint16_t& v) { v = d.U16(); }
inline void Decode(Decoder& d, uint32_t& v) { v = d.U32(); }
inline void Decode(Decoder& d, uint64_t& v) { v = d.U64(); }
inline void Decode(Decoder& d, int32_t& v) { v = d.Fixed<int32_t>(); }
inline void Decode(Decoder& d, int64_t& v) { v = d.Fixed<int64_t>(); }
inline void Decode(Decoder& d, bool& v) { v = d.Bool(); }
inline void Decode(Decoder& d, std::string& s) { s = d.Str(); }

// ---- containers (need Encode/Decode of the element types in scope) ----
template <typename T>
void Encode(Encoder& e, const std::vector<T>& c) {
  e.U32(static_cast<uint32_t>(c.size()));
  for (const auto& x : c) Encode(e, x);
}
template <typename T>
void Encode(Encoder& e, const std::list<T>& c) {
  e.U32(static_cast<uint32_t>(c.size()));
  for (const auto& x : c) Encode(e, x);
}
template <typename T>
void Encode(Encoder& e, const std::set<T>& c) {
  e.U32(static_cast<uint32_t>(c.size()));
  for (const auto& x : c) Encode(e, x);
}
template <typename K, typename V>
void Encode(Encoder& e, const std::map<K, V>& m) {
  e.U32(static_cast<uint32_t>(m.size()));
  for (const auto& [k, v] : m) {
    Encode(e, k);
    Encode(e, v);
  }
}
template <typename K, typename V>
void Encode(Encoder& e, const std::multimap<K, V>& m) {
  e.U32(static_cast<uint32_t>(m.size()));
  for (const auto& [k, v] : m) {
    Encode(e, k);
    Encode(e, v);
  }
}
template <typename T>
void Encode(Encoder& e, const std::optional<T>& o) {
  e.Bool(o.has_value());
  if (o) Encode(e, *o);
}

// Guard against absurd counts from corrupt input before reserving memory.
inline bool SaneCount(Decoder& d, uint32_t n) {
  if (n > d.remaining()) {
    d.Fail("element count larger than remaining bytes");
    return false;
  }
  return true;
}

template <typename T>
void Decode(Decoder& d, std::vector<T>& c) {
  uint32_t n = d.U32();
  c.clear();
  if (!SaneCount(d, n)) return;
  c.reserve(n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) Decode(d, c.emplace_back());
}
template <typename T>
void Decode(Decoder& d, std::list<T>& c) {
  uint32_t n = d.U32();
  c.clear();
  if (!SaneCount(d, n)) return;
  for (uint32_t i = 0; i < n && d.ok(); ++i) Decode(d, c.emplace_back());
}
template <typename T>
void Decode(Decoder& d, std::set<T>& c) {
  uint32_t n = d.U32();
  c.clear();
  if (!SaneCount(d, n)) return;
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    T x{};
    Decode(d, x);
    c.insert(std::move(x));
  }
}
template <typename K, typename V>
void Decode(Decoder& d, std::map<K, V>& m) {
  uint32_t n = d.U32();
  m.clear();
  if (!SaneCount(d, n)) return;
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    K k{};
    Decode(d, k);
    Decode(d, m[k]);
  }
}
template <typename K, typename V>
void Decode(Decoder& d, std::multimap<K, V>& m) {
  uint32_t n = d.U32();
  m.clear();
  if (!SaneCount(d, n)) return;
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    K k{};
    V v{};
    Decode(d, k);
    Decode(d, v);
    m.emplace(std::move(k), std::move(v));
  }
}
template <typename T>
void Decode(Decoder& d, std::optional<T>& o) {
  if (d.Bool()) {
    o.emplace();
    Decode(d, *o);
  } else {
    o.reset();
  }
}

// ---- time: ceph::real_time / utime_t = u32 sec + u32 nsec ----
struct CephTime {
  uint32_t sec = 0;
  uint32_t nsec = 0;
  bool IsZero() const { return sec == 0 && nsec == 0; }
  static CephTime Now();
  // Nanoseconds since the epoch.
  uint64_t ToNanos() const { return uint64_t(sec) * 1000000000ull + nsec; }
  friend bool operator==(const CephTime&, const CephTime&) = default;
  friend auto operator<=>(const CephTime&, const CephTime&) = default;
};
inline void Encode(Encoder& e, const CephTime& t) {
  e.U32(t.sec);
  e.U32(t.nsec);
}
inline void Decode(Decoder& d, CephTime& t) {
  t.sec = d.U32();
  t.nsec = d.U32();
}

// ---- cls_rgw packed integers (encode_packed_val / decode_packed_val) ----
void EncodePacked(Encoder& e, uint64_t v);
uint64_t DecodePacked(Decoder& d);

// Encode a value into a fresh string / decode a whole string.
template <typename T>
std::string EncodeToString(const T& v) {
  std::string s;
  Encoder e(&s);
  Encode(e, v);
  return s;
}
template <typename T>
Status DecodeFromString(std::string_view bytes, T& v) {
  Decoder d(bytes);
  Decode(d, v);
  return d.status();
}

}  // namespace kelp
