#include "core/node_edit.h"

#include <algorithm>
#include <set>

#include "core/nvset_edit.h"

namespace hactl::core {

void ensure_nodes(CibDocument& doc, const std::vector<NodeSpec>& nodes) {
  Element* section = doc.section("nodes");
  for (const NodeSpec& n : nodes) {
    if (find_node_element(doc, n.uname)) continue;
    Element* e = add_child(section, "node");
    e->SetAttribute("id", n.id.c_str());
    e->SetAttribute("uname", n.uname.c_str());
    e->SetAttribute("type", "member");
  }
}

Element* find_node_element(const CibDocument& doc, std::string_view uname) {
  for (Element* n : children(doc.find_section("nodes"), "node"))
    if (attr(n, "uname") == uname) return n;
  return nullptr;
}

Status check_node_known(const CibDocument& doc, std::string_view uname, bool force) {
  if (force || find_node_element(doc, uname) || children(doc.find_section("nodes"), "node").empty()) return {};
  return Status::not_found("Node '" + std::string(uname) + "' does not appear to exist in configuration, use --force to override");
}

std::vector<std::string> member_node_names(const CibDocument& doc) {
  std::vector<std::string> out;
  for (Element* n : children(doc.find_section("nodes"), "node")) {
    std::string type = attr(n, "type", "member");
    if (type == "member" || type == "normal") out.push_back(attr(n, "uname"));
  }
  return out;
}

NodeNamesDiff diff_node_names(const std::vector<std::string>& cluster, const std::vector<std::string>& other) {
  std::set<std::string> a(cluster.begin(), cluster.end()), b(other.begin(), other.end());
  NodeNamesDiff d;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(d.dropped));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(d.added));
  return d;
}

Status set_node_attribute(CibDocument& doc, std::string_view uname, std::string_view name, std::string_view value) {
  Element* node = find_node_element(doc, uname);
  if (!node) return Status::not_found("Node '" + std::string(uname) + "' does not appear to exist in configuration");
  Element* set = ensure_nvset(doc, node, "instance_attributes", "nodes-" + attr(node, "id"));
  set_nvpair(doc, set, name, value);
  if (!set->FirstChildElement()) node->DeleteChild(set);
  return {};
}

}  // namespace hactl::core
