// What the status section says about where resources are: the last operations
// recorded per node (ordered by call-id) give active/stopped/failed, as
// Pacemaker's unpacking of lrm_rsc_op history does for the common cases.
#pragma once

#include <string>
#include <vector>

#include "core/cib_model.h"

namespace hactl::core {

struct ResourceOnNode {
  std::string rsc, node;
  bool active = false;
  bool failed = false;  // the last result was a failure (monitor rc 7 included)
  const LrmOp* last_failure = nullptr;
};

bool node_is_online(const NodeState& ns);
// Every (resource, node) pair with history on an online node.
std::vector<ResourceOnNode> resource_history(const Cib& cib);
// Nodes the resource is active on (online nodes only), in status order.
std::vector<std::string> active_nodes(const Cib& cib, std::string_view rsc);

// Fail counts: name "fail-count-<rsc>#<op>_<interval>" (or legacy "fail-count-<rsc>").
struct FailCount {
  std::string rsc, node, op_key;  // op_key "monitor_60000", or empty for the legacy form
  Score count = 0;
  int64_t last_failure = 0;
};
std::vector<FailCount> fail_counts(const Cib& cib);

}  // namespace hactl::core
