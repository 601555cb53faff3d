// Hashes, MACs and text codecs used by the layout and by request signing,
// all backed by OpenSSL. Incremental hashers let object data be hashed as it
// streams through in bounded chunks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kelp {

// Incremental digest. Kind selects MD5, SHA-1 or SHA-256.
class Hasher {
 public:
  enum class Kind { kMd5, kSha1, kSha256 };
  explicit Hasher(Kind kind);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void Update(std::string_view data);
  // Raw digest bytes. The hasher must not be updated afterwards.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Md5(std::string_view data);     // raw 16 bytes
std::string Sha256(std::string_view data);  // raw 32 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw
std::string HmacSha1(std::string_view key, std::string_view data);    // raw

std::string HexEncode(std::string_view raw);  // lower case
// Returns false on odd length or a non-hex character.
bool HexDecode(std::string_view hex, std::string* raw);
std::string Base64Encode(std::string_view raw);
// Strict RFC 4648 with padding; returns false on malformed input.
bool Base64Decode(std::string_view b64, std::string* raw);

// Cryptographically random string of [A-Za-z0-9] (radosgw's
// gen_rand_alphanumeric), used for tags, upload ids and tail prefixes.
std::string RandomAlnum(size_t n);
// Random upper-case alphanumerics (radosgw access key ids).
std::string RandomUpperAlnum(size_t n);
// Random characters from radosgw's secret-key alphabet (gen_rand_base64-ish).
std::string RandomSecret(size_t n);
std::string RandomBytes(size_t n);
// RFC 4122 v4 UUID text ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx").
std::string RandomUuid();

}  // namespace kelp
