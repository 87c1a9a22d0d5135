// Pure edits of the CIB status section beyond single results: node states
// from the membership view, operation results with call ids above the node's
// history, history wipes (so the next transition re-probes), fail-count
// cleanup (one function for the coordinator and for `resource cleanup` on a
// file) and the shutdown mark. No I/O: the caller commits the edited document.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/cluster_conf.h"
#include "core/status_update.h"

namespace hactl::core {

// Writes node_state for every configured node: up nodes are members; a down
// node that was a member and did not shut down cleanly stays "expected
// member" (unclean: fenced first when stonith is enabled); one that left with
// the shutdown mark, or was never seen, is cleanly offline. Also sets the
// have-quorum and dc-uuid attributes. Returns true when anything changed.
bool apply_membership(CibDocument& doc, const ClusterConf& conf, const std::vector<uint32_t>& up,
                      bool quorate, uint32_t dc);

// Records a result like record_op_result, but with a call id above every
// one in the node's history (executors restart; the order must not), the
// agent's exit reason, and the removal of recurring-op entries a stop cancelled.
// r.call_id <= 0: numbered next_call_id() (a scan of the node's history; a
// caller recording many results keeps its own counter instead).
void record_result(CibDocument& doc, const std::string& node_id, OpResult r, const std::string& exit_reason);
// One above every call id in the node's operation history.
int next_call_id(const CibDocument& doc, const std::string& uname);

// Forgets what is known of the node's resources: the next transition probes.
// The history of resources no longer configured (orphans) is kept: probes
// cannot find them, and forgotten they would run on unseen, never stopped.
void wipe_node_history(CibDocument& doc, const std::string& uname);

// Clears fail counts and history of `rsc` (all resources when empty) on
// `node` (all nodes when empty). Returns how many entries went. With
// `failed_only` (crm_resource --cleanup, not --refresh) only the history of a
// resource that failed there goes: a healthy one keeps its last known state,
// so status does not show it Stopped until a probe answers. `cleared` gets
// the (node, resource) pairs whose history went.
int clear_failures(CibDocument& doc, const std::string& rsc, const std::string& node, bool history,
                   bool failed_only = false, std::set<std::pair<std::string, std::string>>* cleared = nullptr);

// The transient "shutdown" attribute (Pacemaker's mark of a node leaving).
void set_shutdown_mark(CibDocument& doc, const std::string& node_id, const std::string& uname, int64_t when);
bool has_shutdown_mark(const CibDocument& doc, const std::string& uname);
// A transient attribute lives as long as the node's run: a mark left by a run
// that ended (the whole cluster stopped, nobody saw it leave) is cleared.
bool clear_shutdown_mark(CibDocument& doc, const std::string& uname);

}  // namespace hactl::core
