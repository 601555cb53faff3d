#include "auth/request.h"

#include "auth/uri.h"

namespace kelp::auth {
namespace {
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::string_view TrimOws(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<QueryParam> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> out;
  size_t pos = 0;
  while (pos <= raw_query.size()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view piece = raw_query.substr(pos, amp - pos);
    if (!piece.empty()) {
      QueryParam p;
      size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        p.name = UriDecode(piece, true);
      } else {
        p.name = UriDecode(piece.substr(0, eq), true);
        p.value = UriDecode(piece.substr(eq + 1), true);
        p.has_value = true;
      }
      out.push_back(std::move(p));
    }
    pos = amp + 1;
  }
  return out;
}

std::optional<std::string_view> SignedRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  if (!host.empty() && EqualsIgnoreCase(name, "host")) return std::string_view(host);
  return std::nullopt;
}

std::optional<std::string> SignedRequest::HeaderJoined(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : headers) {
    if (!EqualsIgnoreCase(n, name)) continue;
    if (out) {
      out->push_back(',');
      out->append(v);
    } else {
      out = v;
    }
  }
  if (!out && !host.empty() && EqualsIgnoreCase(name, "host")) out = host;
  return out;
}

std::optional<std::string> SignedRequest::Param(std::string_view name, bool ignore_case) const {
  for (auto& p : ParseQuery(raw_query)) {
    if (ignore_case ? EqualsIgnoreCase(p.name, name) : p.name == name) return std::move(p.value);
  }
  return std::nullopt;
}

}  // namespace kelp::auth
