#include "core/scheduler/rules.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

#include <strings.h>

#include "core/duration.h"
#include "core/scheduler/rule_dates.h"

namespace hactl::core::sched {
namespace {

bool eq_nocase(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

std::optional<long long> scan_integer(const std::string& s) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() || errno == ERANGE) return std::nullopt;
  return v;  // trailing characters are tolerated, as pcmk__scan_ll does
}
std::optional<double> scan_number(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  return v;
}

int compare_version(const std::string& a, const std::string& b) {
  const char *x = a.c_str(), *y = b.c_str();
  while (*x || *y) {
    char *ex = nullptr, *ey = nullptr;
    long vx = *x ? std::strtol(x, &ex, 10) : 0, vy = *y ? std::strtol(y, &ey, 10) : 0;
    if (vx != vy) return vx < vy ? -1 : 1;
    x = *x ? ex : x;
    y = *y ? ey : y;
    if (*x && *x != '.') return 0;  // not a version: compare no further
    if (*y && *y != '.') return 0;
    if (*x == '.') ++x;
    if (*y == '.') ++y;
  }
  return 0;
}

// compare_attr_expr_vals: by type; an integer or number that does not parse
// is compared as a string (case-insensitively, as strings always are).
int compare_values(const std::string& type, const std::string& a, const std::string& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (eq_nocase(type, "integer")) {
    auto x = scan_integer(a), y = scan_integer(b);
    if (x && y) return sign(*x, *y);
  } else if (eq_nocase(type, "number")) {
    auto x = scan_number(a), y = scan_number(b);
    if (x && y) return sign(*x, *y);
  } else if (eq_nocase(type, "version")) {
    return compare_version(a, b);
  }
  int c = strcasecmp(a.c_str(), b.c_str());
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

const std::string* lookup(const Attributes* m, const std::string& name) {
  if (m == nullptr) return nullptr;
  auto it = m->find(name);
  return it == m->end() ? nullptr : &it->second;
}

bool evaluate_expression(const RuleExpression& e, const RuleContext& ctx) {
  const std::string* lhs = lookup(ctx.node_attrs, e.attribute);
  const std::string& op = e.operation;
  if (eq_nocase(op, "defined")) return lhs != nullptr;
  if (eq_nocase(op, "not_defined")) return lhs == nullptr;
  // value-source: the value names a resource parameter or meta-attribute.
  const std::string* rhs = &e.value;
  if (eq_nocase(e.value_source, "param")) rhs = lookup(ctx.rsc_params, e.value);
  else if (eq_nocase(e.value_source, "meta")) rhs = lookup(ctx.rsc_meta, e.value);
  std::string type = e.type;
  const bool ordering = eq_nocase(op, "lt") || eq_nocase(op, "lte") || eq_nocase(op, "gt") || eq_nocase(op, "gte");
  if (type.empty()) {
    bool dot = (lhs && lhs->find('.') != std::string::npos) || (rhs && rhs->find('.') != std::string::npos);
    type = ordering ? (dot ? "number" : "integer") : "string";
  }
  int c = 0;
  if (lhs && rhs) c = compare_values(type, *lhs, *rhs);
  else if (lhs) c = 1;
  else if (rhs) c = -1;
  if (eq_nocase(op, "eq")) return c == 0;
  if (eq_nocase(op, "ne")) return c != 0;
  if (!lhs || !rhs) return false;  // the comparison means nothing from here on
  if (eq_nocase(op, "lt")) return c < 0;
  if (eq_nocase(op, "lte")) return c <= 0;
  if (eq_nocase(op, "gt")) return c > 0;
  if (eq_nocase(op, "gte")) return c >= 0;
  return false;
}

bool evaluate_date(const DateExpression& d, int64_t now) {
  int64_t start = 0, end = 0;
  bool has_start = !d.start.empty() && parse_iso8601(d.start, &start);
  bool has_end = !d.end.empty() && parse_iso8601(d.end, &end);
  const std::string op = d.operation.empty() ? "in_range" : d.operation;
  if (eq_nocase(op, "gt")) return has_start && now > start;
  if (eq_nocase(op, "lt")) return has_end && now < end;
  if (eq_nocase(op, "date_spec")) return date_spec_matches(d.date_spec, now);
  if (eq_nocase(op, "in_range")) {
    if (!has_end && has_start && !d.duration.empty()) {
      end = add_duration(start, d.duration);
      has_end = true;
    }
    if (!has_start && !has_end) return false;
    if (has_start && now < start) return false;
    if (has_end && now > end) return false;
    return true;
  }
  return false;
}

bool evaluate_rsc_expression(const Attributes& e, const RuleContext& ctx) {
  if (ctx.rsc == nullptr) return true;  // not in a resource context: no restriction
  for (const auto& [name, want] : {std::pair<const char*, const std::string*>{"class", &ctx.rsc->cls},
                                   {"provider", &ctx.rsc->provider},
                                   {"type", &ctx.rsc->type}}) {
    auto it = e.find(name);
    if (it != e.end() && it->second != *want) return false;
  }
  return true;
}

bool evaluate_op_expression(const Attributes& e, const RuleContext& ctx) {
  if (ctx.op == nullptr) return true;
  if (auto it = e.find("name"); it != e.end() && it->second != ctx.op->name) return false;
  if (auto it = e.find("interval"); it != e.end()) {
    auto ms = parse_duration_ms(it->second);
    if (!ms || *ms != ctx.op->interval_ms) return false;
  }
  return true;
}

}  // namespace

bool parse_datetime(std::string_view text, int64_t* epoch) { return parse_iso8601(text, epoch); }

bool evaluate_rule(const Rule& rule, const RuleContext& ctx) {
  // pe_eval_expr: "or" (any case) passes on the first true part, anything
  // else is "and"; an empty rule passes as "and" and fails as "or".
  const bool is_or = eq_nocase(rule.boolean_op, "or");
  auto decided = [&](bool v) { return is_or ? v : !v; };
  for (const auto& e : rule.expressions)
    if (decided(evaluate_expression(e, ctx))) return is_or;
  for (const auto& d : rule.date_expressions)
    if (decided(evaluate_date(d, ctx.now))) return is_or;
  for (const auto& e : rule.rsc_expressions)
    if (decided(evaluate_rsc_expression(e, ctx))) return is_or;
  for (const auto& e : rule.op_expressions)
    if (decided(evaluate_op_expression(e, ctx))) return is_or;
  for (const auto& r : rule.rules)
    if (decided(evaluate_rule(r, ctx))) return is_or;
  return !is_or;
}

bool evaluate_rule(const Rule& rule, const Attributes& node_attrs, int64_t now) {
  RuleContext ctx;
  ctx.node_attrs = &node_attrs;
  ctx.now = now;
  return evaluate_rule(rule, ctx);
}

Attributes evaluate_nvsets(const std::vector<NvSet>& sets, const RuleContext& ctx) {
  std::vector<const NvSet*> order;
  for (const auto& s : sets) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](const NvSet* a, const NvSet* b) { return a->score > b->score; });
  Attributes out;
  for (const NvSet* s : order) {
    if (!s->rules.empty() &&
        std::none_of(s->rules.begin(), s->rules.end(), [&](const Rule& r) { return evaluate_rule(r, ctx); }))
      continue;
    for (const auto& p : s->pairs) out.emplace(p.name, p.value);
  }
  return out;
}

}  // namespace hactl::core::sched
