// What crm_simulate shows as "Current cluster status" and "Revised Cluster
// Status": the CIB's status section unpacked (Pacemaker's cluster_status()),
// without scheduling anything. The revised status is this same view of the
// CIB after the transition has been simulated, so both sections share it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cib_model.h"

namespace hactl::core {

struct NodeStatus {
  std::string uname;
  bool online = false, unclean = false, pending = false;
  bool standby = false, standby_onfail = false, maintenance = false;
  bool running_resources = false;  // some resource is active there
};

struct PrimitiveStatus {
  std::string id;
  std::string agent;                    // "ocf:heartbeat:IPaddr2"
  bool orphaned = false;                // removed from the configuration, still active (shown ORPHANED)
  std::vector<std::string> running_on;  // status-section order; more than one = multiply active
  std::string node;                     // where it is reported (pe__current_node, else where an op is pending)
  bool node_unclean = false;            // that node is unclean and offline
  bool failed = false, managed = true, blocked = false, failure_ignored = false;
  bool disabled = false;                // target-role Stopped
  std::string failed_probe;             // a masked probe failure's result, e.g. "not installed"
  std::string pending_task;             // its first pending operation ("start", "monitor"...)
  std::string role;                     // an active promotable instance: "Promoted" or "Unpromoted"
};

struct TopLevelStatus {
  std::string group;  // empty for a primitive outside any group
  // A clone set: its id and its primitive's, and its instances in
  // `primitives` (an anonymous instance's id is the primitive's own).
  std::string clone, clone_child;
  bool unique = false, promotable = false;
  std::vector<std::string> stopped_on;  // nodes no instance is active on, when fewer than clone-max are
  bool managed = true, disabled = false;
  std::vector<PrimitiveStatus> primitives;  // the primitive, or the group's members in order
};

// A failed operation still in force on an online node (crm_mon's "Failed
// Resource Actions"); `op` points into the Cib the status was read from.
struct FailedAction {
  std::string rsc, node;
  const LrmOp* op = nullptr;
};

struct ClusterStatus {
  std::vector<NodeStatus> nodes;           // natural name order, as Pacemaker lists them
  // Stable by priority, highest first (unpack_resources), then the active
  // orphans as the status section names them; inactive orphans are not shown.
  std::vector<TopLevelStatus> resources;
  std::vector<FailedAction> failed_actions;  // status-section node order

  const NodeStatus* find_node(std::string_view uname) const;
  const PrimitiveStatus* find_primitive(std::string_view id) const;
};

// The result refers into `cib`, which must outlive it.
ClusterStatus cluster_status(const Cib& cib, int64_t now);

}  // namespace hactl::core
