// Recurring operations as Pacemaker 2.1.5 schedules them for a resource's
// active role (pcmk_sched_recurring.c) and finds them already running in the
// status section (unpack.c: calculate_active_ops, process_recurring). A
// monitor its history shows running where the resource stays is left alone;
// one that is not (a resource adopted after a probe, a monitor never
// started, a new op) is scheduled there. Internal to core/scheduler.
#pragma once

#include <string>
#include <vector>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// calculate_active_ops over one resource's call-id ordered history on one
// node: the index of its last start (else of a promote/demote, else of the
// first monitor that found it running since a stop) and of its last
// completed stop; -1 when absent.
void calculate_active_ops(const std::vector<const LrmOp*>& sorted, int& start_index, int& stop_index);

// process_recurring: records in rsc.active_recurring the recurring ops the
// history `lr` of node `node` shows running (entered since the last start,
// not pending, the resource not stopped since); nothing on an offline node.
void note_active_recurring(const WorkingSet& ws, SRsc& rsc, int node, const LrmResource& lr);

// The ops is_recurring_history accepts for the Started role: enabled
// monitors with an interval, role Started or none, not configured twice
// with the same name and interval (Pacemaker ignores both then).
std::vector<const Op*> started_role_monitors(const Primitive& p);

// The monitors recurring_op_for_active makes mandatory on `node`, where `r`
// stays without a start: those not running there, and those whose
// parameters changed (rescheduled). None for a blocked resource, one in
// maintenance, or on a node in maintenance.
std::vector<const Op*> monitors_to_resume(const WorkingSet& ws, const SRsc& r, int node);

}  // namespace hactl::core::sched
