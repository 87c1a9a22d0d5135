#include "core/duration.h"

#include <cctype>
#include <charconv>
#include <cstdint>

namespace hactl::core {

namespace {

std::optional<int64_t> unit_ms(std::string_view unit) {
  std::string u;
  for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.empty() || u == "s" || u == "sec" || u == "secs" || u == "second" || u == "seconds") return 1000;
  if (u == "ms" || u == "msec" || u == "msecs") return 1;
  if (u == "us" || u == "usec" || u == "usecs") return 0;  // sub-millisecond: rounds to 0
  if (u == "m" || u == "min" || u == "mins" || u == "minute" || u == "minutes") return 60'000;
  if (u == "h" || u == "hr" || u == "hrs" || u == "hour" || u == "hours") return 3'600'000;
  if (u == "d" || u == "day" || u == "days") return 86'400'000;
  return std::nullopt;
}

// ISO 8601 duration: P[nD][T[nH][nM][nS]] (years/months approximated as Pacemaker does: 365/30 days).
std::optional<int64_t> parse_iso8601(std::string_view t) {
  if (t.size() < 2 || (t[0] != 'P' && t[0] != 'p')) return std::nullopt;
  int64_t total = 0;
  bool in_time = false, any = false;
  size_t i = 1;
  while (i < t.size()) {
    if (t[i] == 'T' || t[i] == 't') { in_time = true; ++i; continue; }
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data() + i, t.data() + t.size(), v);
    if (ec != std::errc() || end == t.data() + t.size()) return std::nullopt;
    i = static_cast<size_t>(end - t.data());
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i++])));
    int64_t mult = 0;
    if (!in_time && u == 'Y') mult = 365LL * 86'400'000;
    else if (!in_time && u == 'M') mult = 30LL * 86'400'000;
    else if (!in_time && u == 'W') mult = 7LL * 86'400'000;
    else if (!in_time && u == 'D') mult = 86'400'000;
    // Pacemaker (crm_time_parse_duration) only needs 'T' to tell minutes
    // from months: "P30S" is thirty seconds.
    else if (u == 'H') mult = 3'600'000;
    else if (in_time && u == 'M') mult = 60'000;
    else if (u == 'S') mult = 1000;
    else return std::nullopt;
    total += v * mult;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text[0] == 'P' || text[0] == 'p') return parse_iso8601(text);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || v < 0) return std::nullopt;
  auto unit = unit_ms(text.substr(static_cast<size_t>(end - text.data())));
  if (!unit) return std::nullopt;
  if (*unit == 0) return v / 1000;
  return v * *unit;
}

std::optional<int64_t> parse_msec(std::string_view text) {
  auto skip = [&](std::string_view chars) {
    size_t n = text.find_first_not_of(chars);
    text.remove_prefix(n == std::string_view::npos ? text.size() : n);
  };
  constexpr std::string_view kSpace = " \t\n\r\f";
  skip(kSpace);
  const std::string_view number = text.substr(0, text.find_first_not_of("0123456789."));
  if (number.empty()) return std::nullopt;
  text.remove_prefix(number.size());
  skip(kSpace);
  auto unit_is = [&](std::string_view u) {
    if (text.size() < u.size()) return false;
    for (size_t i = 0; i < u.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[i])) != u[i]) return false;
    return true;
  };
  int64_t multiplier = 1000, divisor = 1;
  if (unit_is("ms")) multiplier = 1;
  else if (unit_is("us")) { multiplier = 1; divisor = 1000; }
  else if (unit_is("s")) multiplier = 1000;
  else if (unit_is("m")) multiplier = 60'000;
  else if (unit_is("h")) multiplier = 3'600'000;
  else if (!text.empty() && text[0] != '\n' && text[0] != '\r') return std::nullopt;
  // The digits before any '.', as strtoll reads them ("1.5s" is 1 s).
  int64_t v = 0;
  auto ec = std::from_chars(number.data(), number.data() + number.size(), v).ec;
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && v > INT64_MAX / multiplier)) return INT64_MAX;
  if (ec != std::errc()) return std::nullopt;  // no digits before the '.'
  return v * multiplier / divisor;
}

std::string format_duration(int64_t ms) {
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  int64_t s = ms / 1000;
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "min";
  return std::to_string(s) + "s";
}

}  // namespace hactl::core
