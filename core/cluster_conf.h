// cluster.conf: the cluster's name, its nodes with their addresses (resolved
// once at setup, so the static daemon never needs a name service) and the
// membership timing. A line-oriented text format, documented in docs/on-disk.md:
//   # comment
//   cluster_name = ClusterWeb
//   port = 5405
//   node 1 httpd1 addr=10.0.0.11
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace hactl::core {

struct ClusterNode {
  uint32_t id = 0;
  std::string name, addr;
  uint16_t port = 0;  // 0: the cluster's port
};

struct ClusterConf {
  std::string cluster_name, cluster_uuid;
  uint16_t port = 5405;
  // Membership timing (net/PROTOCOL.md, "Timing"). failure_timeout_ms is the
  // longest it may take to declare a crashed node dead: about one probe
  // interval to suspect it, then a suspicion of up to 3 x suspicion_ms while no
  // other node confirms (typically ~350-450 ms on a LAN with the defaults).
  // suspicion_ms is derived from it unless given.
  int64_t probe_interval_ms = 100;
  int64_t failure_timeout_ms = 700;
  int64_t suspicion_ms = 200;
  bool two_node = false;
  bool wait_for_all = false;
  std::vector<ClusterNode> nodes;

  const ClusterNode* find(std::string_view name) const;
  const ClusterNode* find_id(uint32_t id) const;
};

Result<ClusterConf> parse_cluster_conf(std::string_view text);
std::string format_cluster_conf(const ClusterConf& conf);

}  // namespace hactl::core
