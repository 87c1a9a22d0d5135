// The request a node's executor gets for one action of the graph: the agent,
// its parameters and meta attributes from the CIB, and its timeout.
#pragma once

#include <string>

#include "core/cib_model.h"
#include "core/control/control_types.h"
#include "core/scheduler/transition.h"
#include "core/status.h"

namespace hactl::core::control {

// The action's timeout: its op's own, probes borrowing the monitor's (as
// Pacemaker does), else op_defaults' timeout, else 20 s.
int64_t action_timeout_ms(const Cib& cib, const Primitive& p, const std::string& task, int64_t interval_ms);

// Error (not_found) when the resource is neither configured nor known to the
// node's history (an orphan is stopped with the agent its history names).
Result<ExecuteRequest> build_execute_request(const Cib& cib, const Action& a);

}  // namespace hactl::core::control
