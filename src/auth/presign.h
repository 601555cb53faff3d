// SigV4 presigned URLs: authentication carried in the query string.
//
//   ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request
//   &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=...
//
// As radosgw's parse_v4_query_string: parameter names match
// case-insensitively; a missing Credential, Date, Expires, SignedHeaders or
// Signature is AccessDenied; X-Amz-Expires must be 1..604800 (seven days);
// the URL is expired once now >= X-Amz-Date + X-Amz-Expires (AccessDenied,
// "Request has expired"). Beyond radosgw, a URL dated further in the future
// than the allowed skew is refused, as AWS does. The canonical query is the
// whole query minus X-Amz-Signature; the payload hash is x-amz-content-sha256
// if sent, else UNSIGNED-PAYLOAD.
//
// Thread-safety: reentrant.
#pragma once

#include "auth/authenticate.h"

namespace kelp::auth {

inline constexpr int64_t kMaxPresignExpires = 7 * 24 * 3600;

Result<AuthResult> VerifyV4Presigned(const SignedRequest& req, SecretLookup& secrets,
                                     const AuthOptions& options);

}  // namespace kelp::auth
