#include "core/scheduler/rules.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/duration.h"

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

// Compares as Pacemaker's expression types: number/integer numerically,
// version component-wise, string otherwise. Returns <0, 0, >0.
int compare_values(const std::string& type, const std::string& a, const std::string& b) {
  if (type == "number" || type == "integer") {
    double x = std::strtod(a.c_str(), nullptr), y = std::strtod(b.c_str(), nullptr);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (type == "version") {
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      long x = 0, y = 0;
      while (i < a.size() && a[i] != '.') x = x * 10 + (a[i++] - '0');
      while (j < b.size() && b[j] != '.') y = y * 10 + (b[j++] - '0');
      if (x != y) return x < y ? -1 : 1;
      ++i;
      ++j;
    }
    return 0;
  }
  return a.compare(b);
}

bool evaluate_expression(const RuleExpression& e, const Attributes& attrs) {
  auto it = attrs.find(e.attribute);
  const std::string& op = e.operation;
  if (op == "defined") return it != attrs.end();
  if (op == "not_defined") return it == attrs.end();
  if (it == attrs.end()) return op == "ne";
  std::string type = e.type;
  if (type.empty()) {
    // Pacemaker infers number when both sides parse as numbers for lt/gt.
    type = (op == "lt" || op == "gt" || op == "lte" || op == "gte") ? "number" : "string";
  }
  int c = compare_values(type, it->second, e.value);
  if (op == "eq") return c == 0;
  if (op == "ne") return c != 0;
  if (op == "lt") return c < 0;
  if (op == "lte") return c <= 0;
  if (op == "gt") return c > 0;
  if (op == "gte") return c >= 0;
  return false;
}

bool evaluate_date(const DateExpression& d, int64_t now) {
  int64_t start = 0, end = 0;
  bool has_start = !d.start.empty() && parse_datetime(d.start, &start);
  bool has_end = !d.end.empty() && parse_datetime(d.end, &end);
  if (d.operation == "gt") return has_start && now > start;
  if (d.operation == "lt") return has_end && now < end;
  if (d.operation == "in_range" || d.operation.empty()) {
    if (!has_end && has_start && !d.duration.empty()) {
      int64_t secs = 0;
      static const std::pair<const char*, int64_t> units[] = {
          {"years", 31536000}, {"months", 2592000}, {"weeks", 604800}, {"days", 86400},
          {"hours", 3600},     {"minutes", 60},     {"seconds", 1}};
      for (const auto& [name, mult] : units)
        if (auto it = d.duration.find(name); it != d.duration.end()) secs += std::atoll(it->second.c_str()) * mult;
      end = start + secs;
      has_end = true;
    }
    if (has_start && now < start) return false;
    if (has_end && now > end) return false;
    return has_start || has_end;
  }
  return false;  // date_spec is not supported: never matches
}

}  // namespace

bool parse_datetime(std::string_view text, int64_t* epoch) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string t(text);
  int n = std::sscanf(t.c_str(), "%d-%d-%d%*c%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  *epoch = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
  return true;
}

bool evaluate_rule(const Rule& rule, const Attributes& attrs, int64_t now) {
  bool is_or = rule.boolean_op == "or";
  bool any = false;
  auto fold = [&](bool v) -> bool {  // returns true when the result is decided
    any = true;
    if (is_or && v) return true;
    if (!is_or && !v) return true;
    return false;
  };
  for (const auto& e : rule.expressions)
    if (fold(evaluate_expression(e, attrs))) return is_or;
  for (const auto& d : rule.date_expressions)
    if (fold(evaluate_date(d, now))) return is_or;
  for (const auto& r : rule.rules)
    if (fold(evaluate_rule(r, attrs, now))) return is_or;
  if (!any) return true;  // an empty rule passes
  return !is_or;
}

}  // namespace hactl::core::sched
