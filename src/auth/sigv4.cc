#include "auth/sigv4.h"

#include <algorithm>
#include <map>
#include <optional>

#include "auth/amz_time.h"
#include "auth/uri.h"
#include "base/crypto.h"

namespace kelp::auth {
namespace sigv4 {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
  std::string k = HmacSha256(std::string("AWS4").append(secret), date);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  return HmacSha256(k, "aws4_request");
}

std::string SigningKeyForScope(std::string_view secret, std::string_view scope) {
  std::string_view parts[3];
  for (auto& p : parts) {
    size_t slash = scope.find('/');
    p = scope.substr(0, slash);
    scope = slash == std::string_view::npos ? std::string_view() : scope.substr(slash + 1);
  }
  return SigningKey(secret, parts[0], parts[1], parts[2]);
}

std::string CanonicalUri(std::string_view raw_path) {
  std::string uri = UriRecode(raw_path, false);
  return uri.empty() ? "/" : uri;
}

std::string CanonicalQuery(std::string_view raw_query, bool drop_signature) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t pos = 0;
  while (pos <= raw_query.size()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view piece = raw_query.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    if (drop_signature && EqualsIgnoreCase(name, "X-Amz-Signature")) continue;
    // '+' in a query is a space (radosgw replaces it with %20 before recoding).
    pairs.emplace_back(UriEncode(UriDecode(name, true), true),
                       UriEncode(UriDecode(value, true), true));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [n, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(n).append("=").append(v);
  }
  return out;
}

std::string TrimAll(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> SplitSignedHeaders(std::string_view signed_headers) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos <= signed_headers.size()) {
    size_t semi = signed_headers.find(';', pos);
    if (semi == std::string_view::npos) semi = signed_headers.size();
    std::string name = TrimAll(signed_headers.substr(pos, semi - pos));
    if (!name.empty()) names.push_back(Lowercase(name));
    pos = semi + 1;
  }
  return names;
}

std::string CanonicalHeaders(const SignedRequest& req, const std::vector<std::string>& names) {
  std::map<std::string, std::string> sorted;
  for (const auto& name : names) {
    // Repeated headers: each value trimmed, joined by ','. A signed header
    // the request lacks is skipped, as radosgw does, rather than failing.
    std::optional<std::string> joined;
    for (const auto& [n, v] : req.headers) {
      if (!EqualsIgnoreCase(n, name)) continue;
      if (joined) {
        joined->append(",").append(TrimAll(v));
      } else {
        joined = TrimAll(v);
      }
    }
    if (!joined && name == "host" && !req.host.empty()) joined = TrimAll(req.host);
    if (joined) sorted[name] = std::move(*joined);
  }
  std::string out;
  for (const auto& [n, v] : sorted) out.append(n).append(":").append(v).append("\n");
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view uri, std::string_view query,
                             std::string_view headers, std::string_view signed_headers,
                             std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.size() + signed_headers.size() +
              payload_hash.size() + 5);
  out.append(method).append("\n").append(uri).append("\n").append(query).append("\n");
  out.append(headers).append("\n").append(signed_headers).append("\n").append(payload_hash);
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(HexEncode(Sha256(canonical_request)));
  return out;
}

