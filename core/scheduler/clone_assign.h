// What clone assignment shares with the promotion of promotable clones
// (clone_assign.cpp). Internal to core/scheduler.
#pragma once

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// pcmk__cmp_instance without the colocation tie-break: whether instance `x`
// comes before `y` (active ones first, on allowed and less loaded nodes).
bool clone_instance_before(const WorkingSet& ws, const SClone& c, int x, int y);

}  // namespace hactl::core::sched
