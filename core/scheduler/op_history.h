// Replaying one resource's operation history on one node, as Pacemaker 2.1.5
// does when it unpacks the status section (unpack_rsc_op, remap_operation,
// update_resource_state, unpack_rsc_op_failure, process_rsc_state): the
// resulting role, the strongest on-fail response still in force, and the
// bans the history implies. Internal to core/scheduler.
#pragma once

#include <string>
#include <vector>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Failure responses in Pacemaker's severity order: a stronger response
// recorded earlier in the history wins over a weaker later one.
enum class OnFail { ignore, recover, migrate, block, stop, standby, fence };
const char* on_fail_name(OnFail f);

// The on-fail response configured (or defaulted) for an operation
// "task"/"interval_ms" of a primitive, after Pacemaker's validity rules.
struct FailPolicy {
  OnFail on_fail = OnFail::recover;
  bool fail_role_stopped = false;  // on-fail=stop, or fence without fencing
};
FailPolicy fail_policy(const WorkingSet& ws, const Primitive& p, const std::string& task, int64_t interval_ms);

struct HistoryOutcome {
  bool active = false;           // the resource is running there (or must be assumed to)
  bool promoted = false;         // active in the Promoted role (rc 8, promote, no demote since)
  OnFail on_fail = OnFail::ignore;
  bool failure_ignored = false;  // a failure was ignored (on-fail=ignore): thresholds no longer apply
  bool unrecoverable = false;    // a failed stop that fencing cannot resolve: unmanaged, blocked
  bool ban_here = false;         // hard error, failed stop, masked probe failure
  bool ban_everywhere = false;   // fatal error (rc 6) or a failure whose role after failure is Stopped
  bool next_stopped = false;     // on-fail=stop: keep it stopped
  int failed_probe_rc = -1;      // first masked probe failure ("not installed"...), as record_failed_op keeps it
  std::string pending_task;      // the first pending operation other than a probe (status display)
  // Failed operations as record_failed_op keeps them (crm_mon's "Failed
  // Resource Actions"): one per operation key, ignored failures included.
  std::vector<const LrmOp*> failed_ops;
  bool failure_timeout_dropped = false;  // an on-fail=block failure: failure-timeout no longer applies
  // An expired entry, or a last failure whose parameters changed since,
  // schedules clearing the fail count here.
  bool failcount_cleared = false;
};

// block_failure/is_matched_failure of failcounts.c: `op` is a failure of an
// op configured with the literal on-fail="block" (Pacemaker's XPath search
// sees neither op_defaults nor rules). While such a failure exists, Pacemaker
// drops the resource's failure-timeout (for good) whenever it looks up a
// fail count there.
bool is_block_failure(const Primitive& p, const std::string& rsc_id, const LrmOp& op);
bool has_block_failure(const WorkingSet& ws, const SRsc& rsc, int node);

// Sorts one node's history of a resource as unpack_lrm_resource does
// (sort_op_by_callid with g_list_sort's merge sort), ops[lo, hi).
void sort_history(std::vector<const LrmOp*>& ops, size_t lo, size_t hi);

// `node` is the index of the node in ws.nodes.
HistoryOutcome replay_history(const WorkingSet& ws, const SRsc& rsc, int node, const LrmResource& lr);

}  // namespace hactl::core::sched
