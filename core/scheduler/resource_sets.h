// Resource sets in rsc_order and rsc_colocation, expanded into the pairwise
// orderings and colocations the rest of the scheduler works with, as
// Pacemaker 2.1.5 does (pcmk_sched_ordering.c unpack_order_set and
// order_rsc_sets, pcmk_sched_colocation.c unpack_colocation_set and
// colocate_rsc_sets).
#pragma once

#include <deque>
#include <vector>

#include "core/cib_model.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Every ordering in configuration order, a constraint with sets replaced by
// the pairs its sets imply (stored in `storage`). A pair keeps the
// constraint's kind and symmetry: the inverse Pacemaker creates for a set
// (stop the later set's first before the earlier set's last) is the
// pairwise inverse of the forward pair.
std::vector<const OrderConstraint*> expand_order_sets(const std::vector<OrderConstraint>& orders,
                                                      std::deque<OrderConstraint>& storage);

// The colocations a constraint with sets implies (dependent, primary,
// score), in the order Pacemaker creates them; unknown resources are skipped.
struct SetColocation {
  std::string id, dependent, primary;
  Score score = 0;
};
std::vector<SetColocation> expand_colocation_sets(const ColocationConstraint& c);

}  // namespace hactl::core::sched
