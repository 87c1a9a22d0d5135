#include "core/constraint_edit.h"

#include <algorithm>

#include "core/clone_edit.h"
#include "core/score.h"

namespace hactl::core {

namespace {

std::string option(const KeyValues& kv, std::string_view key) {
  for (auto& [k, v] : kv)
    if (k == key) return v;
  return "";
}

// A constraint names a clone, not what is inside it (pcs refuses unless --force).
Status check_resource(const CibDocument& doc, std::string_view id, bool force) {
  if (force) return {};
  Element* e = find_resource(doc, id);
  if (!e) return Status::not_found("Resource '" + std::string(id) + "' does not exist");
  if (is_clone_element(e)) return {};
  if (Element* clone = enclosing_clone(doc, id))
    return Status::invalid(std::string(id) + " is a clone resource, you should use the clone id: " + attr(clone, "id") +
                           " when adding constraints. Use --force to override.");
  return {};
}

Result<Score> checked_score(std::string_view text) {
  auto s = parse_score(text);
  if (!s) return Status::invalid("invalid score '" + std::string(text) + "', use integer or INFINITY or -INFINITY");
  return *s;
}

// pcs names a location constraint after its score as written, e.g. -INFINITY, -200.
std::string score_text(std::string_view written, Score value) {
  if (value >= kInfinity || value <= -kInfinity) return score_to_string(value);
  return std::to_string(value);
}

Status check_options(const KeyValues& options, const std::vector<std::string_view>& allowed) {
  for (auto& [k, v] : options)
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "'" : ", '") + std::string(a) + "'";
      return Status::invalid("invalid option '" + k + "', allowed options are: " + list);
    }
  return {};
}

Status check_role(std::string_view role) {
  static const std::vector<std::string_view> roles = {"Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"};
  if (role.empty() || std::find(roles.begin(), roles.end(), role) != roles.end()) return {};
  return Status::invalid("invalid role value '" + std::string(role) + "', allowed values are: 'Promoted', 'Started', 'Stopped', 'Unpromoted'");
}

Element* lifetime_rule(CibDocument& doc, Element* loc, std::string_view id, std::string_view node, Score score,
                       std::string_view end) {
  Element* rule = add_child(loc, "rule");
  rule->SetAttribute("id", doc.unique_id(std::string(id) + "-rule").c_str());
  rule->SetAttribute("score", score_to_string(score).c_str());
  rule->SetAttribute("boolean-op", "and");
  Element* ex = add_child(rule, "expression");
  ex->SetAttribute("id", doc.unique_id(std::string(id) + "-rule-expr").c_str());
  ex->SetAttribute("attribute", "#uname");
  ex->SetAttribute("operation", "eq");
  ex->SetAttribute("value", std::string(node).c_str());
  Element* date = add_child(rule, "date_expression");
  date->SetAttribute("id", doc.unique_id(std::string(id) + "-lifetime").c_str());
  date->SetAttribute("operation", "lt");
  date->SetAttribute("end", std::string(end).c_str());
  return rule;
}

}  // namespace

Result<std::string> add_location(CibDocument& doc, const LocationSpec& spec, bool force) {
  if (Status s = check_resource(doc, spec.rsc, force); !s) return s;
  if (Status s = check_options(spec.options, {"id", "resource-discovery", "role"}); !s) return s;
  if (Status s = check_role(option(spec.options, "role")); !s) return s;
  std::string disc = option(spec.options, "resource-discovery");
  if (!disc.empty() && disc != "always" && disc != "never" && disc != "exclusive")
    return Status::invalid("invalid resource-discovery value '" + disc + "', allowed values are: 'always', 'exclusive', 'never'");
  auto score = checked_score(spec.score);
  if (!score) return score.status();
  Score value = spec.avoids ? (*score >= kInfinity ? -kInfinity : -*score) : *score;
  std::string id = option(spec.options, "id");
  if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
  if (id.empty()) id = doc.unique_id("location-" + spec.rsc + "-" + spec.node + "-" + score_text(spec.score, value));
  Element* c = add_child(doc.section("constraints"), "rsc_location");
  c->SetAttribute("id", id.c_str());
  c->SetAttribute("rsc", spec.rsc.c_str());
  c->SetAttribute("node", spec.node.c_str());
  c->SetAttribute("score", score_to_string(value).c_str());
  for (auto& [k, v] : spec.options)
    if (k != "id") c->SetAttribute(k.c_str(), v.c_str());
  return id;
}

