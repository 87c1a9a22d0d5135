#include "core/clone_edit.h"

#include <algorithm>

#include "core/constraint_edit.h"
#include "core/nvset_edit.h"
#include "core/xml_id.h"

namespace hactl::core {

namespace {

bool is_tag(const Element* e, std::string_view tag) { return e && std::string_view(e->Name()) == tag; }

// The primitive or group with this id (pcs's dom_get_resource / dom_get_group).
Element* primitive_or_group(const CibDocument& doc, std::string_view id) {
  Element* e = find_resource(doc, id);
  return e && (is_tag(e, "primitive") || is_tag(e, "group")) ? e : nullptr;
}

Element* parent_of(Element* e) { return e->Parent() ? e->Parent()->ToElement() : nullptr; }

Element* clone_member(const Element* clone) {
  for (Element* c : children(clone))
    if (is_tag(c, "primitive") || is_tag(c, "group")) return c;
  return nullptr;
}

bool value_true(std::string_view v) {
  return v == "true" || v == "on" || v == "yes" || v == "y" || v == "1" || v == "True" || v == "TRUE";
}

}  // namespace

bool is_clone_element(const Element* e) { return is_tag(e, "clone") || is_tag(e, "master"); }

Element* enclosing_clone(const CibDocument& doc, std::string_view id) {
  Element* e = find_resource(doc, id);
  for (; e; e = parent_of(e))
    if (is_clone_element(e)) return e;
  return nullptr;
}

std::string modern_role(std::string_view role) {
  if (role == "Master") return "Promoted";
  if (role == "Slave") return "Unpromoted";
  return std::string(role);
}

Result<CloneOptions> parse_clone_options(const std::vector<std::string>& args, bool promotable) {
  CloneOptions out;
  size_t i = 0;
  if (!args.empty() && args[0] != "op" && args[0] != "meta" && args[0].find('=') == std::string::npos)
    out.clone_id = args[i++];
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "op") return Status::usage("op settings must be changed on base resource, not the clone");
    if (a == "meta") continue;  // `meta k=v` and bare k=v both set clone meta attributes
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) return Status::usage("missing value of '" + a + "' option");
    std::string key = a.substr(0, eq), value = a.substr(eq + 1);
    auto same = std::find_if(out.meta.begin(), out.meta.end(), [&](const auto& kv) { return kv.first == key; });
    if (same != out.meta.end()) same->second = value;  // pcs keeps the last value given
    else out.meta.emplace_back(key, value);
  }
  if (promotable) {
    for (auto& [k, v] : out.meta)
      if (k == "promotable")
        return Status::usage("you cannot specify both promotable option and promotable keyword");
    out.meta.emplace_back("promotable", "true");
  }
  return out;
}

Result<std::string> clone_resource(CibDocument& doc, std::string_view rsc, const CloneOptions& options, bool force,
                                   std::vector<std::string>* warnings) {
  const std::string id(rsc);
  Element* e = primitive_or_group(doc, rsc);
  if (!e) return Status::not_found("unable to find group or resource: " + id);
  Element* parent = parent_of(e);
  if (is_tag(parent, "bundle")) return Status::invalid("cannot clone bundle resource");
  if (enclosing_clone(doc, rsc)) {
    if (is_tag(e, "group")) return Status::invalid("cannot clone a group that has already been cloned");
    return Status::invalid(id + " is already a clone resource");
  }
  if (attr(e, "class") == "stonith") {
    std::string msg = "No need to clone stonith resource '" + id +
                      "', any node can use a stonith resource (unless specifically banned) regardless of whether "
                      "the stonith resource is running on that node or not";
    if (!force) return Status::invalid(msg + ", use --force to override");
    if (warnings) warnings->push_back(msg);
  }
  for (auto& [k, v] : options.meta)
    if ((k == "promotable" || k == "globally-unique") && value_true(v))
      for (Element* p : is_tag(e, "group") ? children(e, "primitive") : std::vector<Element*>{e})
        if (attr(p, "class") != "ocf") {
          std::string agent = attr(p, "class") + (has_attr(p, "provider") ? ":" + attr(p, "provider") : "") + ":" +
                              attr(p, "type");
          return Status::invalid("Clone option '" + k + "' is not compatible with '" + agent +
                                 "' resource agent of resource '" + attr(p, "id") + "'" +
                                 (is_tag(e, "group") ? " in group '" + id + "'" : ""));
        }

  std::string clone_id = options.clone_id;
  if (!clone_id.empty()) {
    if (!is_valid_id(clone_id)) return Status::usage("invalid id '" + clone_id + "'");
    if (doc.id_in_use(clone_id)) return Status::exists("id '" + clone_id + "' already exists");
  } else {
    clone_id = doc.unique_id(id + "-clone");
  }

  // A primitive leaves its group; pcs drops the group it leaves empty, which
  // Pacemaker accepts only when no constraint names that group.
  Element* emptied_group = nullptr;
  if (is_tag(parent, "group") && children(parent, "primitive").size() <= 1) {
    std::string group_id = attr(parent, "id");
    std::vector<std::string> refs = constraint_refs(doc, group_id);
    if (!refs.empty()) {
      std::string list;
      for (auto& r : refs) list += (list.empty() ? "'" : ", '") + r + "'";
      return Status::invalid("cannot clone '" + id + "', the last member of group '" + group_id +
                             "': the group would be removed and constraints reference it: " + list +
                             "; clone the group instead");
    }
    emptied_group = parent;
  }
  Element* resources = doc.section("resources");
  Element* clone = doc.xml().NewElement("clone");
  clone->SetAttribute("id", clone_id.c_str());
  resources->InsertEndChild(clone);
  clone->InsertEndChild(e);  // moves it (tinyxml2 unlinks it from its old parent)
  if (emptied_group) parent_of(emptied_group)->DeleteChild(emptied_group);
  if (!options.meta.empty()) {
    KeyValues sorted = options.meta;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Element* ma = ensure_nvset(doc, clone, "meta_attributes", clone_id + "-meta_attributes");
    for (auto& [k, v] : sorted) set_nvpair(doc, ma, k, v);
    if (!ma->FirstChildElement()) clone->DeleteChild(ma);
  }
  // Constraints that named the resource now name its clone (pcs's constraint_resource_update).
  for (Element* c : children(doc.find_section("constraints")))
    for (const char* a : {"rsc", "with-rsc", "first", "then"})
      if (attr(c, a) == rsc) c->SetAttribute(a, clone_id.c_str());
  return clone_id;
}

Status unclone_resource(CibDocument& doc, std::string_view id) {
  Element* e = primitive_or_group(doc, id);
  if (!e) {
    Element* c = find_resource(doc, id);
    if (is_clone_element(c)) e = clone_member(c);
  }
  if (!e) return Status::not_found("could not find resource: " + std::string(id));
  Element* clone = enclosing_clone(doc, attr(e, "id"));
  if (!clone) return Status::invalid("'" + std::string(id) + "' is not a clone resource");
  Element* member = clone_member(clone);
  Element* resources = parent_of(clone);
  if (is_tag(member, "group") && is_tag(e, "primitive") && children(member, "primitive").size() > 1) {
    // Only this primitive leaves the cloned group, to the end of <resources>.
    resources->InsertEndChild(e);
    return {};
  }
  remove_constraints_of(doc, {attr(clone, "id")}, nullptr);
  resources->InsertEndChild(member);
  resources->DeleteChild(clone);
  return {};
}

}  // namespace hactl::core
