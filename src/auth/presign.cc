#include "auth/presign.h"

#include "auth/amz_time.h"
#include "auth/sigv4.h"

namespace kelp::auth {

Result<AuthResult> VerifyV4Presigned(const SignedRequest& req, SecretLookup& secrets,
                                     const AuthOptions& options) {
  // Parse the query once; X-Amz-* names match case-insensitively.
  const std::vector<QueryParam> params = req.QueryParams();
  auto param = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& p : params) {
      if (EqualsIgnoreCase(p.name, name)) return p.value;
    }
    return std::nullopt;
  };
  V4Parts parts;
  parts.presigned = true;

  auto credential = param("X-Amz-Credential");
  if (!credential || credential->empty()) {
    return Status(Code::kAccessDenied, "X-Amz-Credential is missing");
  }
  auto date = param("X-Amz-Date");
  std::optional<int64_t> t;
  if (date) t = ParseAmzDate(*date);
  if (!t) return Status(Code::kAccessDenied, "X-Amz-Date is missing or malformed");

  auto expires = param("X-Amz-Expires");
  if (!expires || expires->empty()) return Status(Code::kAccessDenied, "X-Amz-Expires is missing");
  int64_t exp = 0;
  for (char c : *expires) {
    if (c < '0' || c > '9' || exp > kMaxPresignExpires) {
      exp = -1;
      break;
    }
    exp = exp * 10 + (c - '0');
  }
  if (exp < 1 || exp > kMaxPresignExpires) {
    return Status(Code::kAccessDenied,
                  "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  const int64_t now = ToUnixSeconds(options.now);
  if (now >= *t + exp) return Status(Code::kAccessDenied, "Request has expired");
  if (*t - now > options.max_skew.count()) {
    return Status(Code::kAccessDenied, "Request is not valid yet");
  }

  auto signed_headers = param("X-Amz-SignedHeaders");
  if (!signed_headers || signed_headers->empty()) {
    return Status(Code::kAccessDenied, "X-Amz-SignedHeaders is missing");
  }
  auto signature = param("X-Amz-Signature");
  if (!signature || signature->empty()) {
    return Status(Code::kAccessDenied, "X-Amz-Signature is missing");
  }
  if (!ParseV4Credential(*credential, &parts)) {
    return Status(Code::kInvalidArgument,
                  "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                  "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  parts.signed_headers = std::move(*signed_headers);
  parts.signature = std::move(*signature);
  parts.amz_date = std::move(*date);
  parts.request_time = *t;
  if (auto token = param("X-Amz-Security-Token")) parts.session_token = std::move(*token);
  return VerifyV4Parts(req, secrets, options, parts);
}

}  // namespace kelp::auth
