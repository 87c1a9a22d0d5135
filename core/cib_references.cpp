// Resource templates and tags: see cib_references.h.
#include "core/cib_references.h"

#include <algorithm>
#include <set>

namespace hactl::core {
namespace {

// The <resources> section of the document `e` belongs to.
const Element* resources_of(const Element* e) {
  const tinyxml2::XMLDocument* doc = e->GetDocument();
  const Element* root = doc ? doc->RootElement() : nullptr;
  const Element* conf = root ? first_child(root, "configuration") : nullptr;
  return conf ? first_child(conf, "resources") : nullptr;
}

// template_op_key: an operation of the template is overridden by one of the
// primitive with the same name and role.
std::string op_key(const Element* op) {
  std::string role = attr(op, "role");
  return attr(op, "name") + "-" + (role.empty() ? "Started" : role);
}

void collect_template_users(const Element* e, std::map<std::string, std::vector<std::string>>& out) {
  for (const Element* c : children(e)) {
    const std::string tag = c->Name();
    if (tag == "primitive" && has_attr(c, "template")) out[attr(c, "template")].push_back(attr(c, "id"));
    if (tag == "group" || tag == "clone" || tag == "master") collect_template_users(c, out);
  }
}

}  // namespace

const Element* expand_template(const Element* e, tinyxml2::XMLDocument& scratch) {
  const std::string ref = attr(e, "template");
  if (ref.empty() || ref == attr(e, "id")) return e;
  const Element* resources = resources_of(e);
  const Element* tmpl = nullptr;
  if (resources)
    for (const Element* t : children(resources, "template"))
      if (attr(t, "id") == ref) tmpl = t;
  if (tmpl == nullptr) return e;
  // The template's attributes with the primitive's id; the primitive's own
  // sets come before the template's so that its values win (template-1,
  // template-2 in Pacemaker's scheduler tests).
  Element* out = scratch.NewElement(e->Name());
  scratch.InsertEndChild(out);
  for (const tinyxml2::XMLAttribute* a = tmpl->FirstAttribute(); a; a = a->Next()) out->SetAttribute(a->Name(), a->Value());
  out->SetAttribute("id", attr(e, "id").c_str());
  Element* own_ops = nullptr;
  for (const Element* c : children(e)) {
    Element* copy = c->DeepClone(&scratch)->ToElement();
    out->InsertEndChild(copy);
    if (std::string_view(copy->Name()) == "operations") own_ops = copy;
  }
  for (const Element* c : children(tmpl)) {
    if (std::string_view(c->Name()) != "operations" || own_ops == nullptr) {
      out->InsertEndChild(c->DeepClone(&scratch));
      continue;
    }
    std::set<std::string> own;
    for (const Element* op : children(own_ops)) own.insert(op_key(op));
    for (const Element* op : children(c))
      if (!own.count(op_key(op))) own_ops->InsertEndChild(op->DeepClone(&scratch));
  }
  return out;
}

void read_references(Cib& cib, const CibDocument& doc) {
  if (const Element* resources = doc.find_section("resources")) collect_template_users(resources, cib.references);
  if (const Element* tags = doc.find_section("tags"))
    for (const Element* t : children(tags, "tag")) {
      auto& refs = cib.references[attr(t, "id")];
      for (const Element* r : children(t, "obj_ref")) refs.push_back(attr(r, "id"));
    }
}

std::unique_ptr<Cib> expand_references(const Cib& cib) {
  const bool location_sets = std::any_of(cib.locations.begin(), cib.locations.end(),
                                         [](const LocationConstraint& c) { return !c.sets.empty(); });
  if (cib.references.empty() && !location_sets) return nullptr;
  auto refs = [&](const std::string& id) -> const std::vector<std::string>* {
    auto it = cib.references.find(id);
    return it == cib.references.end() ? nullptr : &it->second;
  };
  // A reference inside a set is replaced by what it stands for, in place.
  auto expand_sets = [&](std::vector<ResourceSet>& sets) {
    for (ResourceSet& s : sets) {
      std::vector<std::string> out;
      for (const std::string& r : s.resources) {
        if (const auto* list = refs(r)) out.insert(out.end(), list->begin(), list->end());
        else out.push_back(r);
      }
      s.resources = std::move(out);
    }
  };
  // pcmk__tag_to_set: the side naming a reference becomes an unordered set;
  // with `convert_rsc` a side naming a resource becomes a set of one.
  auto to_set = [&](const std::string& id, bool convert_rsc, ResourceSet& set) {
    set = ResourceSet{};
    set.id = id;
    if (const auto* list = refs(id)) {
      set.resources = *list;
      set.attrs["sequential"] = "false";
      return true;
    }
    if (!convert_rsc) return false;
    set.resources = {id};
    return true;
  };
  auto out = std::make_unique<Cib>(cib);
  std::vector<LocationConstraint> locations;
  for (const LocationConstraint& c : cib.locations) {
    // unpack_location_set: a set of a location is one location per member,
    // with the set's role.
    if (!c.sets.empty()) {
      LocationConstraint each = c;
      each.sets.clear();
      std::vector<ResourceSet> sets = c.sets;
      expand_sets(sets);
      for (const ResourceSet& set : sets) {
        auto role = set.attrs.find("role");
        each.role = role == set.attrs.end() ? c.role : role->second;
        for (const std::string& r : set.resources) {
          each.rsc = r;
          locations.push_back(each);
        }
      }
      continue;
    }
    const auto* list = refs(c.rsc);
    if (list == nullptr) {
      locations.push_back(c);
      continue;
    }
    for (const std::string& r : *list) {
      locations.push_back(c);
      locations.back().rsc = r;
    }
  }
  out->locations = std::move(locations);
  for (ColocationConstraint& c : out->colocations) {
    if (!c.sets.empty()) {
      expand_sets(c.sets);
      continue;
    }
    if (!refs(c.rsc) && !refs(c.with_rsc)) continue;
    ResourceSet dependent, primary;
    to_set(c.rsc, true, dependent);
    to_set(c.with_rsc, true, primary);
    if (!c.rsc_role.empty()) dependent.attrs["role"] = c.rsc_role;
    if (!c.with_rsc_role.empty()) primary.attrs["role"] = c.with_rsc_role;
    // The earlier set is the dependent one (unpack_colocation_tags adds
    // the rsc side's set before the with-rsc side's).
    c.sets = {dependent, primary};
    c.rsc.clear();
    c.with_rsc.clear();
  }
  for (OrderConstraint& c : out->orders) {
    if (!c.sets.empty()) {
      expand_sets(c.sets);
      continue;
    }
    if (!refs(c.first) && !refs(c.then)) continue;
    ResourceSet first, then;
    to_set(c.first, true, first);
    to_set(c.then, true, then);
    first.attrs["action"] = c.first_action;
    then.attrs["action"] = c.then_action.empty() ? c.first_action : c.then_action;
    c.sets = {first, then};
    c.first.clear();
    c.then.clear();
  }
  std::vector<TicketConstraint> tickets;
  for (const TicketConstraint& c : cib.tickets) {
    tickets.push_back(c);
    TicketConstraint& t = tickets.back();
    if (!t.sets.empty()) {
      expand_sets(t.sets);
    } else if (const auto* list = refs(t.rsc)) {
      ResourceSet set;
      to_set(t.rsc, false, set);
      if (!t.rsc_role.empty()) set.attrs["role"] = t.rsc_role;
      set.id = t.id;
      t.sets = {set};
      t.rsc.clear();
      (void)list;
    }
  }
  out->tickets = std::move(tickets);
  return out;
}

}  // namespace hactl::core
