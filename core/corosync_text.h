// corosync-cfgtool -s and corosync-quorumtool -s/-p text, answered from
// hactl's own membership: the layout ha_cluster_exporter's corosync collector
// and operators' scripts parse. Pure: the caller supplies the membership.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hactl::core {

struct CorosyncMember {
  uint32_t id = 0;
  std::string name;
  bool up = false;
};

struct CorosyncView {
  uint32_t local_id = 0;
  std::string local_addr;  // this node's cluster address (no port)
  std::string date;        // "Wed Dec  2 14:00:00 2026" (ctime layout)
  bool quorate = false;
  int expected_votes = 0, total_votes = 0, quorum = 0;
  bool two_node = false;
  std::vector<CorosyncMember> members;  // every configured node
};

// Ring ID: corosync's "<representative node id>.<sequence>"; hactl has no
// ring sequence, so the lowest member id and the member count stand in.
std::string corosync_ring_id(const CorosyncView& v);
std::string cfgtool_status_text(const CorosyncView& v);
std::string quorumtool_status_text(const CorosyncView& v);

}  // namespace hactl::core
