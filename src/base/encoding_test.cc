#include "base/encoding.h"

#include <gtest/gtest.h>

#include "base/ceph_hash.h"
#include "base/crypto.h"

namespace kelp {
namespace {

TEST(Encoding, VersionedEnvelopeRoundTrip) {
  std::string out;
  Encoder e(&out);
  e.Versioned(2, 1, [&] {
    Encode(e, uint64_t{7});
    Encode(e, std::string("tag"));
  });
  // u8 v, u8 compat, u32 len, u64, u32 len + "tag"
  ASSERT_EQ(out.size(), 6u + 8 + 4 + 3);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], 1);
  uint32_t len;
  memcpy(&len, out.data() + 2, 4);
  EXPECT_EQ(len, 15u);

  Decoder d(out);
  uint64_t ver = 0;
  std::string tag;
  d.Versioned(2, [&](uint8_t v) {
    EXPECT_EQ(v, 2);
    Decode(d, ver);
    Decode(d, tag);
  });
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(ver, 7u);
  EXPECT_EQ(tag, "tag");
}

TEST(Encoding, SkipsUnknownTrailingFields) {
  std::string out;
  Encoder e(&out);
  e.Versioned(3, 1, [&] {
    Encode(e, uint32_t{1});
    Encode(e, std::string("newer field"));
  });
  Encode(e, uint32_t{99});
  Decoder d(out);
  uint32_t a = 0, b = 0;
  d.Versioned(1, [&](uint8_t) { Decode(d, a); });
  Decode(d, b);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 99u);
}

TEST(Encoding, RejectsIncompatibleAndTruncated) {
  std::string out;
  Encoder e(&out);
  e.Versioned(9, 9, [&] { Encode(e, uint32_t{1}); });
  Decoder d(out);
  d.Versioned(2, [&](uint8_t) {});
  EXPECT_FALSE(d.ok());

  Decoder t(std::string_view(out).substr(0, 7));
  uint32_t x;
  t.Versioned(9, [&](uint8_t) { Decode(t, x); });
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kCorruption);
}

TEST(Encoding, LegacyCompatLen) {
  // struct_v 2 below compatv 3: no compat byte and no length.
  std::string out;
  Encoder e(&out);
  e.U8(2);
  e.U32(42);
  Decoder d(out);
  uint32_t x = 0;
  d.VersionedLegacy(10, 3, 3, [&](uint8_t v) {
    EXPECT_EQ(v, 2);
    Decode(d, x);
  });
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(x, 42u);
}

TEST(Encoding, PackedIntegers) {
  auto enc = [](uint64_t v) {
    std::string s;
    Encoder e(&s);
    EncodePacked(e, v);
    return s;
  };
  EXPECT_EQ(enc(5), std::string("\x05", 1));
  EXPECT_EQ(enc(0x80), std::string("\x81\x80", 2));
  EXPECT_EQ(enc(0x1234), std::string("\x82\x34\x12", 3));
  // Upstream quirk: 0x10000 goes through the u16 branch and becomes 0.
  EXPECT_EQ(enc(0x10000), std::string("\x82\x00\x00", 3));
  EXPECT_EQ(enc(uint64_t(-1)), std::string("\x88\xff\xff\xff\xff\xff\xff\xff\xff", 9));
  Decoder d(enc(0x123456));
  EXPECT_EQ(DecodePacked(d), 0x123456u);
}

TEST(Hash, CephStrHashLinux) {
  EXPECT_EQ(CephStrHashLinux(""), 0u);
  // h = (0 + (0x61<<4) + (0x61>>4)) * 11 = (1552 + 6) * 11
  EXPECT_EQ(CephStrHashLinux("a"), 17138u);
  EXPECT_LT(BucketIndexShard("anything", 11), 11u);
  EXPECT_EQ(BucketIndexShard("x", 0), 0u);
}

TEST(Crypto, KnownVectors) {
  EXPECT_EQ(HexEncode(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  std::string raw;
  ASSERT_TRUE(Base64Decode(Base64Encode("hello!?"), &raw));
  EXPECT_EQ(raw, "hello!?");
  EXPECT_FALSE(Base64Decode("abc", &raw));
  EXPECT_EQ(RandomAlnum(32).size(), 32u);
}

}  // namespace
}  // namespace kelp
