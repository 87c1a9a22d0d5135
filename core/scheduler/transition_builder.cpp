#include "core/scheduler/transition_builder.h"

#include <algorithm>
#include <map>
#include <set>

namespace hactl::core::sched {
namespace {

struct RState {
  int target = -1;     // node index after blocking, -1 = stopped
  std::string block_reason;  // why its start cannot run ("due to ..." in the summary)
  bool start_blocked = false;
  std::string stop_reason;   // its stops' own reason, which the summary prefers
  bool stop_blocked = false;  // its stops cannot run: it stays where it is
};

struct Builder {
  WorkingSet& ws;
  Transition& t;
  std::vector<RState> st;
  std::map<std::string, int> by_key;  // action key + node -> action id

  bool start_runnable(int ri) const {  // would X's start be runnable?
    const SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      for (int c : r.children)
        if (!start_runnable(c)) return false;
      return !r.children.empty();
    }
    return st[ri].target >= 0 && !st[ri].start_blocked;
  }

  // Whether X's start is runnable as the first action of an ordering. A
  // resource left alone after a failure (blocked) gets no start action of
  // its own; the one the ordering creates has no node and cannot run. It
  // was never runnable, so colocations do not see it change (unlike
  // pcmk__block_colocation_dependents after an ordering update).
  bool ordered_start_runnable(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      for (int c : r.children)
        if (!ordered_start_runnable(c)) return false;
      return !r.children.empty();
    }
    if (!r.managed && stop_unrunnable(ri)) return false;
    return start_runnable(ri);
  }

  bool runs_in_place(int ri) const {
    const SRsc& r = ws.rscs[ri];
    return !r.failed && r.running_on.size() == 1 && r.running_on[0] == st[ri].target;
  }

  // Whether the resource has a stop it must do (moving, stopping, recovering).
  bool stop_needed(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (r.is_group || !r.managed || r.running_on.empty()) return false;
    return !(runs_in_place(ri) && !st[ri].start_blocked);
  }

  // A stop that cannot run: an unmanaged resource left alone after a failure
  // (on-fail=block, failed stop) never stops; others as decided below.
  bool stop_unrunnable(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (!r.managed) return (r.blocked || r.failed) && !r.running_on.empty();
    return st[ri].stop_blocked;
  }

  // The resource cannot be stopped: its start elsewhere, ordered after the
  // stop, cannot run either (handle_restart_ordering; no reason, as the two
  // actions belong to the same resource). The first reason given stays.
  void block_stop(int ri, const std::string& reason) {
    RState& s = st[ri];
    s.stop_blocked = true;
    if (s.stop_reason.empty()) s.stop_reason = reason;
    if (s.target >= 0) s.start_blocked = true;
  }

