// The node and resource listing of crm_simulate's "Current cluster status"
// and "Revised Cluster Status" sections (text output).
#pragma once

#include <ostream>

#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

// show_pending: a pending start shows as "Starting" and so on (crm_simulate
// does that for the current status only).
void print_cluster_status(std::ostream& os, const core::ClusterStatus& status, const core::Cib& cib,
                          bool show_pending);

}  // namespace hactl::cmd
