// The status-section part of unpack (unpack_state.cpp): used by unpack() only.
#pragma once

#include "core/cib_model.h"
#include "core/scheduler/op_history.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// determine_online_status: node `ni` from its node_state (nullptr: none recorded).
void unpack_node_state(WorkingSet& ws, int ni, const NodeState* st);
// Every node's failure attributes summed into its resources' failure records, once.
void collect_failures(WorkingSet& ws);
// process_rsc_state: what resource `ri`'s replayed history on node `ni` means.
void apply_history(WorkingSet& ws, int ri, int ni, const HistoryOutcome& o);

// multiple-active handling of every resource active on more than one node.
void apply_multiple_active(WorkingSet& ws);
// Whether the node's history is read: online, or offline with fencing enabled.
bool history_is_read(const WorkingSet& ws, int ni);
// The first history entry of each resource no longer configured (an orphan).
std::vector<const LrmResource*> find_orphans(const WorkingSet& ws);

}  // namespace hactl::core::sched
