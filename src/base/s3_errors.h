// THE one mapping of kelp::Code to S3's wire form: HTTP status, S3 error code
// and default message. kelpd renders it as the <Error> document
// (kelpd/s3/errors.h); the Python module raises it as kelp.Error.code/.status.
//
// Codes and statuses follow radosgw's rgw_http_s3_errors table (rgw_common.cc)
// where radosgw has an entry, e.g. a suspended user (kAccountProblem) is 403
// "UserSuspended" (an absent tag set: 404 "NoSuchTagSet", as 16.2.15 answers); otherwise
// AWS's documented code. Storage-internal codes become 500 InternalError
// (kBusy: 503 ServiceUnavailable).
//
//   const S3ErrorInfo& e = S3ErrorFor(Code::kNoSuchBucket);  // {404, "NoSuchBucket", "The ..."}
//
// Thread-safety: pure; the table is immutable.
#pragma once

#include "base/status.h"

namespace kelp {

struct S3ErrorInfo {
  int http_status;      // 404
  const char* code;     // "NoSuchBucket"
  const char* message;  // default <Message> when the Status carries none
};

// The wire form of `code`. Never fails: unknown codes map to 500 InternalError.
// kOk maps to {200, "", ""}.
const S3ErrorInfo& S3ErrorFor(Code code);

}  // namespace kelp
