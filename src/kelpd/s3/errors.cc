#include "kelpd/s3/errors.h"

#include <cstdio>

namespace kelp::s3 {
namespace {

void AppendElement(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  out += XmlEscape(text);
  out += "</";
  out += name;
  out += '>';
}

}  // namespace

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderS3ErrorXml(std::string_view code, std::string_view message,
                             std::string_view resource, std::string_view request_id,
                             std::string_view host_id) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>";
  AppendElement(out, "Code", code);
  AppendElement(out, "Message", message);
  AppendElement(out, "Resource", resource);
  AppendElement(out, "RequestId", request_id);
  AppendElement(out, "HostId", host_id);
  out += "</Error>";
  return out;
}

std::string RenderS3Error(const Status& status, const std::string& resource,
                          const std::string& request_id, const std::string& host_id) {
  const S3ErrorInfo& info = S3ErrorFor(status.code());
  std::string_view message = info.message;
  if (!status.message().empty()) message = status.message();
  return RenderS3ErrorXml(info.code, message, resource, request_id, host_id);
}

Status SendS3Error(const http::HttpRequest& req, http::ResponseWriter& out, const Status& status,
                   const std::string& resource, const std::string& host_id) {
  if (out.head_sent()) {
    return Status(Code::kInternal, "response already started; cannot send " + status.ToString());
  }
  const S3ErrorInfo& info = S3ErrorFor(status.code());
  if (info.http_status >= 500) {
    // A server-side failure (cluster timeout, missing pool, ...) is the operator's to see: one
    // line with the request id the client got, the full status and where it came from.
    std::fprintf(stderr, "kelpd: %d %s for %s %s (request %s): %s\n", info.http_status,
                 std::string(info.code).c_str(), req.method.c_str(), req.target.c_str(),
                 req.request_id.c_str(), status.ToString().c_str());
  }
  if (info.http_status == 304) {  // a 304 carries no body
    out.SetStatus(304);
    RETURN_IF_ERROR(out.SendHead(std::nullopt));
    return out.Finish();
  }
  // For HEAD the writer swallows the body but keeps its Content-Length, as radosgw does.
  return out.SendSimple(info.http_status, "application/xml",
                        RenderS3Error(status, resource, req.request_id, host_id));
}

}  // namespace kelp::s3
