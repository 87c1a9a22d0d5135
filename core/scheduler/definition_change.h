// Changed resource definitions (Pacemaker 2.1.5 pcmk__handle_rsc_config_changes,
// process_rsc_history and pcmk__check_action_config in pcmk_sched_actions.c):
// the history of a resource active on a node is compared, operation by
// operation since its last start, with the current configuration through the
// recorded parameter digests (op_digest.h). A changed start (or probe,
// promote, migrate_from) makes the start required, so a resource staying
// where it is restarts "due to resource definition change"; a change the
// agent can reload is a reload; a changed recurring monitor is rescheduled.
//
// Unlike Pacemaker, an entry without op-digest is never taken as a change:
// hactl's own controller does not record digests, and Pacemaker would restart
// every resource of such a cluster ("it is unknown what the previous op
// digest was" makes it force a restart). Internal to core/scheduler.
#pragma once

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Sets each primitive's definition_restart, definition_reload and
// rescheduled_monitors. `sanitized`: the CIB is a saved copy whose private
// parameters may be masked, so a change only there is not acted on.
void check_definition_changes(WorkingSet& ws, bool sanitized);

// check_operation_expiry's should_clear_for_param_change: a resource's
// "last failure" entry of a start or monitor whose parameters have changed
// since (an unknown digest is no change).
bool failure_parameters_changed(const WorkingSet& ws, const SRsc& rsc, const LrmOp& op);

}  // namespace hactl::core::sched
