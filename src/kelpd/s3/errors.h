// The S3 <Error> document and error responses, over the one Code -> S3 table in
// base/s3_errors.h (shared with libkelp's other users, e.g. the Python module).
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

#include "base/s3_errors.h"
#include "base/status.h"
#include "kelpd/http/exchange.h"

namespace kelp::s3 {

using kelp::S3ErrorFor;
using kelp::S3ErrorInfo;

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
