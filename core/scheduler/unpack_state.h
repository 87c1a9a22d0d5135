// The status-section part of unpack (unpack_state.cpp): used by unpack() only.
#pragma once

#include <functional>
#include <string>

#include "core/cib_model.h"
#include "core/scheduler/op_history.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// determine_online_status: node `ni` from its node_state (nullptr: none recorded).
void unpack_node_state(WorkingSet& ws, int ni, const NodeState* st);
// The failure attributes of node `ni` (core/fail_attribute.h): transient ones,
// then permanent ones a transient of the same name does not override.
void for_each_failure_attribute(const WorkingSet& ws, int ni,
                                const std::function<void(const std::string& rsc, bool is_count, const std::string& value)>& fn);
// Adds one failure attribute's value to the resource's record for that node.
void add_failure(SRsc& r, int ni, bool is_count, const std::string& value);
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
