#include <iostream>

#include "cmd/constraint_rules.h"
#include "core/constraint_sets.h"
#include "core/printable_text.h"
#include "core/resource_edit.h"
#include "core/rule_parse.h"
#include "core/score.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;

namespace {

// Leading key=value options pcs takes before a rule expression.
core::Result<core::RuleOptions> rule_options(const Args& a, size_t* i, std::string* discovery,
                                             std::string* constraint_id) {
  core::RuleOptions o;
  for (; *i < a.size(); ++*i) {
    std::string k, v;
    if (!split_kv(a[*i], &k, &v)) break;
    if (k == "id") o.id = v;
    else if (k == "role") o.role = v;
    else if (k == "score") o.score = v;
    else if (k == "score-attribute") o.score_attribute = v;
    else if (k == "resource-discovery" && discovery) *discovery = v;
    else if (k == "constraint-id" && constraint_id) *constraint_id = v;
    else break;  // part of the expression (date-spec hours=...)
  }
  if (!o.score.empty() && !core::parse_score(o.score)) return Status::invalid("invalid score '" + o.score + "'");
  if (!o.score.empty() && !o.score_attribute.empty())
    return Status::invalid("can not specify both score and score-attribute");
  if (!o.role.empty() && o.role != "Promoted" && o.role != "Unpromoted" && o.role != "Master" && o.role != "Slave")
    return Status::invalid("invalid role '" + o.role + "', use 'Master', 'Promoted', 'Slave' or 'Unpromoted'");
  return o;
}

std::string role_name(const std::string& r) { return r == "Master" ? "Promoted" : r == "Slave" ? "Unpromoted" : r; }

}  // namespace

int location_rule(Invocation& inv, const Args& a) {
  const std::string rsc = a[0];
  size_t i = 2;
  std::string discovery, cid;
  auto opts = rule_options(a, &i, &discovery, &cid);
  if (!opts) return fail(opts.status());
  opts->role = role_name(opts->role);
  auto expr = core::parse_rule_expression(Args(a.begin() + static_cast<long>(i), a.end()));
  if (!expr) return fail(expr.status());
  if (!discovery.empty() && discovery != "always" && discovery != "never" && discovery != "exclusive")
    return fail(Status::invalid("invalid resource-discovery value '" + discovery +
                                "', allowed values are: 'always', 'exclusive', 'never'"));
  return edit_cib(inv, [&](CibDocument& doc) -> Status {
    if (!core::find_resource(doc, rsc) && !inv.force)
      return Status::not_found("bundle/clone/group/resource '" + rsc + "' does not exist");
    std::string id = cid;
    if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
    if (id.empty()) id = doc.unique_id("location-" + rsc);
    core::Element* c = core::add_child(doc.section("constraints"), "rsc_location");
    c->SetAttribute("id", id.c_str());
    c->SetAttribute("rsc", rsc.c_str());
    if (!discovery.empty()) c->SetAttribute("resource-discovery", discovery.c_str());
    return core::write_rule(doc, c, id, *opts, *expr, false).status();
  });
}

int rule_command(Invocation& inv, const Args& a) {
  if (a.empty()) return usage_error("constraint rule add CONSTRAINT_ID [id=] [role=] [score=|score-attribute=] EXPRESSION | constraint rule remove RULE_ID");
  if (a[0] == "remove" || a[0] == "delete") {
    if (a.size() != 2) return usage_error("constraint rule remove RULE_ID");
    return edit_cib(inv, [&](CibDocument& doc) -> Status {
      core::Element* rule = doc.find_id(a[1]);
      if (rule == nullptr || std::string(rule->Name()) != "rule" || rule->Parent() == nullptr ||
          std::string(rule->Parent()->Value()) != "rsc_location")
        return Status::not_found("Unable to find rule with id: " + a[1]);
      core::Element* loc = rule->Parent()->ToElement();
      loc->DeleteChild(rule);
      // A rule-only location constraint left without rules goes too.
      if (loc->FirstChildElement("rule") == nullptr && !core::has_attr(loc, "node")) {
        std::cout << "Removing Constraint: " << core::printable(core::attr(loc, "id")) << "\n";
        loc->Parent()->DeleteChild(loc);
      }
      return Status::ok();
    });
  }
  if (a[0] != "add" || a.size() < 3) return usage_error("constraint rule add CONSTRAINT_ID [id=] [role=] [score=|score-attribute=] EXPRESSION");
  size_t i = 2;
  auto opts = rule_options(a, &i, nullptr, nullptr);
  if (!opts) return fail(opts.status());
  opts->role = role_name(opts->role);
  auto expr = core::parse_rule_expression(Args(a.begin() + static_cast<long>(i), a.end()));
  if (!expr) return fail(expr.status());
  return edit_cib(inv, [&](CibDocument& doc) -> Status {
    core::Element* loc = doc.find_id(a[1]);
    if (loc == nullptr || std::string(loc->Name()) != "rsc_location")
      return Status::not_found("Unable to find constraint: " + a[1]);
    // A node/score constraint becomes a rule constraint (pcs drops node and score).
    loc->DeleteAttribute("node");
    loc->DeleteAttribute("score");
    return core::write_rule(doc, loc, a[1], *opts, *expr, false).status();
  });
}

