#include "core/scheduler/recurring_ops.h"

#include <strings.h>

#include <algorithm>

#include "core/scheduler/op_history.h"

namespace hactl::core::sched {
namespace {

bool task_is(const LrmOp& op, const char* task) { return strcasecmp(op.operation.c_str(), task) == 0; }

// text2role: a role other than Started (or none, or one it does not know,
// which it treats as none) means the op is not for a running primitive.
bool for_started_role(const std::string& role) {
  if (role.empty()) return true;
  for (const char* other : {"Stopped", "Slave", "Unpromoted", "Master", "Promoted"})
    if (strcasecmp(role.c_str(), other) == 0) return false;
  return true;
}

bool configured_twice(const Primitive& p, const Op& op) {
  int n = 0;
  for (const Op& o : p.ops)
    if (o.name == op.name && o.interval_ms == op.interval_ms) ++n;
  return n > 1;
}

bool in_maintenance(const WorkingSet& ws, const SRsc& r) {
  if (ws.maintenance_mode) return true;
  auto it = r.prim->meta.find("maintenance");
  return it != r.prim->meta.end() && is_true(it->second);
}

}  // namespace

void calculate_active_ops(const std::vector<const LrmOp*>& ops, int& start_index, int& stop_index) {
  int implied_monitor_start = -1, implied_clone_start = -1;
  start_index = stop_index = -1;
  for (int i = 0; i < static_cast<int>(ops.size()); ++i) {
    const LrmOp& op = *ops[i];
    if (task_is(op, "stop") && op.op_status == 0) {
      stop_index = i;
    } else if (task_is(op, "start") || task_is(op, "migrate_from")) {
      start_index = i;
    } else if (implied_monitor_start <= stop_index && task_is(op, "monitor")) {
      if (op.rc_code == 0 || op.rc_code == 8) implied_monitor_start = i;
    } else if (task_is(op, "promote") || task_is(op, "demote")) {
      implied_clone_start = i;
    }
  }
  if (start_index == -1) start_index = implied_clone_start != -1 ? implied_clone_start : implied_monitor_start;
}

void note_active_recurring(const WorkingSet& ws, SRsc& rsc, int node, const LrmResource& lr) {
  if (!ws.nodes[node].online) return;
  std::vector<const LrmOp*> ops;
  for (const auto& op : lr.ops) ops.push_back(&op);
  sort_history(ops, 0, ops.size());
  int start_index = -1, stop_index = -1;
  calculate_active_ops(ops, start_index, stop_index);
  for (int i = 0; i < static_cast<int>(ops.size()); ++i) {
    const LrmOp& op = *ops[i];
    // Stopped since its last start (only role=Stopped monitors after the
    // stop would count), or older than that start.
    if ((start_index < stop_index && i <= stop_index) || i < start_index) continue;
    // Pacemaker does not look at the result: a failed monitor is still
    // there (and a failure is recovered by a start, which re-creates it).
    if (op.interval_ms == 0 || op.op_status == -1) continue;
    rsc.active_recurring.push_back({node, op.operation, op.interval_ms});
  }
}

std::vector<const Op*> started_role_monitors(const Primitive& p) {
  std::vector<const Op*> out;
  for (const Op& op : p.ops)
    if (op.name == "monitor" && op.interval_ms > 0 && op.enabled && for_started_role(op.role) &&
        !configured_twice(p, op))
      out.push_back(&op);
  return out;
}

std::vector<const Op*> monitors_to_resume(const WorkingSet& ws, const SRsc& r, int node) {
  std::vector<const Op*> out;
  if (r.prim == nullptr || r.blocked || node < 0 || ws.nodes[node].maintenance || in_maintenance(ws, r)) return out;
  for (const Op* op : started_role_monitors(*r.prim)) {
    // find_actions_exact: the key is case-sensitive.
    bool running = std::any_of(r.active_recurring.begin(), r.active_recurring.end(), [&](const RecurringOp& a) {
      return a.node == node && a.task == op->name && a.interval_ms == op->interval_ms;
    });
    bool rescheduled = std::find(r.rescheduled_monitors.begin(), r.rescheduled_monitors.end(),
                                 std::make_pair(node, op->interval_ms)) != r.rescheduled_monitors.end();
    if (!running || rescheduled) out.push_back(op);
  }
  return out;
}

}  // namespace hactl::core::sched
