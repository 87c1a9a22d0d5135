// `hactl constraint ...`: listing (pcs 0.11.5 layout, ids always shown), location,
// colocation, order, remove, ref. The pcs 0.9 `colocation add A B SCORE` form is
// accepted with a note.
#include <algorithm>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/clone_cmds.h"
#include "cmd/constraint_rules.h"
#include "cmd/sys/json_text.h"
#include "core/cib_model.h"
#include "core/constraint_edit.h"
#include "core/node_edit.h"
#include "core/printable_text.h"
#include "core/score.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;
using json = nlohmann::json;

namespace {

const std::set<std::string> kRoles = {"Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"};
const std::set<std::string> kActions = {"start", "stop", "promote", "demote"};

void print_locations(const core::Cib& cib, std::ostream& os) {
  os << "Location Constraints:\n";
  std::vector<std::string> order;
  for (auto& c : cib.locations) {
    std::string key = c.rsc.empty() ? "pattern " + c.rsc_pattern : c.rsc;
    if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
  }
  std::sort(order.begin(), order.end());  // pcs lists resources by id
  for (const std::string& rsc : order) {
    os << "  Resource: " << core::printable(rsc) << "\n";
    for (bool enabled : {true, false}) {
      bool header = false;
      for (auto& c : cib.locations) {
        std::string key = c.rsc.empty() ? "pattern " + c.rsc_pattern : c.rsc;
        if (key != rsc || c.node.empty() || !c.score || (*c.score >= 0) != enabled) continue;
        if (!header) os << (enabled ? "    Enabled on:\n" : "    Disabled on:\n");
        header = true;
        os << "      Node: " << core::printable(c.node) << " (score:" << core::score_to_string(*c.score) << ")";
        if (!c.role.empty()) os << " (role:" << core::printable(c.role) << ")";
        if (!c.resource_discovery.empty()) os << " (resource-discovery=" << core::printable(c.resource_discovery) << ")";
        os << " (id:" << core::printable(c.id) << ")\n";
      }
    }
    for (auto& c : cib.locations) {
      std::string key = c.rsc.empty() ? "pattern " + c.rsc_pattern : c.rsc;
      if (key != rsc || c.rules.empty()) continue;
      os << "    Constraint: " << core::printable(c.id) << "\n";
      for (auto& r : c.rules) print_rule(r, 6, os);
    }
  }
}

void print_orders(const core::Cib& cib, std::ostream& os) {
  os << "Ordering Constraints:\n";
  for (auto& c : cib.orders) {
    if (!c.sets.empty()) continue;
    os << "  " << core::printable(c.first_action) << " " << core::printable(c.first) << " then "
       << core::printable(c.then_action) << " " << core::printable(c.then) << " (kind:" << core::printable(c.kind) << ")";
    if (c.symmetrical && !*c.symmetrical) os << " (non-symmetrical)";
    if (c.attrs.count("require-all")) os << " (Options: require-all=" << core::printable(c.attrs.at("require-all")) << ")";
    os << " (id:" << core::printable(c.id) << ")\n";
  }
  print_set_constraints(cib, "order", os);
}

void print_colocations(const core::Cib& cib, std::ostream& os) {
  os << "Colocation Constraints:\n";
  for (auto& c : cib.colocations) {
    if (!c.sets.empty()) continue;
    os << "  " << core::printable(c.rsc) << " with " << core::printable(c.with_rsc) << " (score:" << core::score_to_string(c.score) << ")";
    if (!c.rsc_role.empty()) os << " (rsc-role:" << core::printable(c.rsc_role) << ")";
    if (!c.with_rsc_role.empty()) os << " (with-rsc-role:" << core::printable(c.with_rsc_role) << ")";
    os << " (id:" << core::printable(c.id) << ")\n";
  }
  print_set_constraints(cib, "colocation", os);
}

json constraints_json(const core::Cib& cib) {
  json loc = json::array(), col = json::array(), ord = json::array();
  for (auto& c : cib.locations) {
    json rules = json::array();
    for (auto& r : c.rules)
      rules.push_back({{"id", r.id}, {"score", r.score ? json(core::score_to_string(*r.score)) : json(nullptr)},
                       {"expression", rule_text(r)}});
    loc.push_back({{"constraint_id", c.id}, {"resource_id", c.rsc.empty() ? json(nullptr) : json(c.rsc)},
                   {"resource_pattern", c.rsc_pattern.empty() ? json(nullptr) : json(c.rsc_pattern)},
                   {"role", c.role.empty() ? json(nullptr) : json(c.role)},
                   {"node", c.node.empty() ? json(nullptr) : json(c.node)},
                   {"score", c.score ? json(core::score_to_string(*c.score)) : json(nullptr)},
                   {"resource_discovery", c.resource_discovery.empty() ? json(nullptr) : json(c.resource_discovery)},
                   {"rules", rules}});
  }
  for (auto& c : cib.colocations)
    col.push_back({{"constraint_id", c.id}, {"resource_id", c.rsc}, {"with_resource_id", c.with_rsc},
                   {"score", core::score_to_string(c.score)},
                   {"resource_role", c.rsc_role.empty() ? json(nullptr) : json(c.rsc_role)},
                   {"with_resource_role", c.with_rsc_role.empty() ? json(nullptr) : json(c.with_rsc_role)},
                   {"sets", c.sets.size()}});
  for (auto& c : cib.orders)
    ord.push_back({{"constraint_id", c.id}, {"first_resource_id", c.first}, {"then_resource_id", c.then},
                   {"first_action", c.first_action}, {"then_action", c.then_action}, {"kind", c.kind},
                   {"symmetrical", c.symmetrical.value_or(c.kind != "Serialize")}, {"sets", c.sets.size()}});
  return {{"location", loc}, {"colocation", col}, {"order", ord}};
}

int list(Invocation& inv, const std::string& only) {
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  if (inv.json()) {
    json j = constraints_json(cib);
    std::cout << json_text((only.empty() ? j : json{{only, j[only]}}), 2) << "\n";
    return 0;
  }
  if (only.empty() || only == "location") print_locations(cib, std::cout);
  if (only.empty() || only == "order") print_orders(cib, std::cout);
  if (only.empty() || only == "colocation") print_colocations(cib, std::cout);
  if (only.empty()) {
    std::cout << "Ticket Constraints:\n";
  }
  return 0;
}

// location RSC prefers|avoids NODE[=SCORE]... [resource-discovery=...]
int location(Invocation& inv, const Args& a) {
  if (a.empty() || a[0] == "config" || a[0] == "show") return list(inv, "location");
  if (a[0] == "remove" || a[0] == "delete") {
    if (a.size() < 2) return usage_error("constraint location remove needs a constraint id");
    return edit_cib(inv, [&](CibDocument& doc) { return core::remove_constraint(doc, a[1]); });
  }
  if (a.size() >= 2 && a[1] == "rule") return location_rule(inv, a);
  if (a[0] == "add") {  // location add ID RSC NODE SCORE [options]
    if (a.size() < 5) return usage_error("constraint location add ID RESOURCE NODE SCORE [options]");
    auto opts = parse_kvs(a, 5);
    if (!opts) return fail(opts.status());
    core::LocationSpec spec{a[2], a[3], a[4], false, *opts};
    spec.options.emplace_back("id", a[1]);
    return edit_cib(inv, [&](CibDocument& doc) {
      if (Status s = core::check_node_known(doc, spec.node, inv.force); !s) return s;
      return core::add_location(doc, spec, inv.force).status();
    });
  }
  if (a.size() < 3 || (a[1] != "prefers" && a[1] != "avoids"))
    return usage_error("constraint location RESOURCE prefers|avoids NODE[=SCORE]...");
  bool avoids = a[1] == "avoids";
  std::vector<core::LocationSpec> specs;
  core::KeyValues options;
  for (size_t i = 2; i < a.size(); ++i) {
    std::string k, v;
    if (split_kv(a[i], &k, &v) && (k == "resource-discovery" || k == "role")) {
      options.emplace_back(k, k == "role" ? modern_role_noted(v) : v);
      continue;
    }
    core::LocationSpec s{a[0], a[i], "INFINITY", avoids, {}};
    if (split_kv(a[i], &k, &v)) {
      s.node = k;
      s.score = v;
    }
    specs.push_back(s);
  }
  if (specs.empty()) return usage_error("constraint location needs at least one node");
  return edit_cib(inv, [&](CibDocument& doc) {
    for (auto s : specs) {
      s.options = options;
      if (Status known = core::check_node_known(doc, s.node, inv.force); !known) return known;
      auto r = core::add_location(doc, s, inv.force);
      if (!r) return r.status();
    }
    return Status::ok();
  });
}

// colocation add [ROLE] A with [ROLE] B [SCORE] [options]; legacy: colocation add A B [SCORE]
int colocation(Invocation& inv, const Args& a) {
  if (a.empty() || a[0] == "config" || a[0] == "show") return list(inv, "colocation");
  if (a[0] == "remove" || a[0] == "delete") {
    if (a.size() < 3) return usage_error("constraint colocation remove SOURCE TARGET");
    return edit_cib(inv, [&](CibDocument& doc) {
      for (auto& c : core::read_cib(doc).colocations)
        if (c.rsc == a[1] && c.with_rsc == a[2]) return core::remove_constraint(doc, c.id);
      return Status::not_found("Unable to find colocation constraint with source '" + a[1] + "' and target '" + a[2] + "'");
    });
  }
  if (a[0] == "set") return set_constraint(inv, "colocation", Args(a.begin() + 1, a.end()));
  if (a[0] != "add") return usage_error("constraint colocation add [ROLE] SOURCE with [ROLE] TARGET [SCORE] [options]");
  core::ColocationSpec spec;
  size_t i = 1;
  auto take_role = [&](std::string* role) {
    if (i < a.size() && kRoles.count(a[i])) *role = modern_role_noted(a[i++]);
  };
  take_role(&spec.rsc_role);
  if (i >= a.size()) return usage_error("constraint colocation add needs a source resource");
  spec.rsc = a[i++];
  bool legacy = true;
  if (i < a.size() && a[i] == "with") {
    legacy = false;
    ++i;
  }
  take_role(&spec.with_rsc_role);
  const bool positional_roles = !spec.rsc_role.empty() || !spec.with_rsc_role.empty();
  if (i >= a.size()) return usage_error("constraint colocation add needs a target resource");
  spec.with_rsc = a[i++];
  if (i < a.size() && a[i].find('=') == std::string::npos) spec.score = a[i++];
  auto opts = parse_kvs(a, i);
  if (!opts) return fail(opts.status());
  for (auto& [k, v] : *opts) {
    if (k == "score") spec.score = v;
    else if (k == "rsc-role") spec.rsc_role = modern_role_noted(v);  // the 0.9 tutorials' with-rsc-role=Master
    else if (k == "with-rsc-role") spec.with_rsc_role = modern_role_noted(v);
    else spec.options.emplace_back(k, v);
  }
  // pcs writes both roles once one is given as a word (`with Promoted X`): the
  // other one is Started. A role given as an option (with-rsc-role=) stays alone.
  if (positional_roles) {
    if (spec.rsc_role.empty()) spec.rsc_role = "Started";
    if (spec.with_rsc_role.empty()) spec.with_rsc_role = "Started";
  }
  if (legacy) legacy_note("constraint colocation add " + spec.rsc + " " + spec.with_rsc,
                          "constraint colocation add " + spec.rsc + " with " + spec.with_rsc);
  return edit_cib(inv, [&](CibDocument& doc) { return core::add_colocation(doc, spec, inv.force).status(); });
}

// order [ACTION] A then [ACTION] B [options]
int order(Invocation& inv, const Args& a) {
  if (a.empty() || a[0] == "config" || a[0] == "show") return list(inv, "order");
  if (a[0] == "set") return set_constraint(inv, "order", Args(a.begin() + 1, a.end()));
  if (a[0] == "remove" || a[0] == "delete") {
    if (a.size() < 2) return usage_error("constraint order remove RESOURCE...");
    return edit_cib(inv, [&](CibDocument& doc) {
      bool any = false;
      for (size_t i = 1; i < a.size(); ++i)
        for (auto& c : core::read_cib(doc).orders)
          if (c.first == a[i] || c.then == a[i]) any = core::remove_constraint(doc, c.id).is_ok() || any;
      return any ? Status::ok() : Status::not_found("No matching order constraint found");
    });
  }
  core::OrderSpec spec;
  size_t i = 0;
  if (i < a.size() && kActions.count(a[i])) spec.first_action = a[i++];
  if (i >= a.size()) return usage_error("constraint order [ACTION] RESOURCE then [ACTION] RESOURCE [options]");
  spec.first = a[i++];
  if (i >= a.size() || a[i] != "then") return usage_error("constraint order [ACTION] RESOURCE then [ACTION] RESOURCE [options]");
  ++i;
  spec.then_action = spec.first_action;
  if (i < a.size() && kActions.count(a[i])) spec.then_action = a[i++];
  else spec.then_action = "start";
  if (i >= a.size()) return usage_error("constraint order [ACTION] RESOURCE then [ACTION] RESOURCE [options]");
  spec.then = a[i++];
  auto opts = parse_kvs(a, i);
  if (!opts) return fail(opts.status());
  spec.options = *opts;
  int rc = edit_cib(inv, [&](CibDocument& doc) { return core::add_order(doc, spec, inv.force).status(); });
  if (rc != 0) return rc;  // said only once the constraint is in the CIB
  std::string kind = "Mandatory";
  for (auto& [k, v] : spec.options)
    if (k == "kind") kind = v;
  std::cerr << "Adding " << core::printable(spec.first) << " " << core::printable(spec.then)
            << " (kind: " << core::printable(kind) << ") (Options: first-action=" << spec.first_action
            << " then-action=" << spec.then_action << ")\n";
  return 0;
}

int ref(Invocation& inv, const Args& rscs) {
  if (rscs.empty()) return usage_error("constraint ref RESOURCE...");
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  json out = json::object();
  for (const std::string& r : rscs) {
    auto ids = core::constraint_refs(*doc, r);
    if (inv.json()) {
      out[r] = ids;
      continue;
    }
    std::cout << "Resource: " << core::printable(r) << "\n";
    if (ids.empty()) std::cout << "  No Matches\n";
    for (auto& id : ids) std::cout << "  " << core::printable(id) << "\n";
  }
  if (inv.json()) std::cout << json_text(out, 2) << "\n";
  return 0;
}

}  // namespace

int run_constraint(Invocation& inv, Args args) {
  std::string sub = args.empty() ? "config" : args[0];
  Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (sub == "config") return list(inv, "");
  if (sub == "list" || sub == "show") {
    legacy_note("constraint " + sub, "constraint config");
    return list(inv, "");
  }
  if (sub == "location") return location(inv, rest);
  if (sub == "colocation") return colocation(inv, rest);
  if (sub == "order") return order(inv, rest);
  if (sub == "ref") return ref(inv, rest);
  if (sub == "rule") return rule_command(inv, rest);
  if (sub == "remove" || sub == "delete") {
    if (rest.empty()) return usage_error("constraint remove CONSTRAINT_ID...");
    return edit_cib(inv, [&](CibDocument& doc) {
      for (const std::string& id : rest)
        if (Status s = core::remove_constraint(doc, id); !s) return s;
      return Status::ok();
    });
  }
  return usage_error("unknown constraint command '" + sub + "'");
}

}  // namespace hactl::cmd
