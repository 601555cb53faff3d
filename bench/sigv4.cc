#include "sigv4.h"

#include <algorithm>
#include <ctime>

#include "base/crypto.h"

namespace kelp::bench {

std::string UriEncode(const std::string& s, bool encode_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c == '/' && !encode_slash)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string SignV4(const Credentials& creds, const std::string& method, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& query,
                   std::map<std::string, std::string>& headers, const std::string& payload_hash,
                   const std::string& amz_date) {
  headers["x-amz-date"] = amz_date;
  headers["x-amz-content-sha256"] = payload_hash;

  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& [k, v] : query) q.emplace_back(UriEncode(k, true), UriEncode(v, true));
  std::sort(q.begin(), q.end());
  std::string canon_query;
  for (const auto& [k, v] : q) {
    if (!canon_query.empty()) canon_query += '&';
    canon_query += k + "=" + v;
  }
  std::string canon_headers, signed_names;
  for (const auto& [name, value] : headers) {  // std::map: sorted by name
    canon_headers += name + ":" + value + "\n";
    if (!signed_names.empty()) signed_names += ';';
    signed_names += name;
  }
  const std::string creq = method + "\n" + UriEncode(path, false) + "\n" + canon_query + "\n" +
                           canon_headers + "\n" + signed_names + "\n" + payload_hash;
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = date + "/" + creds.region + "/s3/aws4_request";
  const std::string sts =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + HexEncode(Sha256(creq));
  std::string key = HmacSha256("AWS4" + creds.secret_key, date);
  key = HmacSha256(key, creds.region);
  key = HmacSha256(key, "s3");
  key = HmacSha256(key, "aws4_request");
  const std::string sig = HexEncode(HmacSha256(key, sts));
  headers["authorization"] = "AWS4-HMAC-SHA256 Credential=" + creds.access_key + "/" + scope +
                             ", SignedHeaders=" + signed_names + ", Signature=" + sig;
  return sig;
}

std::string AmzDateNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace kelp::bench
