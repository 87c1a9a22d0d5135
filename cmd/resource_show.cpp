#include "cmd/resource_show.h"

#include <algorithm>
#include <iostream>
#include <ostream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/cib_model.h"
#include "core/printable_text.h"
#include "core/resource_edit.h"

namespace hactl::cmd {

using core::Element;
using json = nlohmann::json;

namespace {

std::string pad(int n) { return std::string(static_cast<size_t>(n), ' '); }

// An attribute as the text listing shows it: control characters escaped.
std::string shown_attr(const Element* e, const char* name) { return core::printable(core::attr(e, name)); }

void print_nvsets(const Element* e, const char* tag, const char* title, std::ostream& os, int indent) {
  for (Element* s : core::children(e, tag)) {
    os << pad(indent) << core::printable(title) << ": " << shown_attr(s, "id") << "\n";
    for (Element* p : core::children(s, "nvpair"))
      os << pad(indent + 2) << shown_attr(p, "name") << "=" << shown_attr(p, "value") << "\n";
  }
}

void print_primitive(const Element* p, std::ostream& os, int indent) {
  os << pad(indent) << "Resource: " << shown_attr(p, "id") << " (class=" << shown_attr(p, "class");
  if (core::has_attr(p, "provider")) os << " provider=" << shown_attr(p, "provider");
  os << " type=" << shown_attr(p, "type") << ")\n";
  print_nvsets(p, "instance_attributes", "Attributes", os, indent + 2);
  print_nvsets(p, "meta_attributes", "Meta Attributes", os, indent + 2);
  print_nvsets(p, "utilization", "Utilization", os, indent + 2);
  if (Element* ops = core::first_child(p, "operations")) {
    os << pad(indent + 2) << "Operations:\n";
    for (Element* op : core::children(ops, "op")) {
      os << pad(indent + 4) << shown_attr(op, "name") << ": " << shown_attr(op, "id") << "\n";
      for (const tinyxml2::XMLAttribute* a = op->FirstAttribute(); a; a = a->Next()) {
        std::string_view n = a->Name();
        if (n == "name" || n == "id") continue;
        os << pad(indent + 6) << core::printable(n) << "=" << core::printable(a->Value()) << "\n";
      }
    }
  }
}

void print_any(const Element* e, std::ostream& os, int indent) {
  std::string_view tag = e->Name();
  if (tag == "primitive") return print_primitive(e, os, indent);
  std::string title = tag == "group" ? "Group" : (tag == "clone" || tag == "master") ? "Clone" : tag == "bundle" ? "Bundle" : std::string(tag);
  os << pad(indent) << core::printable(title) << ": " << shown_attr(e, "id") << "\n";
  print_nvsets(e, "meta_attributes", "Meta Attributes", os, indent + 2);
  for (Element* c : core::children(e))
    if (std::string_view(c->Name()) == "primitive" || std::string_view(c->Name()) == "group") print_any(c, os, indent + 2);
}

json nvsets_json(const Element* e, const char* tag) {
  json out = json::array();
  for (Element* s : core::children(e, tag)) {
    json pairs = json::array();
    for (Element* p : core::children(s, "nvpair"))
      pairs.push_back({{"id", core::attr(p, "id")}, {"name", core::attr(p, "name")}, {"value", core::attr(p, "value")}});
    out.push_back({{"id", core::attr(s, "id")}, {"options", json::object()}, {"rule", nullptr}, {"nvpairs", pairs}});
  }
  return out;
}

json primitive_json(const Element* p) {
  json ops = json::array();
  if (Element* o = core::first_child(p, "operations"))
    for (Element* op : core::children(o, "op")) {
      json j = json::object();
      for (const tinyxml2::XMLAttribute* a = op->FirstAttribute(); a; a = a->Next()) j[a->Name()] = a->Value();
      ops.push_back(j);
    }
  const Element* parent = p->Parent()->ToElement();
  return {{"id", core::attr(p, "id")},
          {"agent_name", {{"standard", core::attr(p, "class")},
                          {"provider", core::has_attr(p, "provider") ? json(core::attr(p, "provider")) : json(nullptr)},
                          {"type", core::attr(p, "type")}}},
          {"group_id", std::string_view(parent->Name()) == "group" ? json(core::attr(parent, "id")) : json(nullptr)},
          {"instance_attributes", nvsets_json(p, "instance_attributes")},
          {"meta_attributes", nvsets_json(p, "meta_attributes")},
          {"utilization", nvsets_json(p, "utilization")},
          {"operations", ops}};
}

}  // namespace

// pcs's order: primitives, then groups, then clones, then bundles; without ids
// the top-level ones in CIB order, with ids the named ones sorted by id (an
// unknown id is a warning, none found an error).
core::Status print_resource_config(const core::CibDocument& doc, const std::vector<std::string>& ids, std::ostream& os,
                                   int indent) {
  std::vector<Element*> all = core::descendants(doc.find_section("resources"));
  std::set<std::string> wanted;
  for (const std::string& id : ids) {
    if (core::find_resource(doc, id)) wanted.insert(id);
    else std::cerr << "Warning: Unable to find resource '" << core::printable(id) << "'\n";
  }
  if (!ids.empty() && wanted.empty()) return core::Status::not_found("No resource found");
  if (!ids.empty())
    std::stable_sort(all.begin(), all.end(), [](Element* a, Element* b) { return core::attr(a, "id") < core::attr(b, "id"); });
  for (const char* kind : {"primitive", "group", "clone", "bundle"})
    for (Element* e : all) {
      std::string_view tag = e->Name();
      if (tag != kind && !(tag == "master" && std::string_view(kind) == "clone")) continue;
      bool top = std::string_view(e->Parent()->ToElement()->Name()) == "resources";
      if (ids.empty() ? top : wanted.count(core::attr(e, "id")) > 0) print_any(e, os, indent);
    }
  return {};
}

json resource_config_json(const core::CibDocument& doc, const std::vector<std::string>& ids) {
  json prims = json::array(), groups = json::array(), others = json::array();
  std::set<std::string> wanted(ids.begin(), ids.end());
  for (Element* e : core::descendants(doc.find_section("resources"))) {
    std::string_view tag = e->Name();
    std::string id = core::attr(e, "id");
    if (!wanted.empty() && !wanted.count(id)) continue;
    if (tag == "primitive") {
      prims.push_back(primitive_json(e));
    } else if (tag == "group") {
      json members = json::array();
      for (Element* m : core::children(e, "primitive")) members.push_back(core::attr(m, "id"));
      groups.push_back({{"id", id}, {"member_ids", members}, {"meta_attributes", nvsets_json(e, "meta_attributes")}});
    } else if (tag == "clone" || tag == "master" || tag == "bundle") {
      others.push_back({{"id", id}, {"type", tag}});
    }
  }
  return {{"primitives", prims}, {"groups", groups}, {"clones_and_bundles", others}};
}

void print_defaults(const core::CibDocument& doc, const char* section, std::ostream& os, int indent) {
  Element* s = doc.find_section(section);
  if (!s || !s->FirstChildElement()) {
    os << pad(indent) << "No defaults set\n";
    return;
  }
  print_nvsets(s, "meta_attributes", "Meta Attrs", os, indent);
}

}  // namespace hactl::cmd
