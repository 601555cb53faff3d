#include "auth/signer.h"

#include <algorithm>
#include <map>

#include "auth/amz_time.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "auth/uri.h"
#include "base/crypto.h"

namespace kelp::auth {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool Has(const HeaderList& h, std::string_view name) {
  return std::any_of(h.begin(), h.end(),
                     [&](const auto& kv) { return EqualsIgnoreCase(kv.first, name); });
}

std::string SignedHeaderList(const HeaderList& headers) {
  std::map<std::string, int> names;
  for (const auto& [n, v] : headers) names[Lower(n)] = 0;
  std::string out;
  for (const auto& [n, unused] : names) {
    if (!out.empty()) out.push_back(';');
    out.append(n);
  }
  return out;
}

std::string Scope(const V4SignRequest& r) {
  return FormatAmzDate(r.time).substr(0, 8) + "/" + r.region + "/" + r.service + "/aws4_request";
}

}  // namespace

V4Signature SignV4(const V4SignRequest& r, const SigningCredentials& creds) {
  V4Signature out;
  out.amz_date = FormatAmzDate(r.time);
  out.scope = Scope(r);
  std::string payload = r.payload_hash.empty() ? std::string(sigv4::kEmptySha256) : r.payload_hash;
  SignedRequest req;
  req.method = r.method;
  req.raw_path = r.raw_path;
  req.raw_query = r.raw_query;
  req.headers = r.headers;
  if (!Has(req.headers, "x-amz-date")) {
    req.headers.emplace_back("x-amz-date", out.amz_date);
    out.headers.emplace_back("x-amz-date", out.amz_date);
  }
  if (!Has(req.headers, "x-amz-content-sha256")) {
    req.headers.emplace_back("x-amz-content-sha256", payload);
    out.headers.emplace_back("x-amz-content-sha256", payload);
  }
  out.signed_headers = SignedHeaderList(req.headers);
  out.canonical_request = sigv4::CanonicalRequest(
      r.method, sigv4::CanonicalUri(r.raw_path), sigv4::CanonicalQuery(r.raw_query, false),
      sigv4::CanonicalHeaders(req, sigv4::SplitSignedHeaders(out.signed_headers)),
      out.signed_headers, payload);
  out.string_to_sign = sigv4::StringToSign(out.amz_date, out.scope, out.canonical_request);
  out.signing_key = sigv4::SigningKeyForScope(creds.secret, out.scope);
  out.signature = sigv4::HexHmac(out.signing_key, out.string_to_sign);
  out.authorization = std::string(sigv4::kAlgorithm) + " Credential=" + creds.access_key + "/" +
                      out.scope + ", SignedHeaders=" + out.signed_headers +
                      ", Signature=" + out.signature;
  out.headers.emplace_back("Authorization", out.authorization);
  return out;
}

std::string PresignV4(const V4SignRequest& r, const SigningCredentials& creds,
                      int64_t expires_seconds) {
  const std::string amz_date = FormatAmzDate(r.time);
  const std::string scope = Scope(r);
  const std::string signed_headers = SignedHeaderList(r.headers);
  std::string query = r.raw_query;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!query.empty()) query.push_back('&');
    query.append(name).append("=").append(UriEncode(value, true));
  };
  add("X-Amz-Algorithm", sigv4::kAlgorithm);
  add("X-Amz-Credential", creds.access_key + "/" + scope);
  add("X-Amz-Date", amz_date);
  add("X-Amz-Expires", std::to_string(expires_seconds));
  add("X-Amz-SignedHeaders", signed_headers);
  SignedRequest req;
  req.method = r.method;
  req.raw_path = r.raw_path;
  req.raw_query = query;
  req.headers = r.headers;
  std::string creq = sigv4::CanonicalRequest(
      r.method, sigv4::CanonicalUri(r.raw_path), sigv4::CanonicalQuery(query, true),
      sigv4::CanonicalHeaders(req, sigv4::SplitSignedHeaders(signed_headers)), signed_headers,
      r.payload_hash.empty() ? sigv4::kUnsignedPayload : r.payload_hash);
  std::string sig = sigv4::HexHmac(sigv4::SigningKeyForScope(creds.secret, scope),
                                   sigv4::StringToSign(amz_date, scope, creq));
  add("X-Amz-Signature", sig);
  return query;
}

ChunkedSigner::ChunkedSigner(const V4Signature& seed)
    : signing_key_(seed.signing_key),
      scope_(seed.scope),
      amz_date_(seed.amz_date),
      prev_(seed.signature) {}

std::string ChunkedSigner::Chunk(std::string_view data) {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + amz_date_ + "\n" + scope_ + "\n" + prev_ + "\n" +
                    std::string(sigv4::kEmptySha256) + "\n" + HexEncode(Sha256(data));
  prev_ = sigv4::HexHmac(signing_key_, sts);
  char size[32];
  std::snprintf(size, sizeof(size), "%zx", data.size());
  std::string out = std::string(size) + ";chunk-signature=" + prev_ + "\r\n";
  out.append(data).append("\r\n");
  return out;
}

uint64_t ChunkedSigner::EncodedLength(uint64_t payload, uint64_t chunk_size) {
  auto framed = [](uint64_t n) {
    char size[32];
    int digits = std::snprintf(size, sizeof(size), "%llx", static_cast<unsigned long long>(n));
    return static_cast<uint64_t>(digits) + 17 + 64 + 2 + n + 2;  // ";chunk-signature=" is 17
  };
  uint64_t total = framed(0);
  if (chunk_size == 0) return total;
  total += (payload / chunk_size) * framed(chunk_size);
  if (payload % chunk_size) total += framed(payload % chunk_size);
  return total;
}

std::string SignV2Header(const SignedRequest& req, const SigningCredentials& creds) {
  return "AWS " + creds.access_key + ":" +
         sigv2::Sign(creds.secret, sigv2::StringToSign(req, false, sigv2::ResourceStyle::kRadosgw));
}

std::string PresignV2(const SignedRequest& req, const SigningCredentials& creds,
                      int64_t expires_unix) {
  SignedRequest r = req;
  std::string query = req.raw_query;
  if (!query.empty()) query.push_back('&');
  query.append("AWSAccessKeyId=").append(UriEncode(creds.access_key, true));
  query.append("&Expires=").append(std::to_string(expires_unix));
  r.raw_query = query;
  std::string sig =
      sigv2::Sign(creds.secret, sigv2::StringToSign(r, true, sigv2::ResourceStyle::kRadosgw));
  query.append("&Signature=").append(UriEncode(sig, true));
  return query;
}

}  // namespace kelp::auth