Result<std::string> add_colocation(CibDocument& doc, const ColocationSpec& spec, bool force) {
  if (Status s = check_resource(doc, spec.rsc, force); !s) return s;
  if (Status s = check_resource(doc, spec.with_rsc, force); !s) return s;
  if (spec.rsc == spec.with_rsc) return Status::invalid("Cannot add colocation constraint of a resource with itself");
  if (Status s = check_options(spec.options, {"id", "node-attribute", "influence"}); !s) return s;
  if (Status s = check_role(spec.rsc_role); !s) return s;
  if (Status s = check_role(spec.with_rsc_role); !s) return s;
  auto score = checked_score(spec.score);
  if (!score) return score.status();
  std::string id = option(spec.options, "id");
  if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
  if (id.empty()) id = doc.unique_id("colocation-" + spec.rsc + "-" + spec.with_rsc + "-" + score_to_string(*score));
  Element* c = add_child(doc.section("constraints"), "rsc_colocation");
  c->SetAttribute("id", id.c_str());
  c->SetAttribute("rsc", spec.rsc.c_str());
  c->SetAttribute("with-rsc", spec.with_rsc.c_str());
  c->SetAttribute("score", score_to_string(*score).c_str());
  if (!spec.rsc_role.empty()) c->SetAttribute("rsc-role", spec.rsc_role.c_str());
  if (!spec.with_rsc_role.empty()) c->SetAttribute("with-rsc-role", spec.with_rsc_role.c_str());
  for (auto& [k, v] : spec.options)
    if (k != "id") c->SetAttribute(k.c_str(), v.c_str());
  return id;
}

Result<std::string> add_order(CibDocument& doc, const OrderSpec& spec, bool force) {
  if (Status s = check_resource(doc, spec.first, force); !s) return s;
  if (Status s = check_resource(doc, spec.then, force); !s) return s;
  if (spec.first == spec.then) return Status::invalid("first and then cannot be the same resource");
  if (Status s = check_options(spec.options, {"id", "kind", "symmetrical", "require-all"}); !s) return s;
  static const std::vector<std::string_view> actions = {"start", "stop", "promote", "demote"};
  for (const std::string& a : {spec.first_action, spec.then_action})
    if (std::find(actions.begin(), actions.end(), a) == actions.end())
      return Status::invalid("invalid action '" + a + "', allowed values are: 'demote', 'promote', 'start', 'stop'");
  std::string kind = option(spec.options, "kind");
  if (!kind.empty() && kind != "Optional" && kind != "Mandatory" && kind != "Serialize")
    return Status::invalid("invalid kind value '" + kind + "', allowed values are: 'Mandatory', 'Optional', 'Serialize'");
  std::string sym = option(spec.options, "symmetrical");
  if (!sym.empty() && sym != "true" && sym != "false" && sym != "1" && sym != "0")
    return Status::invalid("invalid symmetrical value '" + sym + "', allowed values are: 'false', 'true'");
  std::string id = option(spec.options, "id");
  if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
  if (id.empty()) id = doc.unique_id("order-" + spec.first + "-" + spec.then + "-" + (kind.empty() ? "mandatory" : kind));
  Element* c = add_child(doc.section("constraints"), "rsc_order");
  c->SetAttribute("id", id.c_str());
  c->SetAttribute("first", spec.first.c_str());
  c->SetAttribute("then", spec.then.c_str());
  c->SetAttribute("first-action", spec.first_action.c_str());
  c->SetAttribute("then-action", spec.then_action.c_str());
  for (auto& [k, v] : spec.options)
    if (k != "id") c->SetAttribute(k.c_str(), v.c_str());
  return id;
}

