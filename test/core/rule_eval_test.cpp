// Rule evaluation tables (lib/pengine/rules.c semantics), ISO 8601 dates and
// date_spec, rule-driven nvsets, the pcs rule parser, and resource-set
// expansion into pairwise orderings and colocations.
#include <doctest/doctest.h>

#include "core/rule_parse.h"
#include "core/scheduler/resource_sets.h"
#include "core/scheduler/rule_dates.h"
#include "core/scheduler/rules.h"

using namespace hactl::core;
using namespace hactl::core::sched;

namespace {
Rule one(const std::string& attr, const std::string& op, const std::string& value, const std::string& type = "") {
  Rule r;
  r.expressions.push_back({"e", attr, op, value, type, ""});
  return r;
}
int64_t at(const char* iso) {
  int64_t t = 0;
  REQUIRE(parse_iso8601(iso, &t));
  return t;
}
}  // namespace

TEST_CASE("rule eval: attribute expressions by operation and type") {
  const Attributes node = {{"#uname", "Node1"}, {"pingd", "0"}, {"ver", "1.10.2"}, {"w", "2.5"}, {"s", "abc"}};
  struct Row {
    const char *attr, *op, *value, *type;
    bool want;
  };
  for (Row r : {Row{"pingd", "lt", "1", "", true},        Row{"pingd", "gt", "-1", "", true},
                Row{"pingd", "gte", "0", "", true},       Row{"pingd", "lte", "-1", "", false},
                Row{"missing", "lt", "1", "", false},     Row{"missing", "ne", "1", "", true},
                Row{"missing", "eq", "1", "", false},     Row{"pingd", "defined", "", "", true},
                Row{"missing", "not_defined", "", "", true}, Row{"missing", "defined", "", "", false},
                Row{"#uname", "eq", "node1", "", true},   // strings compare case-insensitively
                Row{"ver", "gt", "1.9", "version", true}, Row{"ver", "gt", "1.9", "string", false},
                Row{"ver", "lt", "1.10.10", "version", true},
                Row{"w", "gt", "2", "", true},            // a '.' makes the default type number
                Row{"w", "gt", "2", "integer", false},    // 2.5 read as the integer 2
                Row{"s", "gt", "abb", "integer", true},   // not integers: compared as strings
                Row{"pingd", "eq", "0.0", "number", true}, Row{"pingd", "eq", "0.0", "", false},
                Row{"pingd", "bogus", "0", "", false}}) {
    INFO(r.attr << " " << r.op << " " << r.value << " " << r.type);
    CHECK(evaluate_rule(one(r.attr, r.op, r.value, r.type), node, 0) == r.want);
  }
}

TEST_CASE("rule eval: boolean-op, nesting, empty rules, value-source") {
  const Attributes node = {{"a", "1"}, {"limit", "5"}};
  Rule r;
  r.boolean_op = "OR";
  r.expressions = {{"1", "a", "eq", "2", "", ""}, {"2", "b", "not_defined", "", "", ""}};
  CHECK(evaluate_rule(r, node, 0));
  r.boolean_op = "and";
  CHECK_FALSE(evaluate_rule(r, node, 0));
  Rule nested;
  nested.rules = {r};
  nested.expressions = {{"3", "a", "eq", "1", "", ""}};
  CHECK_FALSE(evaluate_rule(nested, node, 0));
  nested.boolean_op = "or";
  CHECK(evaluate_rule(nested, node, 0));
  Rule empty;
  CHECK(evaluate_rule(empty, node, 0));
  empty.boolean_op = "or";
  CHECK_FALSE(evaluate_rule(empty, node, 0));
  // value-source=param: compare with the resource's parameter of that name.
  Rule p;
  p.expressions = {{"4", "limit", "gt", "max", "integer", "param"}};
  const Attributes params = {{"max", "3"}};
  RuleContext ctx;
  ctx.node_attrs = &node;
  ctx.rsc_params = &params;
  CHECK(evaluate_rule(p, ctx));
  const Attributes params2 = {{"max", "9"}};
  ctx.rsc_params = &params2;
  CHECK_FALSE(evaluate_rule(p, ctx));
}

