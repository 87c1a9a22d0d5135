#include "core/scheduler/definition_change.h"

#include <algorithm>
#include <strings.h>

#include "core/scheduler/op_digest.h"
#include "core/scheduler/recurring_ops.h"

namespace hactl::core::sched {
namespace {

bool task_is(const LrmOp& op, const char* task) { return strcasecmp(op.operation.c_str(), task) == 0; }

// action_in_config: an enabled <op> with this name and interval.
bool recurring_op_configured(const Primitive& p, const LrmOp& op) {
  for (const Op& o : p.ops)
    if (o.enabled && o.interval_ms == op.interval_ms && strcasecmp(o.name.c_str(), op.operation.c_str()) == 0)
      return true;
  return false;
}

// pe_rsc_start_pending: a start still in progress in its history.
bool start_pending(const WorkingSet& ws, const SRsc& rsc) {
  for (int n : rsc.running_on) {
    const NodeState* st = ws.nodes[n].state;
    if (st == nullptr) continue;
    for (const auto& lr : st->resources)
      if (lr.id == rsc.id)
        for (const auto& op : lr.ops)
          if (op.operation == "start" && op.op_status == -1) return true;
  }
  return false;
}

// pcmk__check_action_config for one history entry.
void check_entry(const WorkingSet& ws, SRsc& rsc, int node, const LrmOp& op, bool sanitized) {
  // An orphaned recurring op is cancelled, not compared.
  if (op.interval_ms > 0 && !recurring_op_configured(*rsc.prim, op)) return;
  DigestCheck c = compare_op_digest(*ws.cib, *rsc.prim, op, sanitized);
  if (c.only_private_changed) return;
  switch (c.result) {
    case DigestMatch::restart_needed:
      rsc.definition_restart = true;  // force_restart
      break;
    case DigestMatch::changed:
      if (op.interval_ms > 0) {
        rsc.rescheduled_monitors.emplace_back(node, op.interval_ms);  // pcmk__reschedule_recurring
      } else if (!op.restart_digest.empty()) {
        // The agent supports reload (it recorded a restart digest); a
        // failed or unmanaged resource is not reloaded, and one whose start
        // is still pending is stopped instead (schedule_reload).
        if (!rsc.managed || rsc.failed) break;
        if (start_pending(ws, rsc)) {
          rsc.definition_stop = true;
        } else {
          rsc.definition_reload = true;
        }
      } else {
        rsc.definition_restart = true;
      }
      break;
    case DigestMatch::unknown:  // see the header: never a change here
    case DigestMatch::match:
      break;
  }
}

// process_rsc_history: the entries since the last start, if it is active.
void check_history(const WorkingSet& ws, SRsc& rsc, int node, const LrmResource& lr, bool sanitized) {
  if (std::find(rsc.running_on.begin(), rsc.running_on.end(), node) == rsc.running_on.end()) return;
  std::vector<const LrmOp*> ops;
  for (const auto& op : lr.ops) ops.push_back(&op);
  std::stable_sort(ops.begin(), ops.end(), [](const LrmOp* a, const LrmOp* b) { return a->call_id < b->call_id; });
  int start_index = -1, stop_index = -1;
  calculate_active_ops(ops, start_index, stop_index);
  if (start_index < stop_index) return;  // stopped since
  const bool maintenance = ws.nodes[node].maintenance || ws.maintenance_mode ||
                           is_true(rsc.prim->meta.count("maintenance") ? rsc.prim->meta.at("maintenance") : "");
  for (int i = std::max(start_index, 0); i < static_cast<int>(ops.size()); ++i) {
    const LrmOp& op = *ops[i];
    if (op.interval_ms > 0 && maintenance) continue;  // cancelled instead
    if (op.interval_ms > 0 || task_is(op, "monitor") || task_is(op, "start") || task_is(op, "promote") ||
        task_is(op, "migrate_from"))
      check_entry(ws, rsc, node, op, sanitized);
  }
}

}  // namespace

void check_definition_changes(WorkingSet& ws, bool sanitized) {
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni) {
    const SNode& n = ws.nodes[ni];
    // Only nodes that can run actions (pcmk__node_available), and those in
    // maintenance (whose recurring monitors are cancelled).
    if (!n.maintenance && !(n.online && !n.shutdown && !n.unclean && !n.standby)) continue;
    if (n.state == nullptr) continue;
    for (const auto& lr : n.state->resources) {
      int ri = ws.find_rsc(lr.id);
      // An orphan has no definition to compare with (process_rsc_history).
      if (ri < 0 || ws.rscs[ri].is_group || ws.rscs[ri].orphan || ws.rscs[ri].prim == nullptr || lr.ops.empty())
        continue;
      check_history(ws, ws.rscs[ri], static_cast<int>(ni), lr, sanitized);
    }
  }
}

bool failure_parameters_changed(const WorkingSet& ws, const SRsc& rsc, const LrmOp& op) {
  static const std::string kSuffix = "_last_failure_0";
  if (op.id.size() < kSuffix.size() || op.id.compare(op.id.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return false;
  if (op.operation != "start" && op.operation != "monitor") return false;
  DigestMatch m = compare_op_digest(*ws.cib, *rsc.prim, op, false).result;
  return m == DigestMatch::changed || m == DigestMatch::restart_needed;
}

}  // namespace hactl::core::sched
