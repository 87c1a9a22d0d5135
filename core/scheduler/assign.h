// Placement: node scores (locations, stickiness, fail-count bans) and the
// assignment of every resource to at most one node, following Pacemaker
// 2.1.5's pcmk__primitive_assign / pcmk__group_assign and colocation merging.
#pragma once

#include <functional>

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Applies location constraints, stickiness and migration-threshold bans.
void apply_node_criteria(WorkingSet& ws);

// Assigns every top-level resource in allocation order; records score lines
// into `scores` when non-null.
void assign_all(WorkingSet& ws, std::vector<ScoreLine>* scores);

// Clones (clone_assign.cpp). The assigner lends its primitive assignment
// (assign: instance, preferred node -> node or -1) and its undo.
struct InstanceAssigner {
  std::function<int(int, int)> assign;
  std::function<void(int)> unassign;
  // pcmk__add_colocated_node_scores: resource, table, node attribute,
  // factor, pcmk__coloc_select_active.
  std::function<void(int, NodeTable&, const std::string&, float, bool)> merge_scores;
};
// distribute_children: every instance of clone `ci`, current nodes first.
void assign_clone(WorkingSet& ws, int ci, const InstanceAssigner& a);
// A colocation whose primary is a clone, applied to dependent `dep`
// (pcmk__clone_apply_coloc_score); `per_instance(dep, instance)` applies it
// with one instance as the primary.
void apply_coloc_with_clone(WorkingSet& ws, int dep, const Coloc& c, const std::function<void(int, int)>& per_instance);
// Where each clone's table comes from: the nodes' weights (symmetric) or none.
void init_clone_table(WorkingSet& ws, SClone& c);

}  // namespace hactl::core::sched
