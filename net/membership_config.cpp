#include "net/membership_config.h"

namespace hactl::net {

std::vector<NodeId> ClusterMembers::ids() const {
  std::vector<NodeId> out;
  out.reserve(nodes.size());
  for (const auto& n : nodes) out.push_back(n.id);
  return out;
}

const NodeAddress* ClusterMembers::find(NodeId id) const {
  for (const auto& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

}  // namespace hactl::net
