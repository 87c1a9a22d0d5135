// Promotable clones (Pacemaker 2.1.5 pcmk_sched_promotable.c semantics):
// promotion scores from the node attributes master-<rsc> added to the
// instances' preferences before assignment, then the choice of which
// assigned instances are promoted (promoted-max, promoted-node-max,
// location constraints for the Promoted role), and the promote / demote
// actions, pseudo actions, orderings and role-aware Transition Summary
// lines that follow. Internal to core/scheduler.
#pragma once

#include <vector>

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// pcmk__add_promotion_scores: before clone `ci` is assigned.
void add_promotion_scores(WorkingSet& ws, int ci);
// pcmk__set_instance_roles: after clone `ci` is assigned, sets promote_next.
struct InstanceAssigner;
void set_instance_roles(WorkingSet& ws, int ci, const InstanceAssigner& a);

// The clone's pseudo actions it orders against (-1 when absent).
struct ClonePseudo {
  int start = -1, running = -1, stop = -1, stopped = -1;
  int promote = -1, promoted = -1, demote = -1, demoted = -1;
};
// Promote/demote actions of clone `ci`'s instances, the clone's promote /
// promoted / demote / demoted pseudo actions and their orderings, and the
// instances' summary lines rewritten with roles.
void add_promotable_actions(const WorkingSet& ws, Transition& t, int ci, const std::vector<int>& start_of,
                            const std::vector<std::vector<int>>& stops_of, ClonePseudo& p);

}  // namespace hactl::core::sched

namespace hactl::core::sched {

// pcmk__update_dependent_with_promotable: dependent `dep` colocated with the
// instances of a promotable clone that will have colocation `c`'s role.
void apply_coloc_with_role(WorkingSet& ws, int dep, const Coloc& c);

}  // namespace hactl::core::sched