  // Starts blocked for reasons outside the orderings and colocations.
  void block_unrunnable_starts() {
    // A resource on an unclean node that cannot be fenced cannot be stopped.
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      for (int n : ws.rscs[ri].running_on)
        if (ws.nodes[n].unclean && !ws.can_fence(n) && stop_needed(static_cast<int>(ri)))
          block_stop(static_cast<int>(ri), "");
    }
    // A probe on a pending node cannot run, and an inactive resource may not
    // start before it is probed everywhere (pcmk__probe_rsc_on_node orders
    // the start after the probe with pe_order_runnable_left).
    if (!is_true(ws.cib->property("enable-startup-probes", "true"))) return;
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      const SRsc& r = ws.rscs[ri];
      if (r.is_group || !r.managed || !r.running_on.empty() || st[ri].target < 0) continue;
      for (size_t n = 0; n < ws.nodes.size(); ++n) {
        const SNode& node = ws.nodes[n];
        if (node.online && !node.unclean && node.pending && !has_history(static_cast<int>(ri), static_cast<int>(n)))
          st[ri].start_blocked = true;
      }
    }
  }

  // Stops made unrunnable by an ordering whose first action is an unrunnable
  // stop: the later group member's stop before the earlier's (restart
  // ordering: "unrunnable X stop"), and a mandatory stop-then-stop ordering
  // or the inverse of a start-then-start one after a blocked unmanaged
  // resource (pcmk__update_action_for_orderings: no reason).
  void block_ordered_stops() {
    for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
      const auto& ch = ws.rscs[gi].children;
      for (size_t i = ch.size(); i-- > 1;) {
        int x = ch[i], y = ch[i - 1];
        if (stop_unrunnable(x) && stop_needed(y) && !st[y].stop_blocked)
          block_stop(y, "unrunnable " + ws.rscs[x].id + " stop");
      }
    }
    for (const auto& o : ws.cib->orders) {
      if (!o.sets.empty() || order_kind(o) != "Mandatory" || !o.symmetrical.value_or(true)) continue;
      std::string then_action = o.then_action.empty() ? o.first_action : o.then_action;
      int x = -1, y = -1;
      if (o.first_action == "stop" && then_action == "stop") {
        x = ws.find_rsc(o.first), y = ws.find_rsc(o.then);
      } else if (o.first_action == "start" && then_action == "start") {
        x = ws.find_rsc(o.then), y = ws.find_rsc(o.first);
      }
      if (x < 0 || y < 0) continue;
      const SRsc& rx = ws.rscs[x];
      if (!rx.managed && rx.blocked && !rx.running_on.empty() && stop_needed(y) && !st[y].stop_blocked)
        block_stop(y, "");
    }
  }

  static std::string order_kind(const OrderConstraint& o) {
    if (o.score && o.attrs.count("kind") == 0) return *o.score == 0 ? "Optional" : "Mandatory";
    return o.kind;
  }

  // Whether "then" of an asymmetrical ordering is already active where it
  // will stay: such an ordering changes nothing (handle_asymmetric_ordering).
  bool started_in_place(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      for (int c : r.children)
        if (!started_in_place(c)) return false;
      return !r.children.empty();
    }
    return runs_in_place(ri) && !st[ri].start_blocked;
  }

  void block(int ri, const std::string& reason) {
    SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      for (int c : r.children) block(c, reason);
      return;
    }
    // Even a resource running in place stops: its start is implied by the
    // required (but unrunnable) start of the first resource.
    if (!r.managed || st[ri].start_blocked || st[ri].target < 0) return;
    st[ri].start_blocked = true;
    st[ri].block_reason = reason;
  }

  void decide() {
    st.assign(ws.rscs.size(), {});
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) st[ri].target = ws.rscs[ri].allocated;
    // Quorum.
    if (!ws.have_quorum && ws.no_quorum_policy != "ignore") {
      for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
        SRsc& r = ws.rscs[ri];
        if (r.is_group || !r.managed) continue;
        if (ws.no_quorum_policy == "freeze") {
          if (!runs_in_place(static_cast<int>(ri))) {
            // Freeze blocks only the start of an inactive resource
            // (update_resource_action_runnable); one on an unclean node is
            // held by its stop there instead.
            if (!r.running_on.empty() && !r.failed && !ws.nodes[r.running_on[0]].unclean) {
              st[ri].target = r.running_on[0];
            } else if (st[ri].target >= 0 && r.running_on.empty()) {
              st[ri].start_blocked = true;
              st[ri].block_reason = "quorum freeze";
            }
          }
        } else {
          if (r.running_on.empty() && st[ri].target >= 0) {
            st[ri].start_blocked = true;
          } else {
            st[ri].target = -1;
          }
          st[ri].block_reason = "no quorum";
        }
      }
    }
    // A stop where the resource is not assigned anywhere is "due to node
    // availability" (stop_resource).
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
      if (ws.rscs[ri].allocated < 0) st[ri].stop_reason = "node availability";
    block_unrunnable_starts();
    // Mandatory orderings: then cannot start unless first can (runnable_left).
    bool changed = true;
    for (int round = 0; changed && round < 1000; ++round) {
      changed = false;
      const auto at_round_start = st;
      for (const auto& o : ws.cib->orders) {
        if (!o.sets.empty()) continue;
        if (order_kind(o) != "Mandatory") continue;
        std::string then_action = o.then_action.empty() ? o.first_action : o.then_action;
        if (o.first_action != "start" || then_action != "start") continue;
        int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
        if (f < 0 || th < 0) continue;
        if (ordered_start_runnable(f)) continue;
        if (!o.symmetrical.value_or(true) && started_in_place(th)) continue;
        // A group's start is complete at its "running" pseudo-action, which is
        // what the ordering waits for (and names in the reason).
        block(th, "unrunnable " + o.first + (ws.rscs[f].is_group ? " running" : " start"));
      }
      // A mandatory colocation's dependent cannot start where its primary
      // will not (pcmk__block_colocation_dependents).
      for (const auto& c : ws.colocs) {
        if (c.score < kInfinity || c.id == "group:internal_colocation") continue;
        if (st[c.primary].target < 0 && !ws.rscs[c.primary].is_group) continue;
        if (start_runnable(c.primary)) continue;
        bool was = start_runnable(c.dependent);
        block(c.dependent, "colocation with " + ws.rscs[c.primary].id);
        if (was != start_runnable(c.dependent)) changed = true;
      }
      // Group members: a member cannot start if the previous one cannot.
      for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
        const auto& ch = ws.rscs[gi].children;
        for (size_t i = 1; i < ch.size(); ++i) {
          if (!start_runnable(ch[i - 1]) && !st[ch[i]].start_blocked && st[ch[i]].target >= 0) {
            block(ch[i], "unrunnable " + ws.rscs[ch[i - 1]].id + " start");
            changed = changed || st[ch[i]].start_blocked;
          }
        }
      }
      block_ordered_stops();
      for (size_t i = 0; i < st.size(); ++i)
        if (st[i].start_blocked != at_round_start[i].start_blocked ||
            st[i].stop_blocked != at_round_start[i].stop_blocked)
          changed = true;
    }
  }

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
    by_key[a.key() + "@" + a.node] = a.id;
    t.actions.push_back(a);
    return a.id;
  }
  void edge(int a, int b) {
    if (a >= 0 && b >= 0) t.edges.push_back({a, b});
  }
  int find(const std::string& key, const std::string& node) const {
    auto it = by_key.find(key + "@" + node);
    return it == by_key.end() ? -1 : it->second;
  }

  bool has_history(int ri, int n) const {
    const NodeState* s = ws.cib->find_node_state(ws.nodes[n].uname);
    if (s == nullptr) return false;
    for (const auto& lr : s->resources)
      if (lr.id == ws.rscs[ri].id) return true;
    return false;
  }

  void build() {
    decide();
    const bool probes = is_true(ws.cib->property("enable-startup-probes", "true"));
    // Fencing of unclean nodes comes first.
    std::map<int, int> fence_of;
    std::vector<SummaryItem> fence_lines;
    for (int n : fencing_order()) {
      if (!ws.stonith_enabled) break;
      bool can_fence = ws.can_fence(n);
      int a = add_action(ActionKind::fence, "", "stonith", n, 0, can_fence);
      fence_of[n] = a;
      // A node that cannot be fenced keeps an optional fence action, which
      // the summary does not show.
      // Nodes unpack did not ask to fence (never seen) get schedule_fencing's reason.
      const std::string& why = ws.nodes[n].fence_reason;
      if (can_fence)
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
      if (r.is_group) continue;
      RState& s = st[ri];
      ResourcePlacement p;
      p.rsc = r.id;
      for (int n : r.running_on) p.current.push_back(ws.nodes[n].uname);
      p.managed = r.managed;
      p.failed = r.failed;
      p.blocked = r.blocked;
      int final_node = s.start_blocked ? -1 : s.target;
      // A blocked start of a resource that would otherwise stay or move: it is
      // stopped where it runs (the stop is still runnable, unless blocked too).
      if (!r.managed || s.stop_blocked) final_node = r.running_on.empty() ? -1 : r.running_on[0];
      if (final_node >= 0) p.target = ws.nodes[final_node].uname;
      t.placement.push_back(p);
      if (!r.managed) continue;

      // Probes wherever the state is unknown.
      std::vector<int> probe_ids;
      if (probes) {
        for (size_t n = 0; n < ws.nodes.size(); ++n) {
          if (!ws.nodes[n].online || ws.nodes[n].unclean || has_history(static_cast<int>(ri), static_cast<int>(n))) continue;
          probe_ids.push_back(add_action(ActionKind::probe, r.id, "monitor", static_cast<int>(n)));
        }
      }
      bool in_place = runs_in_place(static_cast<int>(ri)) && !s.start_blocked;
      bool multiple = r.running_on.size() > 1;
      // Stops.
      for (int n : r.running_on) {
        if (in_place) break;
        if (final_node == n && !r.failed && !multiple && !s.stop_blocked) continue;
        bool implied = ws.nodes[n].unclean && ws.can_fence(n);
        int a = add_action(implied ? ActionKind::pseudo : ActionKind::stop, r.id, "stop", implied ? -1 : n, 0,
                           !s.stop_blocked);
        t.actions[a].reason = s.stop_reason;
        if (implied) t.actions[a].node = ws.nodes[n].uname;
        if (auto f = fence_of.find(n); f != fence_of.end()) edge(f->second, a);
        stops_of[ri].push_back(a);
        stop_last[ri] = a;
      }
      // Start and recurring monitors.
      bool need_start = s.target >= 0 && !in_place;
      if (need_start) {
        int a = add_action(ActionKind::start, r.id, "start", s.target, 0, !s.start_blocked);
        t.actions[a].reason = s.block_reason;
        start_of[ri] = a;
        for (int p2 : probe_ids) edge(p2, a);
        for (int sp : stops_of[ri]) edge(sp, a);
        for (const auto& [n, f] : fence_of) edge(f, a);
        for (const auto& op : r.prim->ops) {
          if (op.name != "monitor" || op.interval_ms <= 0 || !op.enabled) continue;
          if (!op.role.empty() && op.role != "Started") continue;
          int m = add_action(ActionKind::monitor, r.id, "monitor", s.target, op.interval_ms, !s.start_blocked);
          edge(a, m);
        }
      }
      summarize(static_cast<int>(ri), lines_of[ri]);
    }
    // Resource lines follow data_set->resources: top-level resources in
    // allocation (priority) order, a group's members in group order.
    for (int top : ws.top) {
      const SRsc& r = ws.rscs[top];
      for (int m : r.is_group ? r.children : std::vector<int>{top})
        t.summary.insert(t.summary.end(), lines_of[m].begin(), lines_of[m].end());
    }
    add_group_actions(start_of, stops_of);
    add_order_edges(start_of, stops_of);
  }

  // A managed primitive's Transition Summary lines (rsc_action_default,
  // without roles). A Stop line gives the stop's own reason if it has one,
  // else the start's; it is blocked when the stop cannot run.
  void summarize(int ri, std::vector<SummaryItem>& out) const {
    const SRsc& r = ws.rscs[ri];
    const RState& s = st[ri];
    auto name = [&](int n) { return ws.nodes[n].uname; };
    if (r.running_on.empty()) {
      if (s.target >= 0) out.push_back({"Start", r.id, "", name(s.target), s.block_reason, s.start_blocked});
      return;
    }
    const int next = s.start_blocked ? -1 : s.target;  // where it would run, stops permitting
    const std::string& stop_reason = !s.stop_reason.empty() ? s.stop_reason : s.block_reason;
    int cur = r.running_on[0];
    if (r.running_on.size() > 1) {
      if (next < 0) {
        for (int n : r.running_on) out.push_back({"Stop", r.id, name(n), "", stop_reason, s.stop_blocked});
      } else {
        out.push_back({"Recover", r.id, name(cur), name(next), "", false});
      }
      return;
    }
    if (next < 0) {
      out.push_back({"Stop", r.id, name(cur), "", stop_reason, s.stop_blocked});
    } else if (r.failed) {
      out.push_back({"Recover", r.id, name(cur), next == cur ? "" : name(next), "", false});
    } else if (next != cur) {
      out.push_back({"Move", r.id, name(cur), name(next), "", false});
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
    for (const auto& o : ws.cib->orders) {
      int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
      if (f < 0 || th < 0 || !o.sets.empty()) continue;
      std::string then_action = o.then_action.empty() ? o.first_action : o.then_action;
      for (int a : acts(f, o.first_action))
        for (int b : acts(th, then_action)) edge(a, b);
      bool symmetrical = o.symmetrical.value_or(o.kind != "Serialize");
      auto inverse = [](const std::string& x) { return x == "start" ? std::string("stop") : x == "stop" ? std::string("start") : x; };
      if (symmetrical && o.kind != "Serialize")
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
  Builder b{ws, t, {}, {}};
  b.build();
}

}  // namespace hactl::core::sched
