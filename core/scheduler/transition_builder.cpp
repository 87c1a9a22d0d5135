#include "core/scheduler/transition_builder.h"

#include <algorithm>
#include <map>
#include <set>

namespace hactl::core::sched {
namespace {

// Moments of Pacemaker's pass over its actions (pcmk__apply_orderings), for
// following when each start became unrunnable: kAtCreation is before the pass,
// a start's own moment is -(its creation index) because the action list is
// built by prepending, kNever means runnable.
constexpr long kAtCreation = -(1L << 40), kNever = 1L << 40;

struct RState {
  int target = -1;     // node index after blocking, -1 = stopped
  std::string block_reason;
  bool start_blocked = false;
  long blocked_at = kNever;        // when its start became unrunnable
  bool block_propagates = false;   // its 'then' starts were re-examined at that moment
};

// When an unrunnable 'first' start reaches a 'then' start examined at
// `then_at`. A start made unrunnable by an ordering makes Pacemaker re-examine
// its 'then' actions at once (pcmk__update_action_for_orderings); one made
// unrunnable at creation or by a colocation (mark_action_blocked) does not,
// so its 'then' starts notice only if the pass reaches them afterwards.
long ordering_block_time(const RState& first, long then_at) {
  if (first.blocked_at == kNever) return kNever;
  if (first.block_propagates) return first.blocked_at;
  return then_at > first.blocked_at ? then_at : kNever;
}

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

  // Whether an unrunnable start of `ri` blocks the dependents of its mandatory
  // colocations (pcmk__block_colocation_dependents). Pacemaker looks at the
  // top-level resource's colocations only: those naming a group member as
  // the primary are never consulted, so their dependents still start. A group
  // blocks its dependents only when every member has a start and none of
  // them is runnable (a member that stays where it runs, or is not placed,
  // has no start action and so counts as able to start).
  bool start_blocks_dependents(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (r.parent >= 0) return false;
    if (!r.is_group) return st[ri].start_blocked;
    if (r.children.empty()) return false;
    for (int c : r.children)
      if (!st[c].start_blocked) return false;
    return true;
  }

  bool runs_in_place(int ri) const {
    const SRsc& r = ws.rscs[ri];
    return !r.failed && r.running_on.size() == 1 && r.running_on[0] == st[ri].target;
  }

  // Makes ri's start (a group's: every member's) unrunnable from moment `at`,
  // if that is earlier than known so far; true if anything changed.
  bool block(int ri, const std::string& reason, long at = kAtCreation, bool propagates = false) {
    SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      bool changed = false;
      for (int c : r.children) changed = block(c, reason, at, propagates) || changed;
      return changed;
    }
    // Even a resource running in place stops: its start is implied by the
    // required (but unrunnable) start of the first resource.
    if (!r.managed || st[ri].target < 0 || at == kNever || at >= st[ri].blocked_at) return false;
    if (!st[ri].start_blocked) st[ri].block_reason = reason;
    st[ri].start_blocked = true;
    st[ri].blocked_at = at;
    st[ri].block_propagates = propagates;
    return true;
  }

  // Creation order of the start actions: top-level resources in allocation
  // order, a group's members before the group's own pseudo-actions.
  std::vector<long> start_moments() const {
    std::vector<long> at(ws.rscs.size(), 0);
    long created = 0;
    for (int top : ws.top) {
      for (int c : ws.rscs[top].children) at[c] = -(created++);
      at[top] = -(created++);
    }
    return at;
  }

  // As a 'first', when ri's start (a group's: "running") became unrunnable.
  RState first_state(int ri, const std::vector<long>& at) const {
    const SRsc& r = ws.rscs[ri];
    RState s;
    if (!r.is_group) {
      if (st[ri].target < 0) {
        // No start: the ordering creates an unrunnable one (rsc_order_first),
        // last, so the pass examines it first. If the resource is running,
        // its required stop changes that start then, and its 'then' starts
        // are re-examined at once.
        s.blocked_at = kAtCreation;
        s.block_propagates = !r.running_on.empty();
      } else if (st[ri].start_blocked) {
        s = st[ri];
      }
      return s;
    }
    // The group's "running" pseudo-action needs every member's start.
    if (r.children.empty()) s.blocked_at = kAtCreation;
    for (int c : r.children) s.blocked_at = std::min(s.blocked_at, ordering_block_time(first_state(c, at), at[ri]));
    s.block_propagates = true;
    return s;
  }

