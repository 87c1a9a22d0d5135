#include "core/rule_parse.h"

#include <algorithm>

#include "core/scheduler/rule_dates.h"

namespace hactl::core {
namespace {

const std::vector<std::string> kOps = {"eq", "ne", "lt", "gt", "lte", "gte"};
const std::vector<std::string> kTypes = {"string", "integer", "number", "version"};
const std::vector<std::string> kDuration = {"hours", "monthdays", "weekdays", "yeardays", "months", "weeks",
                                            "years", "weekyears", "moon", "days", "minutes", "seconds"};
const std::vector<std::string> kDateSpec = {"hours", "monthdays", "weekdays", "yeardays", "months",
                                            "weeks", "years", "weekyears", "moon", "minutes", "seconds"};

bool one_of(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

struct Parser {
  const std::vector<std::string>& t;
  size_t i = 0;
  std::string error;

  bool at_end() const { return i >= t.size(); }
  bool fail(const std::string& why) {
    if (error.empty()) error = why;
    return false;
  }
  bool unexpected() { return fail(at_end() ? "unexpected end of rule" : "unexpected '" + t[i] + "'"); }
  bool is_date(const std::string& s) {
    int64_t e = 0;
    return sched::parse_iso8601(s, &e);
  }
  bool date_token(std::string* out) {
    if (at_end()) return unexpected();
    if (!is_date(t[i])) return fail("'" + t[i] + "' is not an ISO 8601 date");
    *out = t[i++];
    return true;
  }
  // key=value parts of a duration or date-spec.
  bool parts(const std::vector<std::string>& allowed, KeyValues* out, const char* what) {
    while (!at_end() && t[i] != "and" && t[i] != "or" && t[i] != ")") {
      auto eq = t[i].find('=');
      std::string k = eq == std::string::npos ? "" : t[i].substr(0, eq), v = eq == std::string::npos ? "" : t[i].substr(eq + 1);
      if (k.empty() || v.empty() || !one_of(allowed, k)) return fail("unexpected '" + t[i] + "' in " + what);
      out->emplace_back(k, v);
      ++i;
    }
    if (out->empty()) return unexpected();
    return true;
  }
  bool primary(RuleNode* n) {
    if (at_end()) return unexpected();
    const std::string& w = t[i];
    if (w == "(") {
      ++i;
      if (!expression(n)) return false;
      if (at_end() || t[i] != ")") return unexpected();
      ++i;
      n->parenthesized = true;
      return true;
    }
    if (w == "and" || w == "or" || w == ")") return unexpected();
    if (w == "defined" || w == "not_defined") {
      ++i;
      if (at_end() || t[i] == "and" || t[i] == "or" || t[i] == "(" || t[i] == ")") return unexpected();
      n->kind = RuleNode::Kind::attr;
      n->operation = w;
      n->attribute = t[i++];
      return true;
    }
    if (w == "date-spec") {
      ++i;
      n->kind = RuleNode::Kind::date_spec;
      return parts(kDateSpec, &n->spec, "date-spec");
    }
    if (w == "date" && i + 1 < t.size() && (t[i + 1] == "gt" || t[i + 1] == "lt" || t[i + 1] == "in_range")) {
      n->kind = RuleNode::Kind::date;
      n->operation = t[i + 1];
      i += 2;
      if (n->operation == "gt") return date_token(&n->start);
      if (n->operation == "lt") return date_token(&n->end);
      if (!date_token(&n->start)) return false;
      if (at_end() || t[i] != "to") return unexpected();
      ++i;
      if (!at_end() && t[i] == "duration") {
        ++i;
        return parts(kDuration, &n->duration, "duration");
      }
      return date_token(&n->end);
    }
    // ATTR OP [TYPE] VALUE
    n->kind = RuleNode::Kind::attr;
    n->attribute = t[i++];
    if (at_end() || !one_of(kOps, t[i])) return unexpected();
    n->operation = t[i++];
    if (i + 1 < t.size() && one_of(kTypes, t[i]) && t[i + 1] != "and" && t[i + 1] != "or" && t[i + 1] != ")") n->type = t[i++];
    if (at_end() || t[i] == "and" || t[i] == "or" || t[i] == "(" || t[i] == ")") return unexpected();
    n->value = t[i++];
    return true;
  }
  bool expression(RuleNode* out) {
    RuleNode left;
    if (!primary(&left)) return false;
    while (!at_end() && (t[i] == "and" || t[i] == "or")) {
      std::string op = t[i++];
      RuleNode right;
      if (!primary(&right)) return false;
      if (left.kind == RuleNode::Kind::group && !left.parenthesized && left.boolean_op == op) {
        left.children.push_back(std::move(right));
      } else {
        RuleNode g;
        g.kind = RuleNode::Kind::group;
        g.boolean_op = op;
        g.children.push_back(std::move(left));
        g.children.push_back(std::move(right));
        left = std::move(g);
      }
    }
    *out = std::move(left);
    return true;
  }
};

std::string joined(const std::vector<std::string>& tokens) {
  std::string s;
  for (const auto& x : tokens) s += (s.empty() ? "" : " ") + x;
  return s;
}

void write_expression(CibDocument& doc, Element* rule, const std::string& rule_id, const RuleNode& n) {
  if (n.kind == RuleNode::Kind::group) {
    Element* r = add_child(rule, "rule");
    std::string id = doc.unique_id(rule_id + "-rule");
    r->SetAttribute("id", id.c_str());
    r->SetAttribute("boolean-op", n.boolean_op.c_str());
    r->SetAttribute("score", "0");
    for (const auto& c : n.children) write_expression(doc, r, id, c);
    return;
  }
  const std::string id = doc.unique_id(rule_id + "-expr");
  if (n.kind == RuleNode::Kind::attr) {
    Element* e = add_child(rule, "expression");
    e->SetAttribute("id", id.c_str());
    e->SetAttribute("operation", n.operation.c_str());
    e->SetAttribute("attribute", n.attribute.c_str());
    if (!n.type.empty()) e->SetAttribute("type", n.type.c_str());
    if (!n.value.empty()) e->SetAttribute("value", n.value.c_str());
    return;
  }
  Element* e = add_child(rule, "date_expression");
  e->SetAttribute("id", id.c_str());
  if (n.kind == RuleNode::Kind::date_spec) {
    e->SetAttribute("operation", "date_spec");
    Element* s = add_child(e, "date_spec");
    s->SetAttribute("id", doc.unique_id(id + "-datespec").c_str());
    for (const auto& [k, v] : n.spec) s->SetAttribute(k.c_str(), v.c_str());
    return;
  }
  e->SetAttribute("operation", n.operation.c_str());
  if (!n.start.empty()) e->SetAttribute("start", n.start.c_str());
  if (!n.end.empty()) e->SetAttribute("end", n.end.c_str());
  if (!n.duration.empty()) {
    Element* d = add_child(e, "duration");
    d->SetAttribute("id", doc.unique_id(id + "-duration").c_str());
    for (const auto& [k, v] : n.duration) d->SetAttribute(k.c_str(), v.c_str());
  }
}

}  // namespace

Result<RuleNode> parse_rule_expression(const std::vector<std::string>& tokens) {
  // pcs splits "(a" and "b)" too: parentheses are tokens of their own.
  std::vector<std::string> t;
  for (const auto& raw : tokens) {
    std::string cur;
    for (char c : raw) {
      if (c == '(' || c == ')') {
        if (!cur.empty()) t.push_back(cur);
        cur.clear();
        t.emplace_back(1, c);
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) t.push_back(cur);
  }
  const std::string text = joined(tokens);
  if (t.empty()) return Status::invalid("no rule expression given");
  Parser p{t, 0, {}};
  RuleNode n;
  if (!p.expression(&n) || (!p.at_end() && !p.unexpected()) || !p.error.empty())
    return Status::invalid("'" + text + "' is not a valid rule expression: " + p.error);
  n.parenthesized = false;
  return n;
}

Result<std::string> write_rule(CibDocument& doc, Element* parent, const std::string& id_base, const RuleOptions& opts,
                               const RuleNode& expr, bool boolean_op_on_single) {
  std::string id = opts.id;
  if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
  if (id.empty()) id = doc.unique_id(id_base + "-rule");
  Element* r = add_child(parent, "rule");
  r->SetAttribute("id", id.c_str());
  const bool group = expr.kind == RuleNode::Kind::group;
  if (group) r->SetAttribute("boolean-op", expr.boolean_op.c_str());
  else if (boolean_op_on_single) r->SetAttribute("boolean-op", "and");
  if (!opts.role.empty()) r->SetAttribute("role", opts.role.c_str());
  if (!opts.score_attribute.empty()) r->SetAttribute("score-attribute", opts.score_attribute.c_str());
  else r->SetAttribute("score", opts.score.empty() ? "INFINITY" : opts.score.c_str());
  if (group) {
    for (const auto& c : expr.children) write_expression(doc, r, id, c);
  } else {
    write_expression(doc, r, id, expr);
  }
  return id;
}

}  // namespace hactl::core
