#include "core/scheduler/rule_dates.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace hactl::core::sched {
namespace {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned month_days(int64_t y, unsigned m) {
  static const unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : len[m - 1];
}
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
// ISO weekday of a day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
unsigned iso_weekday(int64_t days) { return static_cast<unsigned>(((days % 7) + 7 + 3) % 7) + 1; }
// Day number of Monday of ISO week 1 of year y.
int64_t iso_week1_monday(int64_t y) {
  int64_t jan4 = days_from_civil(y, 1, 4);
  return jan4 - (iso_weekday(jan4) - 1);
}

// Reads exactly `n` digits at text[*i].
bool digits(std::string_view t, size_t* i, size_t n, int64_t* out) {
  if (*i + n > t.size()) return false;
  int64_t v = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = t[*i + k];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

bool parse_range(const std::string& text, int64_t* lo, int64_t* hi) {
  // "N", "N-M", "N-", "-M"
  const char* s = text.c_str();
  char* end = nullptr;
  *lo = INT64_MIN;
  *hi = INT64_MAX;
  if (*s == '-') {
    *hi = std::strtoll(s + 1, &end, 10);
    return end != s + 1 && *end == '\0';
  }
  *lo = std::strtoll(s, &end, 10);
  if (end == s) return false;
  if (*end == '\0') {
    *hi = *lo;
    return true;
  }
  if (*end != '-') return false;
  const char* rest = end + 1;
  if (*rest == '\0') return true;
  *hi = std::strtoll(rest, &end, 10);
  return end != rest && *end == '\0';
}

}  // namespace

bool parse_iso8601(std::string_view t, int64_t* epoch) {
  size_t i = 0;
  int64_t y = 0, a = 0, b = 0, days = 0;
  if (!digits(t, &i, 4, &y)) return false;
  bool dash = i < t.size() && t[i] == '-';
  if (dash) ++i;
  if (i < t.size() && t[i] == 'W') {  // week date
    ++i;
    if (!digits(t, &i, 2, &a)) return false;
    if (i < t.size() && t[i] == '-') ++i;
    b = 1;
    if (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && !digits(t, &i, 1, &b)) return false;
    if (a < 1 || a > 53 || b < 1 || b > 7) return false;
    days = iso_week1_monday(y) + (a - 1) * 7 + (b - 1);
  } else {
    size_t j = i;
    while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
    size_t run = j - i;
    if (dash && run == 3) {  // ordinal date
      digits(t, &i, 3, &a);
      if (a < 1 || a > (leap(y) ? 366 : 365)) return false;
      days = days_from_civil(y, 1, 1) + a - 1;
    } else {
      if (!digits(t, &i, 2, &a)) return false;
      if (dash) {
        if (i >= t.size() || t[i] != '-') return false;
        ++i;
      }
      if (!digits(t, &i, 2, &b)) return false;
      if (a < 1 || a > 12 || b < 1 || b > month_days(y, static_cast<unsigned>(a))) return false;
      days = days_from_civil(y, static_cast<unsigned>(a), static_cast<unsigned>(b));
    }
  }
  int64_t h = 0, mi = 0, s = 0, offset = 0;
  if (i < t.size() && (t[i] == 'T' || t[i] == ' ')) {
    ++i;
    while (i < t.size() && t[i] == ' ') ++i;
    if (!digits(t, &i, 2, &h)) return false;
    bool colon = i < t.size() && t[i] == ':';
    if (colon) ++i;
    if (!digits(t, &i, 2, &mi)) return false;
    if (i < t.size() && (t[i] == ':' || (!colon && std::isdigit(static_cast<unsigned char>(t[i]))))) {
      if (t[i] == ':') ++i;
      if (!digits(t, &i, 2, &s)) return false;
    }
    if (h > 24 || mi > 59 || s > 60) return false;
    while (i < t.size() && t[i] == ' ') ++i;
    if (i < t.size() && t[i] == 'Z') {
      ++i;
    } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
      int sign = t[i] == '-' ? -1 : 1;
      ++i;
      int64_t oh = 0, om = 0;
      if (!digits(t, &i, 2, &oh)) return false;
      if (i < t.size() && t[i] == ':') ++i;
      if (i < t.size() && !digits(t, &i, 2, &om)) return false;
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != t.size()) return false;
  *epoch = days * 86400 + h * 3600 + mi * 60 + s - offset;
  return true;
}

int64_t add_duration(int64_t start, const Attributes& duration) {
  auto field = [&](const char* name) -> int64_t {
    auto it = duration.find(name);
    // Bounded so that no configured value can overflow the arithmetic below.
    return it == duration.end() ? 0 : std::clamp<int64_t>(std::atoll(it->second.c_str()), -10000000, 10000000);
  };
  int64_t months = field("years") * 12 + field("months");
  int64_t t = start;
  if (months != 0) {
    int64_t days = floor_div(t, 86400), secs = t - days * 86400;
    Civil c = civil_from_days(days);
    int64_t total = c.y * 12 + (c.m - 1) + months;
    int64_t y = floor_div(total, 12);
    unsigned m = static_cast<unsigned>(total - y * 12) + 1;
    unsigned d = std::min(c.d, month_days(y, m));
    t = days_from_civil(y, m, d) * 86400 + secs;
  }
  return t + field("weeks") * 604800 + field("days") * 86400 + field("hours") * 3600 + field("minutes") * 60 +
         field("seconds");
}

bool date_spec_matches(const Attributes& spec, int64_t now) {
  const int64_t days = floor_div(now, 86400), secs = now - days * 86400;
  const Civil c = civil_from_days(days);
  const unsigned wday = iso_weekday(days);
  // ISO week-numbering year and week: the year of this week's Thursday.
  const int64_t thursday = days - (wday - 1) + 3;
  const int64_t week_year = civil_from_days(thursday).y;
  const int64_t week = (days - iso_week1_monday(week_year)) / 7 + 1;
  for (const auto& [name, value] : spec) {
    int64_t v = 0;
    if (name == "years") v = c.y;
    else if (name == "months") v = c.m;
    else if (name == "monthdays") v = c.d;
    else if (name == "hours") v = secs / 3600;
    else if (name == "minutes") v = secs / 60 % 60;
    else if (name == "seconds") v = secs % 60;
    else if (name == "yeardays") v = days - days_from_civil(c.y, 1, 1) + 1;
    else if (name == "weekdays") v = wday;
    else if (name == "weekyears") v = week_year;
    else if (name == "weeks") v = week;
    else continue;  // id, and the deprecated moon
    int64_t lo = 0, hi = 0;
    if (!parse_range(value, &lo, &hi) || v < lo || v > hi) return false;
  }
  return true;
}

}  // namespace hactl::core::sched
