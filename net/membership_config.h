// What the membership layer needs from cluster.conf, as plain values. The
// daemon maps the file onto these; nothing here reads files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "net/cluster_key.h"
#include "net/net_types.h"

namespace hactl::net {

// One port per node carries both UDP (membership) and TCP (bulk).
inline constexpr std::uint16_t kDefaultPort = 5410;

struct NodeAddress {
  NodeId id = kNoNode;   // 1..N, unique
  std::string name;      // node name as in the CIB (uname)
  std::string address;   // numeric IPv4 or IPv6, resolved at `cluster setup`
  std::uint16_t port = 0;  // 0: kDefaultPort
  std::uint16_t effective_port() const { return port ? port : kDefaultPort; }
};

struct ClusterMembers {
  std::string cluster_name;
  std::vector<NodeAddress> nodes;
  KeyBytes key{};  // the authkey
  std::vector<NodeId> ids() const;
  const NodeAddress* find(NodeId id) const;
};

// Timing knobs. The defaults aim at sub-second failure detection on a LAN
// (see PROTOCOL.md, "Timing"): a crashed peer is suspected within one or two
// probe periods and declared dead suspicion_base later (small clusters).
struct MembershipConfig {
  Millis probe_interval{100};  // one probe round per interval (scaled by awareness)
  Millis probe_timeout{40};    // wait for a direct ack before asking others (scaled by awareness)
  int indirect_checks = 3;     // k peers asked to probe on our behalf
  // Suspicion lasts between min and max; min = suspicion_base * max(1, log10(n)),
  // max = suspicion_max_mult * min; it shrinks from max towards min as
  // independent confirmations arrive (Lifeguard).
  Millis suspicion_base{200};
  int suspicion_max_mult = 3;
  int suspicion_confirmations = 2;  // expected confirmations; 0 below n = k + 2
  int retransmit_mult = 4;          // an update is sent retransmit_mult * ceil(log10(n+1)) times
  Millis gossip_interval{50};       // gossip of pending updates to gossip_fanout peers
  int gossip_fanout = 3;
  Millis reconnect_interval{200};   // one ping to a dead/unseen node, to heal partitions and rejoin
  // While some members were never heard of (after a start or restart), ask a
  // peer for its whole member table at most this often (memberlist's push-pull
  // at join), instead of waiting to meet every node.
  Millis sync_interval{1000};
  int awareness_max = 8;            // Lifeguard local health: timeouts scale up to this factor
  std::size_t max_datagram = 1400;
};

// Checks what the protocol relies on; the message names the offending field.
// Members: at least one node, ids unique and non-zero, names unique, numeric
// addresses, distinct address:port pairs.
core::Status validate(const ClusterMembers& members);
// Timings: positive, probe_timeout < probe_interval, counts in range.
core::Status validate(const MembershipConfig& config);

}  // namespace hactl::net
