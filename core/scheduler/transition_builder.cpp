#include "core/scheduler/transition_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/scheduler/ordering.h"
#include "core/scheduler/restart_propagation.h"

namespace hactl::core::sched {
namespace {

struct RState {
  int target = -1;     // node index after blocking, -1 = stopped
  std::string block_reason;
  bool start_blocked = false;
  bool restart = false;  // stays where it is but must stop and start again
  bool stop_unrunnable = false;  // active on an unclean node that cannot be fenced
  std::string restart_reason;
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

  bool runs_in_place(int ri) const {
    const SRsc& r = ws.rscs[ri];
    return !r.failed && !r.multiply_active && r.current >= 0 && r.current == st[ri].target;
  }
  // Staying active where it is, with neither a stop nor a start.
  bool untouched(int ri) const { return runs_in_place(ri) && !st[ri].start_blocked && !st[ri].restart; }

  // multiple-active=stop_unexpected keeps the resource where it is assigned
  // and stops it only elsewhere (is_expected_node).
  bool expected_node(int ri, int n) const {
    const SRsc& r = ws.rscs[ri];
    return r.multiply_active && r.multiple_active == "stop_unexpected" && st[ri].target == n && !st[ri].start_blocked;
  }

  void propagate_restarts() {
    std::vector<PlannedActions> plan(ws.rscs.size());
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      const SRsc& r = ws.rscs[ri];
      if (r.is_group || !r.managed) continue;
      int i = static_cast<int>(ri);
      plan[ri].in_place = untouched(i);
      plan[ri].start_required = st[ri].target >= 0 && !st[ri].start_blocked && !plan[ri].in_place;
      plan[ri].stop_required = !r.running_on.empty() && !plan[ri].in_place;
    }
    auto restarts = sched::propagate_restarts(ws, std::move(plan));
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      if (!restarts[ri].restart) continue;
      st[ri].restart = true;
      st[ri].restart_reason = restarts[ri].reason;
    }
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
    // Quorum (update_resource_action_runnable): only starts of resources
    // that require quorum or fencing are affected; with suicide the nodes are
    // fenced instead.
    if (!ws.have_quorum && ws.no_quorum_policy != "ignore" && ws.no_quorum_policy != "suicide") {
      for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
        SRsc& r = ws.rscs[ri];
        if (r.is_group || !r.managed || !r.needs_quorum) continue;
        if (ws.no_quorum_policy == "freeze") {
          // Freeze only keeps inactive resources from starting: an active
          // one may still move or recover.
          if (r.running_on.empty() && st[ri].target >= 0) {
            st[ri].start_blocked = true;
            st[ri].block_reason = "quorum freeze";
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
    // A resource on an unclean node that cannot be fenced cannot be stopped
    // there, and so cannot start anywhere else either (the stop->start
    // restart ordering): it stays, its stop shown as blocked.
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      SRsc& r = ws.rscs[ri];
      if (r.is_group) continue;
      for (int n : r.running_on) {
        if (ws.nodes[n].unclean && !can_fence(ws, n)) {
          st[ri].stop_unrunnable = true;
          st[ri].target = n;  // the start's reason (no quorum, say) stays the line's reason
        }
      }
    }
    // Mandatory orderings: then cannot start unless first can (runnable_left).
    bool changed = true;
    for (int round = 0; changed && round < 1000; ++round) {
      changed = false;
      for (const auto& o : ws.cib->orders) {
        if (!o.sets.empty()) continue;
        if (order_kind(o) != OrderKind::mandatory) continue;
        std::string then_action = o.then_action.empty() ? o.first_action : o.then_action;
        if (o.first_action != "start" || then_action != "start") continue;
        int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
        if (f < 0 || th < 0) continue;
        if (start_runnable(f)) continue;
        auto before = st;
        block(th, "unrunnable " + o.first + " start");
        for (size_t i = 0; i < st.size(); ++i)
          if (st[i].start_blocked != before[i].start_blocked) changed = true;
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
    }
    block_stops_behind_blocked_members();
    propagate_restarts();
  }

  // A group member whose stop is required but cannot run (it is blocked
  // where it is active) keeps the earlier members from stopping as well: the
  // group's "later member stops first" ordering carries pe_order_restart
  // (handle_restart_ordering). They stay, their stop shown blocked.
  void block_stops_behind_blocked_members() {
    for (const auto& g : ws.rscs) {
      for (size_t i = g.children.size(); i-- > 1;) {
        int m = g.children[i], prev = g.children[i - 1];
        const SRsc& later = ws.rscs[m];
        bool stop_cannot_run = !later.running_on.empty() && (later.blocked || st[m].stop_unrunnable);
        const SRsc& p = ws.rscs[prev];
        if (!stop_cannot_run || !p.managed || p.current < 0 || untouched(prev)) continue;
        st[prev].stop_unrunnable = true;
        st[prev].start_blocked = false;
        st[prev].target = p.current;
        st[prev].block_reason = "unrunnable " + later.id + " stop";
      }
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
    // Fencing of unclean nodes comes first: of those this partition may
    // fence, and only while it has resources to manage (needs_fencing).
    bool have_managed = false;
    for (const auto& r : ws.rscs) have_managed = have_managed || r.managed;
    std::map<int, int> fence_of;
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      if (!ws.nodes[n].unclean || !have_managed || !can_fence(ws, static_cast<int>(n))) continue;
      int a = add_action(ActionKind::fence, "", "stonith", static_cast<int>(n), 0, true);
      fence_of[static_cast<int>(n)] = a;
      std::string reason = !ws.nodes[n].fence_reason.empty() ? ws.nodes[n].fence_reason
                           : ws.nodes[n].unseen              ? "node is unclean"
                                                             : "peer is no longer part of the cluster";
      t.summary.push_back({"Fence (reboot)", ws.nodes[n].uname, "", "", reason, false});
    }
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
      // stopped where it runs (the stop is still runnable).
      if (!r.managed) final_node = r.running_on.empty() ? -1 : r.running_on[0];
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
      bool in_place = untouched(static_cast<int>(ri));
      // Stops.
      for (int n : r.running_on) {
        if ((in_place && n == r.current) || expected_node(static_cast<int>(ri), n)) continue;
        bool fenceable = can_fence(ws, n);
        bool implied = ws.nodes[n].unclean && fenceable;
        int a = add_action(implied ? ActionKind::pseudo : ActionKind::stop, r.id, "stop", implied ? -1 : n, 0,
                           !ws.nodes[n].unclean || fenceable);
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
        bool keeps_running = expected_node(static_cast<int>(ri), s.target);
        int a = add_action(keeps_running ? ActionKind::pseudo : ActionKind::start, r.id, "start", s.target, 0,
                           !s.start_blocked);
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
      summarize(static_cast<int>(ri), final_node);
    }
    add_group_actions(start_of, stops_of);
    add_order_edges(start_of, stops_of);
  }

  void summarize(int ri, int final_node) {
    SRsc& r = ws.rscs[ri];
    RState& s = st[ri];
    auto name = [&](int n) { return ws.nodes[n].uname; };
    if (r.running_on.empty()) {
      if (s.target >= 0) t.summary.push_back({"Start", r.id, "", name(s.target), s.block_reason, s.start_blocked});
      return;
    }
    if (final_node < 0) {
      for (int n : r.running_on) t.summary.push_back({"Stop", r.id, name(n), "", s.block_reason, false});
      return;
    }
    // rsc_action_default: the line is about the node Pacemaker reports the
    // resource on; a recovery or restart in place names that node only, even
    // when the resource is (multiply) active elsewhere too.
    int cur = r.current;
    if (s.stop_unrunnable && final_node == cur) {
      // Its stop cannot run (unclean node, no fencing): blocked, with the
      // reason of its start if that was unrunnable too.
      t.summary.push_back({"Stop", r.id, name(cur), "", s.block_reason, true});
      return;
    }
    if (untouched(ri)) return;
    if (final_node != cur) {
      t.summary.push_back({r.failed ? "Recover" : "Move", r.id, name(cur), name(final_node), "", false});
    } else if (r.failed) {
      // The reason is the stop's: with stop_unexpected, the stop elsewhere.
      bool unexpected = r.multiply_active && r.multiple_active == "stop_unexpected";
      t.summary.push_back({"Recover", r.id, name(cur), "", unexpected ? "being multiply active" : "", false});
    } else {
      t.summary.push_back({"Restart", r.id, name(cur), "", s.restart_reason, false});
    }
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
