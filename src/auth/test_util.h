// Helpers shared by the auth tests (header-only; not part of kelp_auth's API).
#pragma once

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "auth/amz_time.h"
#include "auth/authenticate.h"
#include "auth/request.h"

namespace kelp::auth::testing {

inline std::chrono::system_clock::time_point AtAmzDate(const std::string& amz_date) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(*ParseAmzDate(amz_date)));
}

inline AuthOptions OptionsAt(const std::string& amz_date) {
  AuthOptions o;
  o.now = AtAmzDate(amz_date);
  return o;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses an HTTP/1.1 request as the AWS SigV4 test suite writes it (.sreq):
// request line, "Name:value" header lines, blank line, body.
inline SignedRequest ParseRawRequest(const std::string& text, std::string* body) {
  SignedRequest req;
  size_t pos = 0;
  auto next_line = [&](std::string* line) {
    if (pos >= text.size()) return false;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    *line = text.substr(pos, nl - pos);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    pos = nl + 1;
    return true;
  };
  std::string line;
  next_line(&line);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  req.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  req.raw_path = target.substr(0, q);
  if (q != std::string::npos) req.raw_query = target.substr(q + 1);
  while (next_line(&line) && !line.empty()) {
    size_t colon = line.find(':');
    // An HTTP parser strips optional whitespace around a field value.
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    req.headers.emplace_back(line.substr(0, colon), value);
  }
  if (body) *body = pos < text.size() ? text.substr(pos) : "";
  return req;
}

}  // namespace kelp::auth::testing
