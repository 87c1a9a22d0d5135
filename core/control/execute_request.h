// The request a node's executor gets for one action of the graph: the agent,
// its parameters and meta attributes from the CIB, and the timeout the
// scheduler gave the action (core/scheduler/action_timeout.h).
#pragma once

#include <string>

#include "core/cib_model.h"
#include "core/control/control_types.h"
#include "core/scheduler/transition.h"
#include "core/status.h"

namespace hactl::core::control {

// Error (not_found) when the resource is neither configured nor known to the
// node's history (an orphan is stopped with the agent its history names).
Result<ExecuteRequest> build_execute_request(const Cib& cib, const Action& a);

}  // namespace hactl::core::control