  // When ri's unrunnable start blocks its colocation dependents
  // (start_blocks_dependents): a group's once its last member is blocked.
  long dependents_blocked_at(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (!r.is_group) return st[ri].blocked_at;
    long latest = kAtCreation;
    for (int c : r.children) latest = std::max(latest, st[c].blocked_at);
    return latest;
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
            if (!r.running_on.empty() && !r.failed) {
              st[ri].target = r.running_on[0];
            } else if (st[ri].target >= 0) {
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
    // A resource on an unclean node that cannot be fenced cannot be stopped.
    bool can_fence = ws.stonith_enabled && ws.have_stonith_resource;
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      SRsc& r = ws.rscs[ri];
      if (r.is_group) continue;
      for (int n : r.running_on) {
        if (ws.nodes[n].unclean && !can_fence) {
          if (st[ri].target != n) {
            st[ri].target = n;
            st[ri].block_reason = "node unclean";
          }
        }
      }
    }
    for (auto& s : st)
      if (s.start_blocked) s.blocked_at = kAtCreation;
    // Mandatory orderings: then cannot start unless first can (runnable_left),
    // colocation dependents cannot start where their primary cannot, and
    // group members follow the previous member. Pacemaker applies these in
    // one pass over its actions, so whether a start made unrunnable by a
    // colocation still blocks the 'then' of its orderings depends on the
    // order of that pass (see ordering_block_time); block times only ever
    // decrease, so this converges.
    const std::vector<long> at = start_moments();
    bool changed = true;
    for (int round = 0; changed && round < 1000; ++round) {
      changed = false;
      for (const OrderConstraint* order : ws.orders) {
        const OrderConstraint& o = *order;
        std::string kind = o.kind;
        if (o.score && o.attrs.count("kind") == 0) kind = *o.score == 0 ? "Optional" : "Mandatory";
        if (kind != "Mandatory") continue;
        std::string then_action = o.then_action.empty() ? o.first_action : o.then_action;
        if (o.first_action != "start" || then_action != "start") continue;
        int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
        if (f < 0 || th < 0) continue;
        long when = ordering_block_time(first_state(f, at), at[th]);
        changed = block(th, "unrunnable " + o.first + " start", when, true) || changed;
      }
      // A mandatory colocation's dependent cannot start where its primary
      // will not (pcmk__block_colocation_dependents, via mark_action_blocked).
      for (const auto& c : ws.colocs) {
        if (c.score < kInfinity || c.id == "group:internal_colocation") continue;
        if (!start_blocks_dependents(c.primary)) continue;
        changed = block(c.dependent, "colocation with " + ws.rscs[c.primary].id, dependents_blocked_at(c.primary)) ||
                  changed;
      }
      // Group members: a member cannot start if the previous one cannot.
      for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
        const auto& ch = ws.rscs[gi].children;
        for (size_t i = 1; i < ch.size(); ++i) {
          long when = ordering_block_time(first_state(ch[i - 1], at), at[ch[i]]);
          changed = block(ch[i], "unrunnable " + ws.rscs[ch[i - 1]].id + " start", when, true) || changed;
        }
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
    const bool can_fence = ws.stonith_enabled && ws.have_stonith_resource;
    // Fencing of unclean nodes comes first.
    std::map<int, int> fence_of;
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      if (!ws.nodes[n].unclean || !ws.stonith_enabled) continue;
      int a = add_action(ActionKind::fence, "", "stonith", static_cast<int>(n), 0, can_fence);
      fence_of[static_cast<int>(n)] = a;
      std::string reason = !ws.nodes[n].fence_reason.empty() ? ws.nodes[n].fence_reason
                           : ws.nodes[n].unseen              ? "node is unclean"
                                                             : "peer is no longer part of the cluster";
      t.summary.push_back({"Fence (reboot)", ws.nodes[n].uname, "", "", reason, !can_fence});
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
      bool in_place = runs_in_place(static_cast<int>(ri)) && !s.start_blocked;
      bool multiple = r.running_on.size() > 1;
      // Stops.
      for (int n : r.running_on) {
        if (in_place) break;
        if (final_node == n && !r.failed && !multiple) continue;
        bool implied = ws.nodes[n].unclean && can_fence;
        int a = add_action(implied ? ActionKind::pseudo : ActionKind::stop, r.id, "stop", implied ? -1 : n, 0,
                           !ws.nodes[n].unclean || can_fence);
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
    int cur = r.running_on[0];
    if (r.running_on.size() > 1) {
      if (final_node < 0) {
        for (int n : r.running_on) t.summary.push_back({"Stop", r.id, name(n), "", s.block_reason, false});
      } else {
        t.summary.push_back({"Recover", r.id, name(cur), name(final_node), "", false});
      }
      return;
    }
    if (final_node < 0) {
      t.summary.push_back({"Stop", r.id, name(cur), "", s.block_reason, false});
    } else if (r.failed) {
      t.summary.push_back({"Recover", r.id, name(cur), final_node == cur ? "" : name(final_node), "", false});
    } else if (final_node != cur) {
      t.summary.push_back({"Move", r.id, name(cur), name(final_node), "", false});
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
