#include "kelpd/s3/handlers_headers.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "auth/amz_time.h"
#include "auth/request.h"
#include "auth/uri.h"
#include "base/crypto.h"

namespace kelp::s3 {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseU64(std::string_view s, uint64_t* v) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  *v = x;
  return true;
}

bool StartsWithI(std::string_view s, std::string_view prefix) {
  return auth::StartsWithIgnoreCase(s, prefix);
}

}  // namespace

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (auth::EqualsIgnoreCase(n, name)) return &v;
  }
  return nullptr;
}

QueryParams::QueryParams(std::string_view raw_query) {
  for (auto& p : auth::ParseQuery(raw_query)) params_.emplace_back(p.name, p.value);
}

bool QueryParams::Has(std::string_view name) const { return Get(name).has_value(); }

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<api::ByteRange> ParseRange(std::string_view value) {
  value = Trim(value);
  if (!StartsWithI(value, "bytes=")) return std::nullopt;
  std::string_view spec = Trim(value.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view a = Trim(spec.substr(0, dash)), b = Trim(spec.substr(dash + 1));
  api::ByteRange r;
  uint64_t x, y;
  if (a.empty()) {
    if (!ParseU64(b, &y)) return std::nullopt;
    r.suffix = y;
    return r;
  }
  if (!ParseU64(a, &x)) return std::nullopt;
  r.first = x;
  if (b.empty()) return r;
  if (!ParseU64(b, &y) || y < x) return std::nullopt;
  r.last = y;
  return r;
}

Result<api::ByteRange> ParseCopySourceRange(std::string_view value) {
  auto r = ParseRange(value);
  if (!r || !r->first || !r->last) {
    return Status(Code::kInvalidArgument,
                  "The x-amz-copy-source-range value must be of the form bytes=first-last "
                  "where first and last are the zero-based offsets of the first and last bytes "
                  "to copy");
  }
  return *r;
}

std::optional<CephTime> ParseHttpTime(std::string_view value) {
  value = Trim(value);
  if (auto secs = auth::ParseHttpDate(value)) {
    if (*secs < 0 || *secs > UINT32_MAX) return std::nullopt;
    return CephTime{static_cast<uint32_t>(*secs), 0};
  }
  std::string s(value);
  struct tm tm = {};
  const char* end = strptime(s.c_str(), "%a %b %d %H:%M:%S %Y", &tm);  // asctime
  if (!end || *end != '\0') {
    tm = {};
    end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);  // ISO 8601
    if (!end) return std::nullopt;
    if (*end == '.') {
      ++end;
      while (std::isdigit(static_cast<unsigned char>(*end))) ++end;
    }
    if (*end == 'Z') ++end;
    if (*end != '\0') return std::nullopt;
  }
  time_t t = timegm(&tm);
  if (t < 0 || t > static_cast<time_t>(UINT32_MAX)) return std::nullopt;
  return CephTime{static_cast<uint32_t>(t), 0};
}

api::Conditions ParseConditions(const HeaderList& headers, std::string_view prefix) {
  auto get = [&](std::string_view name) -> const std::string* {
    return FindHeader(headers, std::string(prefix) + std::string(name));
  };
  api::Conditions c;
  if (auto* v = get("if-match")) c.if_match = std::string(Trim(*v));
  if (auto* v = get("if-none-match")) c.if_none_match = std::string(Trim(*v));
  if (auto* v = get("if-modified-since")) c.if_modified_since = ParseHttpTime(*v);
  if (auto* v = get("if-unmodified-since")) c.if_unmodified_since = ParseHttpTime(*v);
  return c;
}

Result<CopySource> ParseCopySource(std::string_view value) {
  std::string_view v = Trim(value);
  CopySource cs;
  // The versionId is split off before decoding: a '?' in the key arrives as %3F.
  if (auto q = v.find("?versionId="); q != std::string_view::npos) {
    cs.version_id = auth::UriDecode(v.substr(q + 11), true);
    v = v.substr(0, q);
  }
  std::string decoded = auth::UriDecode(v, false);
  std::string_view d = decoded;
  if (!d.empty() && d.front() == '/') d.remove_prefix(1);
  auto slash = d.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= d.size()) {
    return Status(Code::kInvalidArgument,
                  "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  }
  cs.bucket = std::string(d.substr(0, slash));
  cs.key = std::string(d.substr(slash + 1));
  return cs;
}

api::StoredHeaders ExtractStoredHeaders(const HeaderList& headers) {
  static constexpr std::string_view kNames[] = {"content-type",        "cache-control",
                                                "content-disposition", "content-encoding",
                                                "content-language",    "expires"};
  api::StoredHeaders out;
  for (auto name : kNames) {
    const std::string* v = FindHeader(headers, name);
    if (!v) continue;
    std::string value(Trim(*v));
    if (name == "content-encoding") {
      // aws-chunked is a transfer coding of the upload, not of the object.
      std::string kept;
      size_t pos = 0;
      while (pos <= value.size()) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        std::string_view tok = Trim(std::string_view(value).substr(pos, comma - pos));
        if (!tok.empty() && !auth::EqualsIgnoreCase(tok, "aws-chunked")) {
          if (!kept.empty()) kept += ",";
          kept += tok;
        }
        pos = comma + 1;
      }
      if (kept.empty()) continue;
      value = kept;
    }
    out.emplace(std::string(name), std::move(value));
  }
  return out;
}

api::UserMetadata ExtractUserMetadata(const HeaderList& headers) {
  api::UserMetadata out;
  for (const auto& [n, v] : headers) {
    if (!StartsWithI(n, "x-amz-meta-") || n.size() == 11) continue;
    std::string name = Lower(std::string_view(n).substr(11));
    std::string value(Trim(v));
    auto [it, inserted] = out.emplace(name, value);
    if (!inserted) it->second += "," + value;
  }
  return out;
}

std::map<std::string, std::string> ExtractGrantHeaders(const HeaderList& headers) {
  static constexpr std::string_view kPerms[] = {"read", "write", "read-acp", "write-acp",
                                                "full-control"};
  std::map<std::string, std::string> out;
  for (auto perm : kPerms) {
    if (auto* v = FindHeader(headers, "x-amz-grant-" + std::string(perm))) {
      out.emplace(std::string(perm), std::string(Trim(*v)));
    }
  }
  return out;
}

std::map<std::string, std::string> ExtractRecordedAmzHeaders(const HeaderList& headers) {
  static constexpr std::string_view kSkipped[] = {
      "x-amz-server-side-encryption-customer-algorithm",
      "x-amz-server-side-encryption-customer-key",
      "x-amz-server-side-encryption-customer-key-md5",
      "x-amz-storage-class",
      "x-amz-tagging",
      "x-amz-metadata-directive",
      "x-amz-tagging-directive",
  };
  std::map<std::string, std::string> out;
  for (const auto& [n, v] : headers) {
    if (!StartsWithI(n, "x-amz-") || StartsWithI(n, "x-amz-meta-") ||
        StartsWithI(n, "x-amz-copy-source")) {
      continue;
    }
    std::string name = Lower(n);
    if (std::find(std::begin(kSkipped), std::end(kSkipped), name) != std::end(kSkipped)) continue;
    std::string value(Trim(v));
    auto [it, inserted] = out.emplace(name, value);
    if (!inserted) it->second += "," + value;
  }
  return out;
}

Status CheckContentMd5(std::string_view value) {
  std::string raw;
  if (!Base64Decode(Trim(value), &raw) || raw.size() != 16) {
    return Status(Code::kInvalidDigest, "The Content-MD5 you specified was invalid");
  }
  return Status::OK();
}

}  // namespace kelp::s3