std::string HexHmac(std::string_view key, std::string_view data) {
  return HexEncode(HmacSha256(key, data));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace sigv4

namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::string LowerHex(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status ClassifyPayload(const SignedRequest& req, const V4Parts& parts, std::string* hash_line,
                       AuthResult* result) {
  auto header = req.Header("x-amz-content-sha256");
  std::string_view value = header ? *header : sigv4::kUnsignedPayload;
  *hash_line = std::string(value);
  if (value == sigv4::kUnsignedPayload) {
    result->payload = PayloadMode::kUnsigned;
  } else if (IsHex64(value)) {
    result->payload = PayloadMode::kSignedSha256;
    result->expected_sha256 = LowerHex(value);
  } else if (!parts.presigned && value == sigv4::kStreamingPayload) {
    result->payload = PayloadMode::kStreamingChunked;
  } else if (!parts.presigned && value == sigv4::kStreamingPayloadTrailer) {
    result->payload = PayloadMode::kStreamingSignedTrailer;
  } else if (!parts.presigned && value == sigv4::kStreamingUnsignedTrailer) {
    result->payload = PayloadMode::kStreamingUnsignedTrailer;
  } else {
    return Status(Code::kInvalidArgument,
                  "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.");
  }
  if (result->payload == PayloadMode::kStreamingChunked ||
      result->payload == PayloadMode::kStreamingSignedTrailer ||
      result->payload == PayloadMode::kStreamingUnsignedTrailer) {
    if (auto len = req.Header("x-amz-decoded-content-length")) {
      uint64_t n = 0;
      if (len->empty() || len->size() > 19) {
        return Status(Code::kInvalidArgument, "invalid x-amz-decoded-content-length");
      }
      for (char c : *len) {
        if (c < '0' || c > '9') {
          return Status(Code::kInvalidArgument, "invalid x-amz-decoded-content-length");
        }
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      result->decoded_content_length = n;
    }
    if (auto t = req.Header("x-amz-trailer")) result->trailer = std::string(*t);
  }
  return Status::OK();
}

// radosgw (rgw_sigv4_insecure=false): host must be signed, and so must every
// x-amz-* header the request carries except x-amz-content-sha256, which the
// payload-hash line already covers.
Status CheckSignedHeaderPolicy(const SignedRequest& req, const std::vector<std::string>& names) {
  auto is_signed = [&](std::string_view n) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& s) { return EqualsIgnoreCase(s, n); });
  };
  if (!is_signed("host")) {
    return Status(Code::kAccessDenied, "the host header must be signed");
  }
  for (const auto& [name, value] : req.headers) {
    if (StartsWithIgnoreCase(name, "x-amz-") && !EqualsIgnoreCase(name, "x-amz-content-sha256") &&
        !is_signed(name)) {
      return Status(Code::kAccessDenied,
                    "There were headers present in the request which were not signed: " + name);
    }
  }
  return Status::OK();
}

// The Authorization value after the algorithm: comma-separated key=value.
Status ParseAuthorizationFields(std::string_view rest, V4Parts* parts, std::string* credential) {
  bool have_cred = false, have_signed = false, have_sig = false;
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t comma = rest.find(',', pos);
    if (comma == std::string_view::npos) comma = rest.size();
    std::string field = sigv4::TrimAll(rest.substr(pos, comma - pos));
    pos = comma + 1;
    if (field.empty()) continue;
    size_t eq = field.find('=');
    if (eq == std::string::npos) {
      return Status(Code::kAuthorizationHeaderMalformed,
                    "The authorization header is malformed; invalid component '" + field + "'");
    }
    std::string key = sigv4::TrimAll(std::string_view(field).substr(0, eq));
    std::string value = sigv4::TrimAll(std::string_view(field).substr(eq + 1));
    if (key == "Credential") {
      *credential = value;
      have_cred = true;
    } else if (key == "SignedHeaders") {
      parts->signed_headers = value;
      have_signed = true;
    } else if (key == "Signature") {
      parts->signature = value;
      have_sig = true;
    }
  }
  if (!have_cred || !have_signed || !have_sig) {
    return Status(Code::kAuthorizationHeaderMalformed,
                  "The authorization header is malformed; the authorization header requires "
                  "three components: Credential, SignedHeaders, and Signature.");
  }
  return Status::OK();
}

}  // namespace

bool ParseV4Credential(std::string_view credential, V4Parts* parts) {
  if (std::count(credential.begin(), credential.end(), '/') != 4) return false;
  size_t s1 = credential.find('/');
  size_t s2 = credential.find('/', s1 + 1);
  size_t s3 = credential.find('/', s2 + 1);
  size_t s4 = credential.find('/', s3 + 1);
  if (credential.substr(s4 + 1) != "aws4_request") return false;
  parts->access_key = std::string(credential.substr(0, s1));
  parts->scope = std::string(credential.substr(s1 + 1));
  parts->date = std::string(credential.substr(s1 + 1, s2 - s1 - 1));
  parts->region = std::string(credential.substr(s2 + 1, s3 - s2 - 1));
  parts->service = std::string(credential.substr(s3 + 1, s4 - s3 - 1));
  return !parts->access_key.empty();
}

