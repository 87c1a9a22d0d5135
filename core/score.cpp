#include "core/score.h"

#include <cctype>
#include <charconv>

namespace hactl::core {

namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}
Score clamp(long long v) {
  if (v > kInfinity) return kInfinity;
  if (v < -kInfinity) return -kInfinity;
  return static_cast<Score>(v);
}
}  // namespace

std::optional<Score> parse_score(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view body = text;
  int sign = 1;
  if (body[0] == '+' || body[0] == '-') {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  if (iequals(body, "INFINITY") || iequals(body, "inf")) return sign * kInfinity;
  if (body.empty()) return std::nullopt;
  long long v = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec == std::errc::result_out_of_range) return sign * kInfinity;
  if (ec != std::errc() || end != body.data() + body.size()) return std::nullopt;
  return clamp(sign * v);
}

Score parse_score_lenient(std::string_view text) {
  if (auto strict = parse_score(text)) return *strict;
  // char2score reads the leading integer as strtoll does ("2.0" is 2,
  // "10abc" is 10) and takes 0 when there is none.
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  int sign = 1;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
  size_t digits = i;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == i) return 0;
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data() + i, text.data() + digits, v);
  if (ec == std::errc::result_out_of_range) return sign * kInfinity;
  return clamp(sign * v);
}

Score add_scores(Score a, Score b) {
  if (a <= -kInfinity || b <= -kInfinity) return -kInfinity;
  if (a >= kInfinity || b >= kInfinity) return kInfinity;
  return clamp(static_cast<long long>(a) + b);
}

std::string score_to_string(Score s) {
  if (s >= kInfinity) return "INFINITY";
  if (s <= -kInfinity) return "-INFINITY";
  return std::to_string(s);
}

}  // namespace hactl::core
