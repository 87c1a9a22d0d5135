// Clone pseudo actions, orderings with clones and the Transition Summary
// order of clone instances (clone_actions.cpp). Internal to core/scheduler.
#pragma once

#include <vector>

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// After the primitives' actions exist: `start_of` / `stops_of` per ws.rscs index.
void add_clone_actions(const WorkingSet& ws, Transition& t, const std::vector<int>& start_of,
                       const std::vector<std::vector<int>>& stops_of);

// ws.top with each clone's instances in the order they were assigned.
std::vector<int> summary_order(const WorkingSet& ws);

}  // namespace hactl::core::sched
