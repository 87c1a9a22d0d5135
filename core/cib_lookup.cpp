// Lookups on the typed CIB model: resources, nodes, node states and properties by name.
#include "core/cib_model.h"

#include <algorithm>

namespace hactl::core {

const LrmResource* find_lrm_resource(const Cib& cib, std::string_view uname, std::string_view rsc) {
  const NodeState* st = cib.find_node_state(uname);
  if (st == nullptr) return nullptr;
  for (const auto& lr : st->resources)
    if (lr.id == rsc) return &lr;
  return nullptr;
}

std::string Primitive::agent() const {
  if (cls == "ocf") return cls + ":" + provider + ":" + type;
  return cls + ":" + type;
}

namespace {
template <typename T>
const T* at_or_null(const std::vector<T>& v, int i) {
  return i < 0 ? nullptr : &v[static_cast<size_t>(i)];
}
}  // namespace

const Primitive* Cib::find_primitive(std::string_view id) const {
  auto key = [](const Primitive& p) -> const std::string& { return p.id; };
  return at_or_null(primitives, primitive_index_.find(primitives, key, id));
}
const Group* Cib::find_group(std::string_view id) const {
  auto key = [](const Group& g) -> const std::string& { return g.id; };
  return at_or_null(groups, group_index_.find(groups, key, id));
}
const Clone* Cib::find_clone(std::string_view id) const {
  for (const auto& c : clones)
    if (c.id == id) return &c;
  return nullptr;
}
const Node* Cib::find_node(std::string_view uname) const {
  auto key = [](const Node& n) -> const std::string& { return n.uname; };
  return at_or_null(nodes, node_index_.find(nodes, key, uname));
}
const NodeState* Cib::find_node_state(std::string_view uname) const {
  auto key = [](const NodeState& n) -> const std::string& { return n.uname; };
  return at_or_null(node_states, node_state_index_.find(node_states, key, uname));
}
std::string Cib::property(std::string_view name, std::string_view fallback) const {
  auto it = properties.find(std::string(name));
  return it == properties.end() ? std::string(fallback) : it->second;
}

}  // namespace hactl::core
