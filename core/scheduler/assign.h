// Placement: node scores (locations, stickiness, fail-count bans) and the
// assignment of every resource to at most one node, following Pacemaker
// 2.1.5's pcmk__primitive_assign / pcmk__group_assign and colocation merging.
#pragma once

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Applies location constraints, stickiness and migration-threshold bans.
void apply_node_criteria(WorkingSet& ws);

// Assigns every top-level resource in allocation order; records score lines
// into `scores` when non-null.
void assign_all(WorkingSet& ws, std::vector<ScoreLine>* scores);

}  // namespace hactl::core::sched