TEST_CASE("rule eval: ISO 8601 dates, durations and date_spec") {
  CHECK(at("2024-06-01") == 1717200000);
  CHECK(at("2024-06-01 12:00:00Z") == 1717243200);
  CHECK(at("2024-06-01T14:00:00+02:00") == 1717243200);
  CHECK(at("2024-153") == at("2024-06-01"));     // ordinal (2024 is a leap year)
  CHECK(at("2024-W22-6") == at("2024-06-01"));   // week date: Saturday of week 22
  CHECK(at("2005-001") == at("2005-01-01"));
  int64_t t = 0;
  for (const char* bad : {"2024-13-01", "2024-02-30", "2023-366", "yesterday", "2024-06-01T25:00", "2024-06-01x"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad, &t));
  }
  // Months are calendar months, the day clamped: Jan 31 + 1 month = Feb 29 (2024).
  CHECK(add_duration(at("2024-01-31"), {{"months", "1"}}) == at("2024-02-29"));
  CHECK(add_duration(at("2024-01-01"), {{"years", "1"}, {"days", "1"}, {"hours", "2"}}) == at("2025-01-02T02:00:00"));
  CHECK(add_duration(0, {{"years", "99999999999999999"}}) > 0);  // clamped, no overflow
  const int64_t sat_noon = at("2024-06-01T12:30:00");
  CHECK(date_spec_matches({{"hours", "9-17"}}, sat_noon));
  CHECK_FALSE(date_spec_matches({{"hours", "9-17"}, {"weekdays", "1-5"}}, sat_noon));
  CHECK(date_spec_matches({{"weekdays", "6-7"}, {"minutes", "30"}, {"id", "x"}}, sat_noon));
  CHECK(date_spec_matches({{"yeardays", "153"}, {"weeks", "22"}, {"weekyears", "2024"}, {"monthdays", "1-"}}, sat_noon));
  CHECK_FALSE(date_spec_matches({{"months", "-5"}}, sat_noon));
  CHECK_FALSE(date_spec_matches({{"hours", "x"}}, sat_noon));

  Rule r;
  DateExpression d;
  d.operation = "in_range";
  d.start = "2024-06-01";
  d.duration = {{"days", "2"}};
  r.date_expressions = {d};
  CHECK(evaluate_rule(r, {}, at("2024-06-02")));
  CHECK_FALSE(evaluate_rule(r, {}, at("2024-06-03T00:00:01")));
  CHECK_FALSE(evaluate_rule(r, {}, at("2024-05-31")));
  r.date_expressions[0] = {"g", "gt", "2024-06-01", "", {}, {}};
  CHECK(evaluate_rule(r, {}, at("2024-06-01T00:00:01")));
  CHECK_FALSE(evaluate_rule(r, {}, at("2024-06-01")));
  r.date_expressions[0] = {"l", "lt", "", "2024-06-01", {}, {}};
  CHECK(evaluate_rule(r, {}, at("2024-05-31")));
}

TEST_CASE("rule eval: nvsets by score, a rule-driven set only when its rule holds") {
  NvSet early{"s1", "instance_attributes", 0, true, {{"p1", "server_group", "group2"}}, {}};
  Rule before;
  before.date_expressions = {{"d1", "in_range", "", "2005-001", {}, {}}};
  early.rules = {before};
  NvSet late{"s2", "instance_attributes", 0, true, {{"p2", "server_group", "group3"}}, {}};
  Rule after;
  after.date_expressions = {{"d2", "gt", "2005-001", "", {}, {}}};
  late.rules = {after};
  NvSet strong{"s3", "instance_attributes", 10, false, {{"p3", "other", "x"}, {"p4", "server_group", "top"}}, {}};
  RuleContext ctx;
  ctx.now = at("2004-06-01");
  CHECK(evaluate_nvsets({early, late}, ctx).at("server_group") == "group2");
  ctx.now = at("2026-01-01");
  CHECK(evaluate_nvsets({early, late}, ctx).at("server_group") == "group3");
  CHECK(evaluate_nvsets({early, late, strong}, ctx).at("server_group") == "top");  // higher score first
  // rsc_expression: only for resources of that agent.
  NvSet dummy_only{"s4", "meta_attributes", 0, true, {{"p5", "resource-stickiness", "7"}}, {}};
  Rule rr;
  rr.rsc_expressions = {{{"class", "ocf"}, {"provider", "pacemaker"}, {"type", "Dummy"}}};
  dummy_only.rules = {rr};
  Primitive dummy, ip;
  dummy.cls = ip.cls = "ocf";
  dummy.provider = "pacemaker";
  ip.provider = "heartbeat";
  dummy.type = "Dummy";
  ip.type = "IPaddr2";
  ctx.rsc = &dummy;
  CHECK(evaluate_nvsets({dummy_only}, ctx).count("resource-stickiness") == 1);
  ctx.rsc = &ip;
  CHECK(evaluate_nvsets({dummy_only}, ctx).count("resource-stickiness") == 0);
}