Status remove_constraint(CibDocument& doc, std::string_view id) {
  Element* constraints = doc.find_section("constraints");
  for (Element* c : children(constraints))
    if (attr(c, "id") == id) {
      constraints->DeleteChild(c);
      return {};
    }
  return Status::not_found("Unable to find constraint - '" + std::string(id) + "'");
}

std::vector<std::string> constraint_refs(const CibDocument& doc, std::string_view rsc) {
  std::vector<std::string> out;
  for (Element* c : children(doc.find_section("constraints"))) {
    bool hit = false;
    for (const char* a : {"rsc", "with-rsc", "first", "then"})
      if (attr(c, a) == rsc) hit = true;
    for (Element* ref : descendants(c, "resource_ref"))
      if (attr(ref, "id") == rsc) hit = true;
    if (hit) out.push_back(attr(c, "id"));
  }
  return out;
}

Result<std::string> add_move_constraint(CibDocument& doc, std::string_view rsc, std::string_view node,
                                        std::string_view lifetime_end) {
  if (!find_resource(doc, rsc)) return Status::not_found("Resource '" + std::string(rsc) + "' not found");
  // A move replaces an earlier move and lifts a ban on the destination.
  clear_move_constraints(doc, rsc, "");
  std::string id = "cli-prefer-" + std::string(rsc);
  Element* c = add_child(doc.section("constraints"), "rsc_location");
  c->SetAttribute("id", id.c_str());
  c->SetAttribute("rsc", std::string(rsc).c_str());
  c->SetAttribute("role", "Started");
  if (lifetime_end.empty()) {
    c->SetAttribute("node", std::string(node).c_str());
    c->SetAttribute("score", "INFINITY");
  } else {
    lifetime_rule(doc, c, id, node, kInfinity, lifetime_end);
  }
  return id;
}

Result<std::string> add_ban_constraint(CibDocument& doc, std::string_view rsc, std::string_view node,
                                       std::string_view lifetime_end) {
  if (!find_resource(doc, rsc)) return Status::not_found("Resource '" + std::string(rsc) + "' not found");
  std::string id = "cli-ban-" + std::string(rsc) + "-on-" + std::string(node);
  remove_constraint(doc, id);  // re-banning replaces the old ban
  Element* c = add_child(doc.section("constraints"), "rsc_location");
  c->SetAttribute("id", id.c_str());
  c->SetAttribute("rsc", std::string(rsc).c_str());
  c->SetAttribute("role", "Started");
  if (lifetime_end.empty()) {
    c->SetAttribute("node", std::string(node).c_str());
    c->SetAttribute("score", "-INFINITY");
  } else {
    lifetime_rule(doc, c, id, node, -kInfinity, lifetime_end);
  }
  return id;
}

std::vector<std::string> clear_move_constraints(CibDocument& doc, std::string_view rsc, std::string_view node) {
  std::vector<std::string> removed;
  Element* constraints = doc.find_section("constraints");
  std::string prefer = "cli-prefer-" + std::string(rsc);
  std::string ban_prefix = "cli-ban-" + std::string(rsc) + "-on-";
  for (Element* c : children(constraints, "rsc_location")) {
    std::string id = attr(c, "id");
    bool is_prefer = id == prefer;
    bool is_ban = id.rfind(ban_prefix, 0) == 0;
    if (!is_prefer && !is_ban) continue;
    if (!node.empty()) {
      std::string target = is_ban ? id.substr(ban_prefix.size()) : attr(c, "node");
      if (target != node) continue;
    }
    removed.push_back(id);
    constraints->DeleteChild(c);
  }
  return removed;
}

}  // namespace hactl::core