Result<AuthResult> VerifyV4Header(const SignedRequest& req, SecretLookup& secrets,
                                  const AuthOptions& options) {
  std::string_view auth = TrimOws(*req.Header("authorization"));
  std::string_view rest = auth.substr(sigv4::kAlgorithm.size());
  if (!rest.empty() && rest[0] != ' ') {
    return Status(Code::kInvalidArgument, "Unsupported Authorization Type");
  }
  V4Parts parts;
  std::string credential;
  RETURN_IF_ERROR(ParseAuthorizationFields(rest, &parts, &credential));
  if (!ParseV4Credential(credential, &parts)) {
    return Status(Code::kAuthorizationHeaderMalformed,
                  "The authorization header is malformed; the Credential is mal-formed; "
                  "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  // radosgw takes x-amz-date, else Date, and parses it as ISO 8601.
  auto date = req.Header("x-amz-date");
  if (!date) date = req.Header("date");
  std::optional<int64_t> t;
  if (date) t = ParseAmzDate(*date);
  if (!t) {
    return Status(Code::kAccessDenied,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  int64_t now = ToUnixSeconds(options.now);
  int64_t skew = *t > now ? *t - now : now - *t;
  if (skew > options.max_skew.count()) {
    return Status(Code::kRequestTimeTooSkewed,
                  "The difference between the request time and the current time is too large.");
  }
  parts.amz_date = std::string(*date);
  parts.request_time = *t;
  if (auto token = req.Header("x-amz-security-token")) parts.session_token = std::string(*token);
  return VerifyV4Parts(req, secrets, options, parts);
}

Result<AuthResult> VerifyV4Parts(const SignedRequest& req, SecretLookup& secrets,
                                 const AuthOptions& options, const V4Parts& parts) {
  const Code malformed =
      parts.presigned ? Code::kInvalidArgument : Code::kAuthorizationHeaderMalformed;
  if (!options.region.empty() && parts.region != options.region) {
    return Status(malformed, "The authorization header is malformed; the region '" + parts.region +
                                 "' is wrong; expecting '" + options.region + "'");
  }
  if (!options.service.empty() && parts.service != options.service) {
    return Status(malformed, "The authorization header is malformed; incorrect service '" +
                                 parts.service + "'. This endpoint belongs to '" + options.service +
                                 "'.");
  }
  AuthResult result;
  result.anonymous = false;
  result.version = SignatureVersion::kV4;
  result.presigned = parts.presigned;
  result.access_key = parts.access_key;
  result.request_time = parts.request_time;
  result.session_token = parts.session_token;

  std::string hash_line;
  RETURN_IF_ERROR(ClassifyPayload(req, parts, &hash_line, &result));

  std::vector<std::string> names = sigv4::SplitSignedHeaders(parts.signed_headers);
  if (options.strict_signed_headers) RETURN_IF_ERROR(CheckSignedHeaderPolicy(req, names));
  if (auto md5 = req.Header("content-md5")) {
    for (char c : *md5) {
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t';
      if (!ok) return Status(Code::kInvalidDigest, "The Content-MD5 you specified was invalid.");
    }
  }

  ASSIGN_OR_RETURN(std::string secret, secrets.SecretFor(parts.access_key));

  const std::string signing_key = sigv4::SigningKeyForScope(secret, parts.scope);
  const std::string query = sigv4::CanonicalQuery(req.raw_query, parts.presigned);
  const std::string headers = sigv4::CanonicalHeaders(req, names);
  std::string provided = LowerHex(parts.signature);

  std::string uris[2] = {sigv4::CanonicalUri(req.raw_path), req.raw_path};
  bool matched = false;
  for (const auto& uri : uris) {
    if (uri.empty() || (&uri != &uris[0] && uri == uris[0])) continue;
    std::string creq =
        sigv4::CanonicalRequest(req.method, uri, query, headers, parts.signed_headers, hash_line);
    std::string sig =
        sigv4::HexHmac(signing_key, sigv4::StringToSign(parts.amz_date, parts.scope, creq));
    if (sigv4::ConstantTimeEquals(sig, provided)) {
      matched = true;
      break;
    }
  }
  if (!matched) {
    return Status(Code::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  if (result.payload == PayloadMode::kStreamingChunked ||
      result.payload == PayloadMode::kStreamingSignedTrailer) {
    result.streaming.seed_signature = provided;
    result.streaming.signing_key = signing_key;
    result.streaming.scope = parts.scope;
    result.streaming.amz_date = parts.amz_date;
  }
  return result;
}

}  // namespace kelp::auth