TEST_CASE("rule parse: pcs grammar, left-to-right grouping, errors naming the token") {
  auto tree = parse_rule_expression({"a", "eq", "1", "and", "b", "eq", "2", "or", "c", "eq", "3"});
  REQUIRE(tree);
  CHECK(tree->kind == RuleNode::Kind::group);
  CHECK(tree->boolean_op == "or");
  REQUIRE(tree->children.size() == 2);
  CHECK(tree->children[0].boolean_op == "and");
  CHECK(tree->children[0].children.size() == 2);
  auto flat = parse_rule_expression({"a", "eq", "1", "and", "b", "eq", "2", "and", "defined", "c"});
  REQUIRE(flat);
  CHECK(flat->children.size() == 3);
  auto paren = parse_rule_expression({"(a", "eq", "1", "or", "b", "eq", "2)", "and", "date-spec", "hours=9-17"});
  REQUIRE(paren);
  CHECK(paren->boolean_op == "and");
  CHECK(paren->children[0].boolean_op == "or");
  CHECK(paren->children[1].kind == RuleNode::Kind::date_spec);
  auto typed = parse_rule_expression({"v", "gte", "version", "1.2"});
  REQUIRE(typed);
  CHECK(typed->type == "version");
  CHECK(typed->value == "1.2");
  auto dur = parse_rule_expression({"date", "in_range", "2024-01-01", "to", "duration", "months=2", "days=1"});
  REQUIRE(dur);
  CHECK(dur->duration.size() == 2);
  struct Bad {
    std::vector<std::string> tokens;
    const char* says;
  };
  for (const Bad& b : {Bad{{"foo", "gt"}, "'foo gt' is not a valid rule expression: unexpected end of rule"},
                       Bad{{"foo", "gt", "1", "2"}, "unexpected '2'"},
                       Bad{{"foo", "is", "1"}, "unexpected 'is'"},
                       Bad{{"and", "a", "eq", "1"}, "unexpected 'and'"},
                       Bad{{"(", "a", "eq", "1"}, "unexpected end of rule"},
                       Bad{{"date", "gt", "2024-99-01"}, "'2024-99-01' is not an ISO 8601 date"},
                       Bad{{"date", "in_range", "to", "2025-01-01"}, "'to' is not an ISO 8601 date"},
                       Bad{{"date-spec", "fortnights=1"}, "unexpected 'fortnights=1' in date-spec"},
                       Bad{{}, "no rule expression given"}}) {
    auto r = parse_rule_expression(b.tokens);
    REQUIRE_FALSE(r);
    INFO(r.status().message());
    CHECK(r.status().message().find(b.says) != std::string::npos);
  }
}

TEST_CASE("resource sets: orderings within and between sets") {
  auto set = [](std::string id, std::vector<std::string> rs, Attributes a = {}) {
    ResourceSet s;
    s.id = std::move(id);
    s.resources = std::move(rs);
    s.attrs = std::move(a);
    return s;
  };
  OrderConstraint o;
  o.id = "o";
  o.sets = {set("s1", {"A", "B", "C"}), set("s2", {"D", "E"}, {{"sequential", "false"}}), set("s3", {"F"})};
  std::vector<OrderConstraint> orders = {o};
  std::deque<OrderConstraint> storage;
  auto pairs = expand_order_sets(orders, storage);
  std::vector<std::string> got;
  for (const OrderConstraint* p : pairs) got.push_back(p->first + ">" + p->then);
  // A>B, B>C inside s1; s1's last before each of s2; each of s2 before F.
  CHECK(got == std::vector<std::string>{"A>B", "B>C", "C>D", "C>E", "D>F", "E>F"});
  for (const OrderConstraint* p : pairs) CHECK(p->symmetrical.value_or(false));
  o.symmetrical = false;
  o.sets = {set("s1", {"A", "B"}, {{"action", "stop"}})};
  orders = {o};
  pairs = expand_order_sets(orders, storage);
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0]->first_action == "stop");
  CHECK_FALSE(*pairs[0]->symmetrical);
  // Serialize inside a set: every member before every later one, never symmetrical.
  o.sets = {set("s1", {"A", "B", "C"}, {{"kind", "Serialize"}})};
  orders = {o};
  pairs = expand_order_sets(orders, storage);
  CHECK(pairs.size() == 3);
}

TEST_CASE("resource sets: colocations within and between sets") {
  auto set = [](std::string id, std::vector<std::string> rs, Attributes a = {}) {
    ResourceSet s;
    s.id = std::move(id);
    s.resources = std::move(rs);
    s.attrs = std::move(a);
    return s;
  };
  auto text = [](const std::vector<SetColocation>& v) {
    std::vector<std::string> out;
    for (const auto& c : v) out.push_back(c.dependent + "@" + c.primary + ":" + std::to_string(c.score));
    return out;
  };
  ColocationConstraint c;
  c.id = "c";
  c.score = kInfinity;
  c.sets = {set("s1", {"A", "B", "C"})};
  CHECK(text(expand_colocation_sets(c)) == std::vector<std::string>{"B@A:1000000", "C@B:1000000"});
  c.sets = {set("s1", {"A", "B"}, {{"ordering", "listed"}})};
  CHECK(text(expand_colocation_sets(c)) == std::vector<std::string>{"A@B:1000000"});
  c.score = -kInfinity;
  c.sets = {set("s1", {"A", "B", "C"})};
  CHECK(text(expand_colocation_sets(c)) ==
        std::vector<std::string>{"B@A:-1000000", "C@A:-1000000", "C@B:-1000000"});
  c.score = 100;
  c.sets = {set("s1", {"A", "B"}), set("s2", {"C", "D"}, {{"sequential", "false"}})};
  // Inside s1: B with A; between: s1's first with each of the non-sequential s2.
  CHECK(text(expand_colocation_sets(c)) == std::vector<std::string>{"B@A:100", "A@C:100", "A@D:100"});
  c.sets = {set("s1", {"A", "B"}, {{"score", "0"}})};
  CHECK(expand_colocation_sets(c).empty());
}
