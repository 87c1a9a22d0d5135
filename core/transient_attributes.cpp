#include "core/transient_attributes.h"

#include "core/node_edit.h"

namespace hactl::core {

namespace {

Element* node_state(const CibDocument& doc, std::string_view uname) {
  Element* status = first_child(doc.root(), "status");
  if (!status) return nullptr;
  for (Element* ns : children(status, "node_state"))
    if (attr(ns, "uname") == uname) return ns;
  return nullptr;
}

std::vector<Element*> pairs(const Element* ns) {
  std::vector<Element*> out;
  if (!ns) return out;
  for (Element* ta : children(ns, "transient_attributes"))
    for (Element* ia : children(ta, "instance_attributes"))
      for (Element* nv : children(ia, "nvpair")) out.push_back(nv);
  return out;
}

Element* child_with_id(Element* parent, const char* tag, const std::string& id) {
  if (Element* e = first_child(parent, tag)) return e;
  Element* e = add_child(parent, tag);
  e->SetAttribute("id", id.c_str());
  return e;
}

}  // namespace

std::optional<std::string> get_transient_attribute(const CibDocument& doc, std::string_view uname, std::string_view name) {
  for (const Element* nv : pairs(node_state(doc, uname)))
    if (attr(nv, "name") == name) return attr(nv, "value");
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> transient_attributes(const CibDocument& doc, std::string_view uname) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Element* nv : pairs(node_state(doc, uname))) out.emplace_back(attr(nv, "name"), attr(nv, "value"));
  return out;
}

Status set_transient_attribute(CibDocument& doc, std::string_view uname, std::string_view name, std::string_view value) {
  if (name.empty()) return Status::usage("an attribute name is required");
  const Element* node = find_node_element(doc, uname);
  if (!node) return Status::not_found("Could not map name=" + std::string(uname) + " to a UUID");
  const std::string id = attr(node, "id");
  for (Element* nv : pairs(node_state(doc, uname)))
    if (attr(nv, "name") == name) {
      nv->SetAttribute("value", std::string(value).c_str());
      return {};
    }
  Element* ns = node_state(doc, uname);
  if (!ns) {
    ns = add_child(doc.status_section(), "node_state");
    ns->SetAttribute("id", id.c_str());
    ns->SetAttribute("uname", std::string(uname).c_str());
  }
  Element* ta = child_with_id(ns, "transient_attributes", id);
  Element* ia = child_with_id(ta, "instance_attributes", "status-" + id);
  Element* nv = add_child(ia, "nvpair");
  nv->SetAttribute("id", ("status-" + id + "-" + std::string(name)).c_str());
  nv->SetAttribute("name", std::string(name).c_str());
  nv->SetAttribute("value", std::string(value).c_str());
  return {};
}

bool delete_transient_attribute(CibDocument& doc, std::string_view uname, std::string_view name) {
  bool found = false;
  for (Element* nv : pairs(node_state(doc, uname)))
    if (attr(nv, "name") == name) {
      nv->Parent()->DeleteChild(nv);
      found = true;
    }
  return found;
}

}  // namespace hactl::core