int set_constraint(Invocation& inv, const std::string& kind, const Args& a) {
  std::vector<core::SetSpec> sets(1);
  core::KeyValues options;
  bool in_setoptions = false;
  for (const std::string& w : a) {
    std::string k, v;
    if (in_setoptions) {
      if (!split_kv(w, &k, &v)) return usage_error("setoptions takes key=value options, not '" + w + "'");
      options.emplace_back(k, v);
    } else if (w == "set") {
      sets.emplace_back();
    } else if (w == "setoptions") {
      in_setoptions = true;
    } else if (split_kv(w, &k, &v)) {
      sets.back().options.emplace_back(k, v);
    } else {
      if (!sets.back().options.empty()) return usage_error("resource '" + w + "' after the set's options");
      sets.back().resources.push_back(w);
    }
  }
  return edit_cib(inv, [&](CibDocument& doc) { return core::add_set_constraint(doc, kind, sets, options, inv.force).status(); });
}

std::string rule_text(const core::Rule& r) {
  std::vector<std::string> parts;
  for (const auto& n : r.rules) parts.push_back("(" + rule_text(n) + ")");
  for (const auto& e : r.expressions) {
    if (e.operation == "defined" || e.operation == "not_defined") parts.push_back(e.operation + " " + e.attribute);
    else parts.push_back(e.attribute + " " + e.operation + (e.type.empty() ? "" : " " + e.type) + " " + e.value);
  }
  for (const auto& d : r.date_expressions) {
    std::string t;
    if (d.operation == "date_spec") {
      t = "date-spec";
      for (const auto& [k, v] : d.date_spec)
        if (k != "id") t += " " + k + "=" + v;
    } else if (d.operation == "gt") {
      t = "date gt " + d.start;
    } else if (d.operation == "lt") {
      t = "date lt " + d.end;
    } else {
      t = "date in_range " + d.start + " to ";
      if (d.duration.empty()) t += d.end;
      else {
        t += "duration";
        for (const auto& [k, v] : d.duration)
          if (k != "id") t += " " + k + "=" + v;
      }
    }
    parts.push_back(t);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " " + r.boolean_op + " ") + p;
  return out;
}

void print_rule(const core::Rule& r, int indent, std::ostream& os) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  os << pad << "Rule:";
  if (r.has_boolean_op) os << " boolean-op=" << core::printable(r.boolean_op);
  if (!r.role.empty()) os << " role=" << core::printable(r.role);
  if (r.score) os << " score=" << core::score_to_string(*r.score);
  if (!r.score_attribute.empty()) os << " score-attribute=" << core::printable(r.score_attribute);
  os << " (id:" << core::printable(r.id) << ")\n";
  for (const auto& n : r.rules) print_rule(n, indent + 2, os);
  for (const auto& e : r.expressions) {
    os << pad << "  Expression: ";
    if (e.operation == "defined" || e.operation == "not_defined") os << e.operation << " " << core::printable(e.attribute);
    else os << core::printable(e.attribute) << " " << core::printable(e.operation) << (e.type.empty() ? "" : " " + core::printable(e.type))
            << " " << core::printable(e.value);
    os << " (id:" << core::printable(e.id) << ")\n";
  }
  for (const auto& d : r.date_expressions) {
    if (d.operation == "date_spec") {
      os << pad << "  Expression: (id:" << core::printable(d.id) << ")\n" << pad << "    Date Spec:";
      for (const auto& [k, v] : d.date_spec)
        if (k != "id") os << " " << core::printable(k) << "=" << core::printable(v);
      os << " (id:" << core::printable(d.date_spec.count("id") ? d.date_spec.at("id") : "") << ")\n";
      continue;
    }
    os << pad << "  Expression: date " << core::printable(d.operation);
    if (d.operation == "gt") os << " " << core::printable(d.start);
    else if (d.operation == "lt") os << " " << core::printable(d.end);
    else os << " " << core::printable(d.start) << " to " << (d.duration.empty() ? core::printable(d.end) : "duration");
    os << " (id:" << core::printable(d.id) << ")\n";
    if (!d.duration.empty()) {
      os << pad << "    Duration:";
      for (const auto& [k, v] : d.duration)
        if (k != "id") os << " " << core::printable(k) << "=" << core::printable(v);
      os << " (id:" << core::printable(d.duration.count("id") ? d.duration.at("id") : "") << ")\n";
    }
  }
}

void print_set_constraints(const core::Cib& cib, const std::string& kind, std::ostream& os) {
  auto print = [&](const std::string& id, const std::vector<core::ResourceSet>& sets, const core::Attributes& attrs) {
    os << "   ";
    for (const auto& s : sets) {
      os << " set";
      for (const auto& r : s.resources) os << " " << core::printable(r);
      for (const auto& [k, v] : s.attrs)
        if (k != "id") os << " " << core::printable(k) << "=" << core::printable(v);
      os << " (id:" << core::printable(s.id) << ")";
    }
    bool first = true;
    for (const auto& [k, v] : attrs) {
      if (k == "id") continue;
      os << (first ? " setoptions " : " ") << core::printable(k) << "=" << core::printable(v);
      first = false;
    }
    os << " (id:" << core::printable(id) << ")\n";
  };
  bool header = false;
  auto head = [&] {
    if (!header) os << "  Resource Sets:\n";
    header = true;
  };
  if (kind == "order") {
    for (const auto& c : cib.orders)
      if (!c.sets.empty()) head(), print(c.id, c.sets, c.attrs);
  } else {
    for (const auto& c : cib.colocations)
      if (!c.sets.empty()) head(), print(c.id, c.sets, c.attrs);
  }
}

}  // namespace hactl::cmd
