// Restarts that orderings imply (Pacemaker 2.1.5 pcmk_sched_actions.c
// update_action_for_ordering_flags, handle_restart_ordering; the implicit
// orderings of pcmk_sched_group.c and pcmk_sched_primitive.c): when an action
// a resource is ordered after becomes required, a resource staying where it
// is must restart, e.g. "Restart rsc2 ( node1 ) due to required rsc1 start".
#pragma once

#include <string>
#include <vector>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// What the transition already does with one primitive, before propagation.
struct PlannedActions {
  bool in_place = false;        // managed, stays active where it is: no start, no stop yet
  bool start_required = false;  // a runnable start is scheduled
  bool stop_required = false;   // a stop is scheduled on some node
};

struct ImpliedRestart {
  bool restart = false;
  std::string reason;  // the start's reason, e.g. "required rsc1 start"; may be empty
};

// `plan` has one entry per ws.rscs index (groups' entries are ignored).
std::vector<ImpliedRestart> propagate_restarts(const WorkingSet& ws, std::vector<PlannedActions> plan);

}  // namespace hactl::core::sched
