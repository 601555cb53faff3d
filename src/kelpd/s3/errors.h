// The S3 dialect's error table: THE one mapping of kelp::Code to the wire (HTTP status, S3
// error code, default message), and the S3 <Error> document.
//
// Codes and statuses follow radosgw's rgw_http_s3_errors table (rgw_common.cc) where radosgw
// has an entry, e.g. a suspended user (kAccountProblem) is 403 "UserSuspended" and an absent
// tag set is 404 "NoSuchTagSetError"; otherwise AWS's documented code. Storage-internal codes
// become 500 InternalError (kBusy: 503 ServiceUnavailable).
//
//   Status st(Code::kNoSuchBucket, "");
//   const S3ErrorInfo& e = S3ErrorFor(st.code());      // {404, "NoSuchBucket", "The ..."}
//   std::string xml = RenderS3Error(st, "/bucket", req.request_id);
//   SendS3Error(req, out, st, "/bucket");               // status + headers + XML
//
// Thread-safety: all functions are pure; the table is immutable.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "kelpd/http/exchange.h"

namespace kelp::s3 {

struct S3ErrorInfo {
  int http_status;      // 404
  const char* code;     // "NoSuchBucket"
  const char* message;  // default <Message> when the Status carries none
};

// The wire form of `code`. Never fails: unknown codes map to 500 InternalError.
// kOk maps to {200, "", ""}.
const S3ErrorInfo& S3ErrorFor(Code code);

// <?xml version="1.0" encoding="UTF-8"?><Error><Code>..</Code><Message>..</Message>
// <Resource>..</Resource><RequestId>..</RequestId><HostId>..</HostId></Error>
// Message is status.message() or the table's default; all text is XML-escaped.
std::string RenderS3Error(const Status& status, const std::string& resource,
                          const std::string& request_id, const std::string& host_id = "");

// Same document for an explicit (code string, message) pair, for errors without a kelp::Code.
std::string RenderS3ErrorXml(std::string_view code, std::string_view message,
                             std::string_view resource, std::string_view request_id,
                             std::string_view host_id = "");

// Escapes & < > " ' for XML text and attribute values.
std::string XmlEscape(std::string_view s);

// Sends `status` as a complete S3 error response: HTTP status from the table,
// Content-Type: application/xml and the <Error> body (no body for HEAD requests and 304, as
// radosgw). Does nothing and returns an error if the head was already sent (the caller should
// then just return; the server closes the connection).
Status SendS3Error(const http::HttpRequest& req, http::ResponseWriter& out, const Status& status,
                   const std::string& resource, const std::string& host_id = "");

}  // namespace kelp::s3
