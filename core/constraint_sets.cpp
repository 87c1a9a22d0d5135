#include "core/constraint_sets.h"

#include <algorithm>

#include "core/score.h"
#include "core/xml_id.h"

namespace hactl::core {
namespace {

Status check_value(const std::string& name, const std::string& v, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return {};
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
  return Status::invalid("'" + v + "' is not a valid " + name + " value, use " + list);
}

Status check_set_option(const std::string& k, const std::string& v) {
  static const std::vector<std::string> booleans = {"false", "true"};
  if (k == "action") return check_value(k, v, {"demote", "promote", "start", "stop"});
  if (k == "sequential" || k == "require-all") return check_value(k, v, booleans);
  if (k == "role") return check_value(k, v, {"Master", "Promoted", "Slave", "Started", "Stopped", "Unpromoted"});
  return Status::invalid("invalid set option '" + k + "', allowed options are: 'action', 'require-all', 'role', 'sequential'");
}

// What makes two set constraints the same for pcs's duplicate check.
std::string signature(const Element* c) {
  std::string s;
  for (const Element* set : children(c, "resource_set")) {
    s += "set";
    for (const tinyxml2::XMLAttribute* a = set->FirstAttribute(); a; a = a->Next())
      if (std::string(a->Name()) != "id") s += std::string(" ") + a->Name() + "=" + a->Value();
    for (const Element* r : children(set, "resource_ref")) s += std::string(" ") + attr(r, "id");
    s += ";";
  }
  return s;
}

}  // namespace

Result<std::string> add_set_constraint(CibDocument& doc, const std::string& kind, const std::vector<SetSpec>& sets,
                                       const KeyValues& options, bool force) {
  const bool order = kind == "order";
  if (sets.empty()) return Status::invalid("at least one resource set is needed");
  for (const auto& s : sets) {
    if (s.resources.empty()) return Status::invalid("a resource set needs at least one resource");
    for (const auto& r : s.resources)
      if (!find_resource(doc, r) && !force) return Status::not_found("bundle/clone/group/resource '" + r + "' does not exist");
    for (const auto& [k, v] : s.options)
      if (Status st = check_set_option(k, v); !st) return st;
  }
  std::string id;
  KeyValues written;
  for (const auto& [k, v] : options) {
    if (k == "id") {
      id = v;
    } else if (order && k == "kind") {
      if (Status st = check_value(k, v, {"Mandatory", "Optional", "Serialize"}); !st) return st;
      written.emplace_back(k, v);
    } else if (order && k == "symmetrical") {
      if (Status st = check_value(k, v, {"false", "true"}); !st) return st;
      written.emplace_back(k, v);
    } else if (!order && k == "score") {
      if (!parse_score(v)) return Status::invalid("invalid score '" + v + "', use integer or INFINITY or -INFINITY");
      written.emplace_back(k, v);
    } else {
      return Status::invalid(std::string("invalid option '") + k + "', allowed options are: " +
                             (order ? "'id', 'kind', 'symmetrical'" : "'id', 'score'"));
    }
  }
  if (!order && std::none_of(written.begin(), written.end(), [](const auto& kv) { return kv.first == "score"; }))
    written.insert(written.begin(), {"score", "INFINITY"});
  if (!id.empty()) {
    if (std::string why = id_error(id, "constraint id"); !why.empty()) return Status::invalid(why);
  }
  if (!id.empty() && doc.id_in_use(id)) return Status::exists("id '" + id + "' is already in use");
  if (id.empty()) {
    std::string base = order ? "order_set_" : "colocation_set_";
    for (const auto& s : sets)
      for (const auto& r : s.resources) base += std::string(1, r.front()) + r.back();
    id = doc.unique_id(base);
  }
  Element* constraints = doc.section("constraints");
  Element* c = add_child(constraints, order ? "rsc_order" : "rsc_colocation");
  for (const auto& [k, v] : written) c->SetAttribute(k.c_str(), v.c_str());
  c->SetAttribute("id", id.c_str());
  for (const auto& s : sets) {
    Element* e = add_child(c, "resource_set");
    for (const auto& [k, v] : s.options) e->SetAttribute(k.c_str(), v.c_str());
    e->SetAttribute("id", doc.unique_id(id + "_set").c_str());
    for (const auto& r : s.resources) add_child(e, "resource_ref")->SetAttribute("id", r.c_str());
  }
  if (!force) {
    const std::string mine = signature(c);
    for (Element* other : children(constraints, c->Name()))
      if (other != c && signature(other) == mine) {
        constraints->DeleteChild(c);
        return Status::exists("duplicate constraint already exists, use --force to override");
      }
  }
  return id;
}

}  // namespace hactl::core
