#include "core/scheduler/transition_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/scheduler/clone_actions.h"
#include "core/scheduler/decisions.h"
#include "core/scheduler/ordering.h"
#include "core/scheduler/recurring_ops.h"

namespace hactl::core::sched {
namespace {

struct Builder {
  WorkingSet& ws;
  Transition& t;
  Decisions d;

  int add_action(ActionKind kind, const std::string& rsc, const std::string& task, int node, int64_t interval = 0,
                 bool runnable = true) {
    Action a;
    a.id = static_cast<int>(t.actions.size());
    a.kind = kind;
    a.rsc = rsc;
    a.task = task;
    a.node = node >= 0 ? ws.nodes[node].uname : "";
    a.interval_ms = interval;
    a.runnable = runnable;
    t.actions.push_back(std::move(a));
    return t.actions.back().id;
  }
  void edge(int a, int b) {
    if (a >= 0 && b >= 0) t.edges.push_back({a, b});
  }

  // recurring_op_for_active without a start: unrunnable when the start would
  // be, or the node cannot run anything.
  void add_resumed_monitors(size_t ri, int node) {
    const bool runnable = !d.st[ri].start_blocked && ws.nodes[node].online && !ws.nodes[node].unclean;
    for (const Op* op : monitors_to_resume(ws, ws.rscs[ri], node))
      add_action(ActionKind::monitor, ws.rscs[ri].id, "monitor", node, op->interval_ms, runnable);
  }

  void build() {
    d.decide();
    const bool probes = is_true(ws.cib->property("enable-startup-probes", "true"));
    // Room for the most actions there can be: grown by doubling, the vector of
    // (mostly probe) actions would briefly exist twice; the unused tail of the
    // reservation is never touched, so it costs no memory.
    size_t bound = ws.nodes.size();
    for (const auto& r : ws.rscs)
      bound += r.is_group ? 4 : ws.nodes.size() + r.running_on.size() + 1 + (r.prim ? r.prim->ops.size() : 0);
    t.actions.reserve(bound);
    // Fencing of unclean nodes comes first: of those this partition may
    // fence, and only while it has resources to manage (needs_fencing).
    bool have_managed = false;
    for (const auto& r : ws.rscs) have_managed = have_managed || r.managed;
    std::map<int, int> fence_of;
    std::vector<SummaryItem> fence_lines;
    for (int n : fencing_order()) {
      if (!have_managed || !ws.can_fence(n)) continue;
      int a = add_action(ActionKind::fence, "", "stonith", n, 0, true);
      fence_of[n] = a;
      // Nodes unpack did not ask to fence (never seen) get schedule_fencing's reason.
      const std::string& why = ws.nodes[n].fence_reason;
      fence_lines.push_back({"Fence (reboot)", ws.nodes[n].uname, "", "", why.empty() ? "node is unclean" : why, false});
    }
    // pcmk__output_actions walks data_set->actions, where each new action is
    // prepended: the fence actions come out newest first.
    t.summary.assign(fence_lines.rbegin(), fence_lines.rend());
    std::vector<std::vector<SummaryItem>> lines_of(ws.rscs.size());
    std::vector<int> start_of(ws.rscs.size(), -1), stop_last(ws.rscs.size(), -1);
    std::vector<std::vector<int>> stops_of(ws.rscs.size());
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      SRsc& r = ws.rscs[ri];
      // An inactive orphan is history only: nothing to place or do.
      if (r.is_group || (r.orphan && r.running_on.empty())) continue;
      RState& s = d.st[ri];
      ResourcePlacement p;
      p.rsc = r.id;
      for (int n : r.running_on) p.current.push_back(ws.nodes[n].uname);
      p.managed = r.managed;
      p.failed = r.failed;
      p.blocked = r.blocked;
      int final_node = s.start_blocked ? -1 : s.target;
      // A blocked start of a resource that would otherwise stay or move: it is
      // stopped where it runs (the stop is still runnable).
      if (!r.managed) final_node = r.running_on.empty() ? -1 : r.running_on[0];
      const int planned_node = final_node;  // what the summary reports (blocked or not)
      if (s.stop_blocked) final_node = r.current;
      if (final_node >= 0) p.target = ws.nodes[final_node].uname;
      t.placement.push_back(p);
      // Probes wherever the state is unknown, of unmanaged resources too (a
      // copy left running where the history was wiped is found); not of an
      // orphan, which only ever stops (pcmk__probe_rsc_on_node).
      std::vector<int> probe_ids;
      if (probes && !r.orphan) {
        for (size_t n = 0; n < ws.nodes.size(); ++n) {
          if (!ws.nodes[n].online || ws.nodes[n].unclean || d.has_history(static_cast<int>(ri), static_cast<int>(n))) continue;
          probe_ids.push_back(add_action(ActionKind::probe, r.id, "monitor", static_cast<int>(n)));
        }
      }
      // An unmanaged resource is still monitored where it is left (on the
      // first node it is found on, when it is active on several).
      if (!r.managed) {
        if (!r.orphan && final_node >= 0) add_resumed_monitors(ri, final_node);
        continue;
      }

      bool in_place = d.untouched(static_cast<int>(ri));
      // Stops.
      for (int n : r.running_on) {
        if ((in_place && n == r.current) || d.expected_node(static_cast<int>(ri), n)) continue;
        bool fenceable = ws.can_fence(n);
        bool implied = ws.nodes[n].unclean && fenceable;
        int a = add_action(implied ? ActionKind::pseudo : ActionKind::stop, r.id, "stop", implied ? -1 : n, 0,
                           (!ws.nodes[n].unclean || fenceable) && !s.stop_blocked);
        t.actions[a].reason = s.stop_reason;
        if (implied) t.actions[a].node = ws.nodes[n].uname;
        if (auto f = fence_of.find(n); f != fence_of.end()) edge(f->second, a);
        stops_of[ri].push_back(a);
        stop_last[ri] = a;
      }
      // Start and recurring monitors.
      bool need_start = s.target >= 0 && !in_place;
      if (need_start) {
        // On its expected node a stop_unexpected resource keeps running: its
        // start is only a pseudo-action there.
        bool keeps_running = d.expected_node(static_cast<int>(ri), s.target);
        int a = add_action(keeps_running ? ActionKind::pseudo : ActionKind::start, r.id, "start", s.target, 0,
                           !s.start_blocked && !s.stop_blocked);
        t.actions[a].reason = s.block_reason;
        start_of[ri] = a;
        for (int p2 : probe_ids) edge(p2, a);
        for (int sp : stops_of[ri]) edge(sp, a);
        for (const auto& [n, f] : fence_of) edge(f, a);
        for (const Op* op : started_role_monitors(*r.prim)) {
          // Unrunnable with its start (recurring_op_for_active).
          int m = add_action(ActionKind::monitor, r.id, "monitor", s.target, op->interval_ms, t.actions[a].runnable);
          edge(a, m);
        }
      }
      // Where it stays, the monitors not running there or rescheduled.
      if (in_place && s.target == r.current) add_resumed_monitors(ri, r.current);
      summarize(static_cast<int>(ri), planned_node, lines_of[ri]);
    }
    // Resource lines follow data_set->resources: top-level resources in
    // allocation (priority) order, a group's members in group order.
    for (int top : summary_order(ws)) {
      const SRsc& r = ws.rscs[top];
      for (int m : r.is_group ? r.children : std::vector<int>{top})
        t.summary.insert(t.summary.end(), lines_of[m].begin(), lines_of[m].end());
    }
    add_group_actions(start_of, stops_of);
    add_clone_actions(ws, t, start_of, stops_of);
    add_order_edges(start_of, stops_of);
  }

