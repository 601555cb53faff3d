#include "auth/authenticate.h"

#include "auth/presign.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"

namespace kelp::auth {

Result<std::string> MapSecrets::SecretFor(const std::string& access_key) {
  auto it = keys_.find(access_key);
  if (it == keys_.end()) {
    return Status(Code::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  return it->second;
}

// Flavour discovery follows radosgw's discover_aws_flavour: a non-empty
// Authorization header decides; otherwise X-Amz-Algorithm (SigV4) or
// AWSAccessKeyId (SigV2) in the query; otherwise the request is anonymous.
Result<AuthResult> Authenticate(const SignedRequest& req, SecretLookup& secrets,
                                const AuthOptions& options) {
  auto auth = req.Header("authorization");
  if (auth) auth = TrimOws(*auth);
  if (auth && !auth->empty()) {
    if (auth->substr(0, sigv4::kAlgorithm.size()) == sigv4::kAlgorithm) {
      return VerifyV4Header(req, secrets, options);
    }
    if (auth->substr(0, 4) == "AWS " && options.allow_sigv2) {
      return VerifyV2Header(req, secrets, options);
    }
    return Status(Code::kInvalidArgument, "Unsupported Authorization Type");
  }
  if (auto algorithm = req.Param("X-Amz-Algorithm", /*ignore_case=*/true)) {
    if (*algorithm != sigv4::kAlgorithm) {
      return Status(Code::kInvalidArgument, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    return VerifyV4Presigned(req, secrets, options);
  }
  if (auto key = req.Param("AWSAccessKeyId"); key && !key->empty()) {
    if (!options.allow_sigv2) return Status(Code::kInvalidArgument, "SigV2 is disabled");
    return VerifyV2Query(req, secrets, options);
  }
  return AuthResult{};
}

}  // namespace kelp::auth
