// How an rsc_order constraint is read (Pacemaker 2.1.5 pcmk_sched_ordering.c):
// its kind and symmetry, after Pacemaker's defaults and corrections.
#pragma once

#include "core/cib_model.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

enum class OrderKind { mandatory, optional, serialize };

// get_ordering_type: an unknown kind is reset to Mandatory; without a kind
// the deprecated score decides (0 = Optional).
OrderKind order_kind(const OrderConstraint& o);

// get_ordering_symmetry: symmetrical by default except Serialize.
bool order_symmetric(const OrderConstraint& o);

// The 'then' task: then-action, defaulting to first-action (unpack_simple_rsc_order).
inline const std::string& order_then_task(const OrderConstraint& o) {
  return o.then_action.empty() ? o.first_action : o.then_action;
}

// Whether the ordering makes "then" required whenever "first" is
// (pe_order_implies_then): a symmetric Mandatory ordering, or an Optional one
// whose "then" resource has the deprecated restart-type=restart.
bool order_implies_then(const WorkingSet& ws, const OrderConstraint& o);

}  // namespace hactl::core::sched