  // A managed primitive's Transition Summary lines (rsc_action_default,
  // without roles). A Stop line gives the stop's own reason if it has one,
  // else the start's; it is blocked when the stop cannot run.
  void summarize(int ri, int final_node, std::vector<SummaryItem>& out) const {
    const SRsc& r = ws.rscs[ri];
    const RState& s = d.st[ri];
    auto name = [&](int n) { return ws.nodes[n].uname; };
    if (r.running_on.empty()) {
      if (s.target >= 0) out.push_back({"Start", r.id, "", name(s.target), s.block_reason, s.start_blocked});
      return;
    }
    const std::string& stop_reason = !s.stop_reason.empty() ? s.stop_reason : s.block_reason;
    if (final_node < 0) {
      for (int n : r.running_on) out.push_back({"Stop", r.id, name(n), "", stop_reason, s.stop_blocked});
      return;
    }
    // rsc_action_default: the line is about the node Pacemaker reports the
    // resource on; a recovery or restart in place names that node only, even
    // when the resource is (multiply) active elsewhere too.
    int cur = r.current;
    // A stop that cannot run (ordering, blocked group member, unclean node
    // without fencing) keeps it where it is: shown as a blocked stop, with
    // the reason of its start if that was unrunnable too.
    if (s.stop_blocked || (s.stop_unrunnable && final_node == cur)) {
      out.push_back({"Stop", r.id, name(cur), "", stop_reason, true});
      return;
    }
    if (d.untouched(ri)) {
      // A reload is cancelled by any required stop, so only a resource left
      // in place shows it (pe_order_then_cancels_first).
      if (r.definition_reload) out.push_back({"Reload", r.id, name(cur), "", "", false});
      return;
    }
    if (final_node != cur) {
      out.push_back({r.failed ? "Recover" : "Move", r.id, name(cur), name(final_node), "", false});
    } else if (r.failed) {
      // The reason is the stop's: with stop_unexpected, the stop elsewhere.
      bool unexpected = r.multiply_active && r.multiple_active == "stop_unexpected";
      out.push_back({"Recover", r.id, name(cur), "", unexpected ? "being multiply active" : "", false});
    } else {
      out.push_back({"Restart", r.id, name(cur), "", s.restart_reason, false});
    }
  }

