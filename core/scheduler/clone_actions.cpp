// A clone's pseudo actions and orderings (pcmk_sched_clone.c
// clone_create_pseudo_actions and clone_internal_constraints of Pacemaker
// 2.1.5): CLONE_start_0 before every instance start, which all precede
// CLONE_running_0; CLONE_stop_0 before every instance stop, which precede
// CLONE_stopped_0, itself before CLONE_start_0. User orderings naming a clone
// use these pseudo actions (a "first" clone is done at running/stopped).
#include <algorithm>
#include <array>

#include "core/scheduler/clone_actions.h"
#include "core/scheduler/ordering.h"
#include "core/scheduler/promotable.h"

namespace hactl::core::sched {
namespace {

struct CloneActions {
  const WorkingSet& ws;
  Transition& t;
  const std::vector<int>& start_of;
  const std::vector<std::vector<int>>& stops_of;
  // Per clone: start, running, stop, stopped (-1 when not needed).
  std::vector<std::array<int, 4>> pseudo;
  std::vector<ClonePseudo> roles;  // promotable clones' promote/demote pseudo actions

  int add(const std::string& rsc, const std::string& task) {
    Action a;
    a.id = static_cast<int>(t.actions.size());
    a.kind = ActionKind::pseudo;
    a.rsc = rsc;
    a.task = task;
    t.actions.push_back(std::move(a));
    return t.actions.back().id;
  }
  void edge(int a, int b) {
    if (a >= 0 && b >= 0) t.edges.push_back({a, b});
  }

  void build() {
    pseudo.assign(ws.clones.size(), {-1, -1, -1, -1});
    roles.assign(ws.clones.size(), {});
    for (size_t ci = 0; ci < ws.clones.size(); ++ci) {
      const SClone& c = ws.clones[ci];
      bool any_start = false, any_stop = false;
      for (int ri : c.instances) {
        any_start = any_start || start_of[ri] >= 0;
        any_stop = any_stop || !stops_of[ri].empty();
      }
      auto& p = pseudo[ci];
      if (any_stop) {
        p[2] = add(c.id, "stop");
        p[3] = add(c.id, "stopped");
      }
      if (any_start) {
        p[0] = add(c.id, "start");
        p[1] = add(c.id, "running");
      }
      int prev_start = -1, prev_stop = -1;
      for (int ri : c.instances) {
        for (int s : stops_of[ri]) {
          edge(p[2], s);
          edge(s, p[3]);
          if (c.ordered) edge(s, prev_stop);  // ordered: stops in reverse instance order
          prev_stop = s;
        }
        if (start_of[ri] >= 0) {
          edge(p[0], start_of[ri]);
          edge(start_of[ri], p[1]);
          if (c.ordered) edge(prev_start, start_of[ri]);
          prev_start = start_of[ri];
        }
      }
      edge(p[3], p[0]);
      if (c.promotable) {
        ClonePseudo& cp = roles[ci];
        cp.start = p[0], cp.running = p[1], cp.stop = p[2], cp.stopped = p[3];
        add_promotable_actions(ws, t, static_cast<int>(ci), start_of, stops_of, cp);
      }
    }
  }

  // The actions an ordering's side stands for: a clone's pseudo action, or a
  // primitive's (or group member's) own start/stop.
  std::vector<int> side(const std::string& id, const std::string& task, bool first) const {
    if (int ci = ws.find_clone(id); ci >= 0) {
      const auto& p = pseudo[ci];
      const auto& r = roles[ci];
      int a = task == "start" ? p[first ? 1 : 0] : task == "stop" ? p[first ? 3 : 2] : -1;
      if (task == "promote") a = first ? r.promoted : r.promote;
      if (task == "demote") a = first ? r.demoted : r.demote;
      return a >= 0 ? std::vector<int>{a} : std::vector<int>{};
    }
    std::vector<int> out;
    int ri = ws.find_rsc(id);
    if (ri < 0) return out;
    const SRsc& r = ws.rscs[ri];
    for (int m : r.is_group ? r.children : std::vector<int>{ri}) {
      if (task == "start" && start_of[m] >= 0) out.push_back(start_of[m]);
      if (task == "stop") out.insert(out.end(), stops_of[m].begin(), stops_of[m].end());
    }
    return out;
  }

  void user_orderings() {
    auto inverse = [](const std::string& x) {
      if (x == "promote") return std::string("demote");
      if (x == "demote") return std::string("promote");
      return x == "start" ? std::string("stop") : x == "stop" ? std::string("start") : x;
    };
    for (const auto& o : ws.cib->orders) {
      if (!o.sets.empty() || (ws.find_clone(o.first) < 0 && ws.find_clone(o.then) < 0)) continue;
      const std::string then_action = order_then_task(o);
      for (int a : side(o.first, o.first_action, true))
        for (int b : side(o.then, then_action, false)) edge(a, b);
      if (order_symmetric(o))
        for (int a : side(o.then, inverse(then_action), true))
          for (int b : side(o.first, inverse(o.first_action), false)) edge(a, b);
    }
  }
};

}  // namespace

void add_clone_actions(const WorkingSet& ws, Transition& t, const std::vector<int>& start_of,
                       const std::vector<std::vector<int>>& stops_of) {
  if (ws.clones.empty()) return;
  CloneActions ca{ws, t, start_of, stops_of, {}, {}};
  ca.build();
  ca.user_orderings();
  // An anonymous instance's actions act on the clone's history entry on
  // that node (under the bare id or an instance id), else on the bare id.
  for (auto& a : t.actions) {
    int ri = a.kind == ActionKind::pseudo || a.rsc.find(':') == std::string::npos ? -1 : ws.find_rsc(a.rsc);
    if (ri < 0 || ws.rscs[ri].clone < 0) continue;
    const SRsc& r = ws.rscs[ri];
    if (ws.clones[r.clone].unique) continue;
    a.history_rsc = r.prim->id;
    const int ni = ws.find_node(a.node);
    if (ni < 0 || ws.nodes[ni].state == nullptr) continue;
    bool exact = false;
    for (const auto& lr : ws.nodes[ni].state->resources) {
      if (std::string_view(lr.id).substr(0, lr.id.find(':')) != r.prim->id || exact) continue;
      exact = lr.id == r.history_name;
      a.history_rsc = lr.id;
    }
  }
}

std::vector<int> summary_order(const WorkingSet& ws) {
  // Scheduling probes (clone_create_probe) puts the instances back in
  // instance-number order; without any, they stay in assignment order.
  bool probed = is_true(ws.cib->property("enable-startup-probes", "true")) &&
                std::any_of(ws.nodes.begin(), ws.nodes.end(), [](const SNode& n) { return n.online && !n.unclean; });
  std::vector<int> out;
  std::vector<char> done(ws.clones.size(), 0);
  for (int ri : ws.top) {
    const int ci = ws.rscs[ri].clone;
    if (ci < 0) {
      out.push_back(ri);
    } else if (!done[ci]) {
      done[ci] = 1;
      const SClone& c = ws.clones[ci];
      const auto& order = c.order.empty() || probed ? c.instances : c.order;
      out.insert(out.end(), order.begin(), order.end());
    }
  }
  return out;
}

}  // namespace hactl::core::sched
