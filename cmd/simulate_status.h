// The node and resource listing of crm_simulate's "Current cluster status"
// and "Revised Cluster Status" sections (text output); `hactl status` shares
// its resource lines.
#pragma once

#include <ostream>
#include <string>

#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

// One primitive as crm_mon lists it, without the bullet:
// "r1\t(ocf:pacemaker:Dummy):\t Started n1". show_pending: a pending start
// shows as "Starting" and so on (crm_simulate does that for the current
// status only).
std::string primitive_line(const core::PrimitiveStatus& p, const core::Cib& cib, bool show_pending);
// A group's heading without the bullet: "Resource Group: g1 (disabled):".
std::string group_line(const core::TopLevelStatus& group);
// pe__clone_default: "* Clone Set: ID [CHILD]:" at `pad`, then instances in
// an unusual state one a line, and "Started:" / "Stopped:" node lists.
void print_clone(std::ostream& os, const core::TopLevelStatus& clone, const core::Cib& cib, bool show_pending,
                 const std::string& pad);

// show_pending: a pending start shows as "Starting" and so on (crm_simulate
// does that for the current status only).
void print_cluster_status(std::ostream& os, const core::ClusterStatus& status, const core::Cib& cib,
                          bool show_pending);

}  // namespace hactl::cmd
