// From assigned resources to the Transition: final placement after blocking
// (quorum policy, unrunnable mandatory orderings), the actions, their
// ordering edges and the Transition Summary.
#pragma once

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

void build_transition(WorkingSet& ws, Transition& t);

}  // namespace hactl::core::sched