  // Unclean nodes in the order their fence actions are created: those unpack
  // asked to fence, in request order, then the rest (nodes never seen, with
  // startup-fencing) in node-name order (schedule_fencing_and_shutdowns).
  std::vector<int> fencing_order() const {
    std::vector<int> order;
    for (int n : ws.fence_requests)
      if (ws.nodes[n].unclean) order.push_back(n);
    std::vector<int> rest;
    for (size_t n = 0; n < ws.nodes.size(); ++n)
      if (ws.nodes[n].unclean && std::find(order.begin(), order.end(), static_cast<int>(n)) == order.end())
        rest.push_back(static_cast<int>(n));
    std::sort(rest.begin(), rest.end(),
              [&](int a, int b) { return node_name_less(ws.nodes[a].uname, ws.nodes[b].uname); });
    order.insert(order.end(), rest.begin(), rest.end());
    return order;
  }

  // Group pseudo actions: G_start_0 -> members in order -> G_running_0 and
  // G_stop_0 -> members in reverse -> G_stopped_0.
  void add_group_actions(const std::vector<int>& start_of, const std::vector<std::vector<int>>& stops_of) {
    for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
      const SRsc& g = ws.rscs[gi];
      if (!g.is_group) continue;
      bool any_start = false, any_stop = false;
      for (int c : g.children) {
        any_start = any_start || start_of[c] >= 0;
        any_stop = any_stop || !stops_of[c].empty();
      }
      if (any_stop) {
        int b = add_action(ActionKind::pseudo, g.id, "stop", -1);
        int e = add_action(ActionKind::pseudo, g.id, "stopped", -1);
        int prev = b;
        for (auto it = g.children.rbegin(); it != g.children.rend(); ++it) {
          for (int a : stops_of[*it]) {
            edge(prev, a);
            edge(a, e);
          }
          if (!stops_of[*it].empty()) prev = stops_of[*it].back();
        }
        if (any_start) edge(e, -1);
      }
      if (any_start) {
        int b = add_action(ActionKind::pseudo, g.id, "start", -1);
        int e = add_action(ActionKind::pseudo, g.id, "running", -1);
        int prev = b;
        for (int c : g.children) {
          if (start_of[c] < 0) continue;
          edge(prev, start_of[c]);
          edge(start_of[c], e);
          prev = start_of[c];
        }
      }
    }
  }

  void add_order_edges(const std::vector<int>& start_of, const std::vector<std::vector<int>>& stops_of) {
    auto acts = [&](int ri, const std::string& task) {
      std::vector<int> out;
      const SRsc& r = ws.rscs[ri];
      std::vector<int> members = r.is_group ? r.children : std::vector<int>{ri};
      for (int m : members) {
        if (task == "start" && start_of[m] >= 0) out.push_back(start_of[m]);
        if (task == "stop")
          for (int a : stops_of[m]) out.push_back(a);
      }
      return out;
    };
    for (const OrderConstraint* op : ws.order_list) {
      const OrderConstraint& o = *op;
      int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
      if (f < 0 || th < 0) continue;
      std::string then_action = order_then_task(o);
      for (int a : acts(f, o.first_action))
        for (int b : acts(th, then_action)) edge(a, b);
      auto inverse = [](const std::string& x) { return x == "start" ? std::string("stop") : x == "stop" ? std::string("start") : x; };
      if (order_symmetric(o))
        for (int a : acts(th, inverse(then_action)))
          for (int b : acts(f, inverse(o.first_action))) edge(a, b);
    }
    // Deterministic, duplicate-free edges.
    auto& e = t.edges;
    std::sort(e.begin(), e.end(), [](const OrderingEdge& x, const OrderingEdge& y) {
      return x.before != y.before ? x.before < y.before : x.after < y.after;
    });
    e.erase(std::unique(e.begin(), e.end(),
                        [](const OrderingEdge& x, const OrderingEdge& y) { return x.before == y.before && x.after == y.after; }),
            e.end());
    e.erase(std::remove_if(e.begin(), e.end(), [](const OrderingEdge& x) { return x.before < 0 || x.after < 0; }), e.end());
  }
};

}  // namespace

void build_transition(WorkingSet& ws, Transition& t) {
  Builder b{ws, t, {ws, {}}};
  b.build();
}

}  // namespace hactl::core::sched
