// Request-date parsing and formatting for S3 authentication.
//
// Times are whole seconds since the Unix epoch (UTC). SigV4 dates are ISO 8601
// basic ("20130524T000000Z"); SigV2 accepts an RFC 1123 / RFC 850 HTTP date
// or the ISO 8601 basic form, as radosgw's rgw_create_s3_canonical_header
// tries parse_rfc2616 then parse_iso8601.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kelp::auth {

// "YYYYMMDDTHHMMSSZ" -> seconds; nullopt on anything else.
std::optional<int64_t> ParseAmzDate(std::string_view s);
// "Fri, 24 May 2013 00:00:00 GMT" (also "+0000"/"UTC" zones) or the RFC 850
// form "Friday, 24-May-13 00:00:00 GMT"; nullopt on anything else.
std::optional<int64_t> ParseHttpDate(std::string_view s);

std::string FormatAmzDate(int64_t unix_seconds);   // "20130524T000000Z"
std::string FormatHttpDate(int64_t unix_seconds);  // "Fri, 24 May 2013 00:00:00 GMT"

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

inline int64_t ToUnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace kelp::auth
