#include "net/membership_config.h"

#include <arpa/inet.h>

#include <set>

#include "net/frame.h"

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

namespace {

bool numeric_address(const std::string& a) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, a.c_str(), buf) == 1 || ::inet_pton(AF_INET6, a.c_str(), buf) == 1;
}

}  // namespace

core::Status validate(const ClusterMembers& members) {
  if (members.nodes.empty()) return core::Status::config("the cluster has no nodes");
  std::set<NodeId> ids;
  std::set<std::string> names, endpoints;
  for (const auto& n : members.nodes) {
    const std::string who = "node '" + n.name + "'";
    if (n.id == kNoNode) return core::Status::config(who + ": node id must be 1 or more");
    if (!ids.insert(n.id).second) return core::Status::config(who + ": node id " + std::to_string(n.id) + " is used twice");
    if (n.name.empty() || !names.insert(n.name).second)
      return core::Status::config(who + ": node names must be non-empty and unique");
    if (!numeric_address(n.address))
      return core::Status::config(who + ": address '" + n.address + "' is not a numeric IPv4 or IPv6 address");
    if (!endpoints.insert(n.address + "#" + std::to_string(n.effective_port())).second)
      return core::Status::config(who + ": address and port are used by another node");
  }
  return core::Status::ok();
}

core::Status validate(const MembershipConfig& c) {
  if (c.probe_interval.count() <= 0 || c.probe_timeout.count() <= 0 || c.suspicion_base.count() <= 0 ||
      c.gossip_interval.count() <= 0 || c.reconnect_interval.count() <= 0)
    return core::Status::config("membership timings must be positive");
  if (c.probe_timeout >= c.probe_interval)
    return core::Status::config("probe timeout must be shorter than the probe interval");
  if (c.indirect_checks < 0 || c.gossip_fanout < 1 || c.retransmit_mult < 1 || c.suspicion_max_mult < 1 ||
      c.suspicion_confirmations < 0 || c.awareness_max < 1)
    return core::Status::config("membership counts out of range");
  if (c.max_datagram < kFrameOverhead + 64 || c.max_datagram > 65000)
    return core::Status::config("max datagram size out of range");
  return core::Status::ok();
}

}  // namespace hactl::net
