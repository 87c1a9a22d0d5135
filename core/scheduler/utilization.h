// Utilization and placement-strategy (Pacemaker's pcmk_sched_utilization.c,
// compare_nodes and cmp_resources). With a strategy other than "default" a
// node's <utilization> values are capacities that the resources assigned to
// it consume; a resource is banned from nodes whose remaining capacity is
// short of its needs (with what is colocated with it, when some node can
// hold all of that); "balanced" prefers the node with more remaining
// capacity before the one with fewer resources; "minimal" skips both
// tie-breaks. Resources are assigned in priority order, then by their score
// where they run, then by their best score.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

class NodeCapacities {
 public:
  explicit NodeCapacities(const WorkingSet& ws);
  bool enabled() const { return strategy_ != Strategy::none; }
  bool minimal() const { return strategy_ == Strategy::minimal; }
  bool balanced() const { return strategy_ == Strategy::balanced; }

  // pcmk__compare_node_capacities: < 0 when node a has more remaining
  // capacity than b (one step per utilization name), > 0 for less.
  int compare(int a, int b) const;
  void consume(int node, int ri);
  void release(int node, int ri);
  // pcmk__ban_insufficient_capacity: -INFINITY on the available nodes that
  // cannot hold primitive `ri` (and its unassigned INFINITY-colocated
  // resources, when some node can); returns the node with the most remaining
  // capacity when none can hold them together, else -1.
  int ban_insufficient(WorkingSet& ws, int ri);

 private:
  enum class Strategy { none, utilization, minimal, balanced };
  using Values = std::map<std::string, int>;
  bool enough(int node, const Values& need) const;
  void add_needs(const WorkingSet& ws, int ri, Values& sum) const;

  const WorkingSet& ws_;
  Strategy strategy_ = Strategy::none;
  std::vector<Values> remaining_;  // per node
  std::vector<Values> needs_;      // per resource
};

// pcmk__sort_resources: the allocation order (ws.top) for a non-default
// strategy; call after the node criteria.
void sort_for_utilization(WorkingSet& ws);

}  // namespace hactl::core::sched
