#include "core/scheduler/restart_propagation.h"

#include "core/scheduler/migration.h"
#include "core/scheduler/ordering.h"

namespace hactl::core::sched {
namespace {

struct Propagation {
  const WorkingSet& ws;
  std::vector<PlannedActions> plan;
  std::vector<ImpliedRestart> out;
  bool changed = false;

  std::vector<int> primitives(int ri) const {
    const SRsc& r = ws.rscs[ri];
    return r.is_group ? r.children : std::vector<int>{ri};
  }

  // Whether X's `task` (start or stop) is required. A group's start and stop
  // are represented by its "running" and "stopped" pseudo-actions, which a
  // required member action makes required (action_for_ordering).
  bool required(int ri, const std::string& task) const {
    for (int m : primitives(ri)) {
      // A migrating start implies nothing (pe_order_implies_then skips a
      // migrate_runnable first): what follows it keeps running.
      if (task == "start" && plan[m].start_required && !migrates(ws, m)) return true;
      if (task == "stop" && plan[m].stop_required) return true;
    }
    return false;
  }
  static std::string action_name(const SRsc& r, const std::string& task) {
    if (!r.is_group) return task;
    return task == "start" ? "running" : "stopped";
  }

  // Make primitive m's `task` required; a resource staying in place then
  // restarts (its own stop->start ordering carries pe_order_restart and
  // pe_order_implies_then). Only a start made required by another resource
  // gets a reason: clear_action_flag_because names the first action only
  // when it belongs to a different resource.
  void require(int m, const std::string& task, const std::string& reason) {
    PlannedActions& p = plan[m];
    if (!p.in_place || !ws.rscs[m].managed) return;
    p.in_place = false;
    p.start_required = p.stop_required = true;
    out[m].restart = true;
    if (task == "start") out[m].reason = reason;
    changed = true;
  }

  void run() {
    out.assign(ws.rscs.size(), {});
    do {
      changed = false;
      for (const OrderConstraint* op : ws.order_list) {
        const OrderConstraint& o = *op;
        const std::string then_task = order_then_task(o);
        if ((o.first_action != "start" && o.first_action != "stop") || (then_task != "start" && then_task != "stop"))
          continue;
        int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
        if (f < 0 || th < 0 || !order_implies_then(ws, o) || !required(f, o.first_action)) continue;
        // A group as "then" passes the requirement on to every member
        // (pcmk__group_update_ordered_actions).
        const std::string reason = "required " + o.first + " " + action_name(ws.rscs[f], o.first_action);
        for (int m : primitives(th)) require(m, then_task, reason);
      }
      // Group members: the previous member's start implies this one's, and
      // stopping the previous member first stops this one (group internal
      // orderings with pe_order_implies_then and pe_order_restart).
      for (const auto& g : ws.rscs) {
        for (size_t i = 1; i < g.children.size(); ++i) {
          int prev = g.children[i - 1], m = g.children[i];
          if (plan[prev].start_required) require(m, "start", "required " + ws.rscs[prev].id + " start");
          if (plan[prev].stop_required) require(m, "stop", "");
        }
      }
    } while (changed);
  }
};

}  // namespace

std::vector<ImpliedRestart> propagate_restarts(const WorkingSet& ws, std::vector<PlannedActions> plan) {
  Propagation p{ws, std::move(plan), {}};
  p.run();
  return p.out;
}

}  // namespace hactl::core::sched
