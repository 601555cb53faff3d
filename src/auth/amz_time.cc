#include "auth/amz_time.h"

#include <array>
#include <cstdio>

namespace kelp::auth {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kWeekdays = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday

// Reads exactly n decimal digits at s[*pos].
bool Digits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

bool ValidFields(int year, int mon, int day, int h, int m, int sec) {
  return year >= 1970 && mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && h <= 23 && m <= 59 &&
         sec <= 60;
}

int64_t Compose(int year, int mon, int day, int h, int m, int sec) {
  return DaysFromCivil(year, mon, day) * 86400 + h * 3600 + m * 60 + sec;
}

int MonthIndex(std::string_view name) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> ParseAmzDate(std::string_view s) {
  size_t p = 0;
  int y, mo, d, h, mi, se;
  if (s.size() != 16 || !Digits(s, &p, 4, &y) || !Digits(s, &p, 2, &mo) || !Digits(s, &p, 2, &d) ||
      !Expect(s, &p, 'T') || !Digits(s, &p, 2, &h) || !Digits(s, &p, 2, &mi) ||
      !Digits(s, &p, 2, &se) || !Expect(s, &p, 'Z')) {
    return std::nullopt;
  }
  if (!ValidFields(y, mo, d, h, mi, se)) return std::nullopt;
  return Compose(y, mo, d, h, mi, se);
}

std::optional<int64_t> ParseHttpDate(std::string_view s) {
  // Skip the weekday: everything up to ", " (RFC 1123 and RFC 850 both have it).
  size_t comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  size_t p = comma + 2;
  int d, y, h, mi, se;
  if (!Digits(s, &p, 2, &d)) return std::nullopt;
  bool rfc850 = p < s.size() && s[p] == '-';
  if (!Expect(s, &p, rfc850 ? '-' : ' ')) return std::nullopt;
  if (p + 3 > s.size()) return std::nullopt;
  int mo = MonthIndex(s.substr(p, 3));
  if (mo == 0) return std::nullopt;
  p += 3;
  if (!Expect(s, &p, rfc850 ? '-' : ' ')) return std::nullopt;
  if (rfc850) {
    if (!Digits(s, &p, 2, &y)) return std::nullopt;
    y += y < 70 ? 2000 : 1900;
  } else if (!Digits(s, &p, 4, &y)) {
    return std::nullopt;
  }
  if (!Expect(s, &p, ' ') || !Digits(s, &p, 2, &h) || !Expect(s, &p, ':') ||
      !Digits(s, &p, 2, &mi) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &se) ||
      !Expect(s, &p, ' ')) {
    return std::nullopt;
  }
  std::string_view zone = s.substr(p);
  if (zone != "GMT" && zone != "UTC" && zone != "Z" && zone != "+0000") return std::nullopt;
  if (!ValidFields(y, mo, d, h, mi, se)) return std::nullopt;
  return Compose(y, mo, d, h, mi, se);
}

namespace {
struct Civil {
  int64_t y;
  unsigned m, d;
};
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b) < 0); }
}  // namespace

std::string FormatAmzDate(int64_t t) {
  int64_t days = FloorDiv(t, 86400);
  int64_t secs = t - days * 86400;
  Civil c = CivilFromDays(days);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld%02u%02uT%02lld%02lld%02lldZ", static_cast<long long>(c.y),
                c.m, c.d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

std::string FormatHttpDate(int64_t t) {
  int64_t days = FloorDiv(t, 86400);
  int64_t secs = t - days * 86400;
  Civil c = CivilFromDays(days);
  const char* wday = kWeekdays[static_cast<size_t>(((days % 7) + 7) % 7)];
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", wday, c.d,
                kMonths[c.m - 1], static_cast<long long>(c.y), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace kelp::auth
