#include "auth/sigv2.h"

#include <algorithm>
#include <map>

#include "auth/amz_time.h"
#include "auth/sigv4.h"
#include "auth/uri.h"
#include "base/crypto.h"

namespace kelp::auth {
namespace sigv2 {
namespace {

// radosgw's signed_subresources, in its order (object-lock last, as radosgw).
constexpr std::string_view kRadosgwSubresources[] = {
    "acl",
    "cors",
    "delete",
    "encryption",
    "lifecycle",
    "location",
    "logging",
    "notification",
    "partNumber",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
    "object-lock",
};

// The sub-resources AWS SDKs sign (botocore's HmacV1Auth.QSAOfInterest).
constexpr std::string_view kAwsSubresources[] = {
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "defaultObjectAcl",
    "delete",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "select",
    "select-type",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
};

bool IsAwsSubresource(std::string_view name) {
  return std::find(std::begin(kAwsSubresources), std::end(kAwsSubresources), name) !=
         std::end(kAwsSubresources);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string CanonicalResource(const SignedRequest& req, ResourceStyle style) {
  std::string out;
  if (!req.vhost_bucket.empty()) {
    out.append("/").append(req.vhost_bucket);
    if (req.raw_path.empty() || req.raw_path[0] != '/') out.push_back('/');
  }
  out.append(req.raw_path);
  if (out.empty()) out = "/";

  std::vector<std::string> subs;
  if (style == ResourceStyle::kRadosgw) {
    std::vector<QueryParam> params = req.QueryParams();
    for (std::string_view name : kRadosgwSubresources) {
      auto it = std::find_if(params.begin(), params.end(),
                             [&](const QueryParam& p) { return p.name == name; });
      if (it == params.end()) continue;
      subs.push_back(it->value.empty() ? it->name : it->name + "=" + it->value);
    }
  } else {
    // botocore: raw names, values percent-decoded ('+' kept), '=' kept when
    // sent, stable-sorted by name.
    std::vector<std::pair<std::string, std::string>> picked;
    std::string_view q = req.raw_query;
    size_t pos = 0;
    while (pos <= q.size()) {
      size_t amp = q.find('&', pos);
      if (amp == std::string_view::npos) amp = q.size();
      std::string_view piece = q.substr(pos, amp - pos);
      pos = amp + 1;
      size_t eq = piece.find('=');
      std::string name(piece.substr(0, eq));
      if (!IsAwsSubresource(name)) continue;
      picked.emplace_back(name, eq == std::string_view::npos
                                    ? name
                                    : name + "=" + UriDecode(piece.substr(eq + 1), false));
    }
    std::stable_sort(picked.begin(), picked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& p : picked) subs.push_back(std::move(p.second));
  }
  for (size_t i = 0; i < subs.size(); ++i) out.append(i == 0 ? "?" : "&").append(subs[i]);
  return out;
}

}  // namespace

std::string StringToSign(const SignedRequest& req, bool presigned, ResourceStyle style) {
  std::string out = req.method + "\n";
  out.append(Trim(req.Header("content-md5").value_or(""))).append("\n");
  out.append(Trim(req.Header("content-type").value_or(""))).append("\n");
  std::map<std::string, std::string> amz;
  if (presigned) {
    out.append(req.Param("Expires").value_or("")).append("\n");
  } else {
    if (!req.HasHeader("x-amz-date")) out.append(Trim(req.Header("date").value_or("")));
    out.append("\n");
  }
  for (const auto& [name, value] : req.headers) {
    if (!StartsWithIgnoreCase(name, "x-amz-")) continue;
    std::string key = Lower(name);
    auto [it, inserted] = amz.emplace(key, Trim(value));
    if (!inserted) it->second.append(",").append(Trim(value));
  }
  if (presigned) {
    for (const auto& p : req.QueryParams()) {
      std::string key = Lower(p.name);
      if (key.rfind("x-amz-meta-", 0) == 0) {
        auto [it, inserted] = amz.emplace(key, p.value);
        if (!inserted) it->second.append(",").append(p.value);
      } else if (key == "x-amz-security-token") {
        amz[key] = p.value;
      }
    }
  }
  for (const auto& [k, v] : amz) out.append(k).append(":").append(v).append("\n");
  out.append(CanonicalResource(req, style));
  return out;
}

std::string Sign(std::string_view secret, std::string_view string_to_sign) {
  return Base64Encode(HmacSha1(secret, string_to_sign));
}

}  // namespace sigv2

namespace {

Status CheckContentMd5(const SignedRequest& req) {
  if (auto md5 = req.Header("content-md5")) {
    for (char c : *md5) {
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t';
      if (!ok) return Status(Code::kInvalidDigest, "The Content-MD5 you specified was invalid.");
    }
  }
  return Status::OK();
}

Result<AuthResult> Finish(const SignedRequest& req, SecretLookup& secrets,
                          const std::string& access_key, const std::string& signature,
                          bool presigned, int64_t request_time) {
  ASSIGN_OR_RETURN(std::string secret, secrets.SecretFor(access_key));
  bool matched = false;
  for (auto style : {sigv2::ResourceStyle::kRadosgw, sigv2::ResourceStyle::kAwsSdk}) {
    std::string expected = sigv2::Sign(secret, sigv2::StringToSign(req, presigned, style));
    if (sigv4::ConstantTimeEquals(expected, signature)) {
      matched = true;
      break;
    }
  }
  if (!matched) {
    return Status(Code::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  AuthResult result;
  result.anonymous = false;
  result.version = SignatureVersion::kV2;
  result.presigned = presigned;
  result.access_key = access_key;
  result.payload = PayloadMode::kUnsigned;
  result.request_time = request_time;
  return result;
}

}  // namespace

Result<AuthResult> VerifyV2Header(const SignedRequest& req, SecretLookup& secrets,
                                  const AuthOptions& options) {
  std::string_view auth = TrimOws(*req.Header("authorization"));
  std::string_view creds = auth.substr(4);  // after "AWS "
  size_t colon = creds.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status(Code::kInvalidArgument,
                  "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  }
  RETURN_IF_ERROR(CheckContentMd5(req));
  auto date = req.Header("x-amz-date");
  if (!date) date = req.Header("date");
  if (!date) {
    return Status(Code::kAccessDenied,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  std::optional<int64_t> t = ParseHttpDate(*date);
  if (!t) t = ParseAmzDate(*date);
  if (!t) {
    return Status(Code::kAccessDenied,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  const int64_t now = ToUnixSeconds(options.now);
  if ((*t > now ? *t - now : now - *t) > options.max_skew.count()) {
    return Status(Code::kRequestTimeTooSkewed,
                  "The difference between the request time and the current time is too large.");
  }
  return Finish(req, secrets, std::string(creds.substr(0, colon)),
                std::string(creds.substr(colon + 1)), false, *t);
}

Result<AuthResult> VerifyV2Query(const SignedRequest& req, SecretLookup& secrets,
                                 const AuthOptions& options) {
  std::string access_key = req.Param("AWSAccessKeyId").value_or("");
  std::string signature = req.Param("Signature").value_or("");
  auto expires = req.Param("Expires");
  if (!expires || expires->empty()) {
    return Status(Code::kAccessDenied,
                  "Query-string authentication requires the Expires parameter");
  }
  int64_t exp = 0;
  for (char c : *expires) {
    if (c < '0' || c > '9') break;  // atoll semantics, as radosgw
    exp = exp * 10 + (c - '0');
    if (exp > (int64_t{1} << 40)) break;
  }
  if (ToUnixSeconds(options.now) >= exp) return Status(Code::kAccessDenied, "Request has expired");
  if (access_key.empty() || signature.empty()) {
    return Status(Code::kAccessDenied,
                  "Query-string authentication requires AWSAccessKeyId and Signature");
  }
  RETURN_IF_ERROR(CheckContentMd5(req));
  // A base64 '+' left unescaped in the query decodes to ' '; base64 has no
  // spaces, so restore it.
  std::replace(signature.begin(), signature.end(), ' ', '+');
  return Finish(req, secrets, access_key, signature, true, 0);
}

}  // namespace kelp::auth
