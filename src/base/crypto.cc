#include "base/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace kelp {

struct Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Hasher::Hasher(Kind kind) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  const EVP_MD* md = kind == Kind::kMd5    ? EVP_md5()
                     : kind == Kind::kSha1 ? EVP_sha1()
                                           : EVP_sha256();
  EVP_DigestInit_ex(impl_->ctx, md, nullptr);
}
Hasher::~Hasher() {
  if (impl_ && impl_->ctx) EVP_MD_CTX_free(impl_->ctx);
}
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}
std::string Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string Md5(std::string_view data) {
  Hasher h(Hasher::Kind::kMd5);
  h.Update(data);
  return h.Finish();
}
std::string Sha256(std::string_view data) {
  Hasher h(Hasher::Kind::kSha256);
  h.Update(data);
  return h.Finish();
}

static std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}
std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha256(), key, data);
}
std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha1(), key, data);
}

std::string HexEncode(std::string_view raw) {
  static const char* kHex = "0123456789abcdef";
  std::string s;
  s.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    s.push_back(kHex[c >> 4]);
    s.push_back(kHex[c & 15]);
  }
  return s;
}

static int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool HexDecode(std::string_view hex, std::string* raw) {
  if (hex.size() % 2) return false;
  raw->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int a = HexVal(hex[i]), b = HexVal(hex[i + 1]);
    if (a < 0 || b < 0) return false;
    raw->push_back(static_cast<char>(a * 16 + b));
  }
  return true;
}

std::string Base64Encode(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(n);
  return out;
}
bool Base64Decode(std::string_view b64, std::string* raw) {
  if (b64.size() % 4) return false;
  for (char c : b64) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return false;
  }
  std::string out(3 * b64.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return false;
  size_t pad = 0;
  if (!b64.empty() && b64.back() == '=') pad++;
  if (b64.size() > 1 && b64[b64.size() - 2] == '=') pad++;
  out.resize(n - pad);
  *raw = std::move(out);
  return true;
}

std::string RandomBytes(size_t n) {
  std::string s(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");  // environment failure: crash loudly
  }
  return s;
}

static std::string RandomFrom(std::string_view alphabet, size_t n) {
  std::string r = RandomBytes(n);
  for (auto& c : r) c = alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  return r;
}
std::string RandomAlnum(size_t n) {
  return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
}
std::string RandomUpperAlnum(size_t n) {
  return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n);
}
std::string RandomSecret(size_t n) {
  return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n);
}
std::string RandomUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string h = HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace kelp
