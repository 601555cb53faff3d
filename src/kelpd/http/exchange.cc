#include "kelpd/http/exchange.h"

namespace kelp::http {

BodyReader::~BodyReader() = default;
ResponseWriter::~ResponseWriter() = default;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return &v;
  }
  return nullptr;
}

Status ResponseWriter::SendSimple(int code, std::string content_type, std::string body) {
  SetStatus(code);
  if (!content_type.empty()) AddHeader("Content-Type", std::move(content_type));
  RETURN_IF_ERROR(SendHead(body.size()));
  if (!body.empty()) RETURN_IF_ERROR(Write(body));
  return Finish();
}

}  // namespace kelp::http
