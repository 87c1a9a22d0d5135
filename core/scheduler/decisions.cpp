#include "core/scheduler/decisions.h"

#include <algorithm>

#include "core/scheduler/ordering.h"
#include "core/scheduler/restart_propagation.h"

namespace hactl::core::sched {
namespace {

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

}  // namespace

bool Decisions::start_runnable(int ri) const {  // would X's start be runnable?
  const SRsc& r = ws.rscs[ri];
  if (r.is_group) {
    for (int c : r.children)
      if (!start_runnable(c)) return false;
    return !r.children.empty();
  }
  // A blocked resource gets no start action at all (schedule_restart_actions
  // skips bringing it up), so anything ordered after its start is unrunnable;
  // neither can a resource start whose stop is blocked.
  if (r.blocked || st[ri].stop_blocked) return false;
  return st[ri].target >= 0 && !st[ri].start_blocked;
}

bool Decisions::runs_in_place(int ri) const {
  const SRsc& r = ws.rscs[ri];
  return !r.failed && !r.multiply_active && r.current >= 0 && r.current == st[ri].target;
}

// Staying active where it is, with neither a stop nor a start.
bool Decisions::untouched(int ri) const { return runs_in_place(ri) && !st[ri].start_blocked && !st[ri].restart; }

// multiple-active=stop_unexpected keeps the resource where it is assigned
// and stops it only elsewhere (is_expected_node).
bool Decisions::expected_node(int ri, int n) const {
  const SRsc& r = ws.rscs[ri];
  return r.multiply_active && r.multiple_active == "stop_unexpected" && st[ri].target == n && !st[ri].start_blocked;
}

// Whether "then" of an asymmetrical ordering is already active where it
// will stay: such an ordering changes nothing (handle_asymmetric_ordering).
bool Decisions::started_in_place(int ri) const {
  const SRsc& r = ws.rscs[ri];
  if (r.is_group) {
    for (int c : r.children)
      if (!started_in_place(c)) return false;
    return !r.children.empty();
  }
  return runs_in_place(ri) && !st[ri].start_blocked;
}

// A probe on a pending node cannot run, and an inactive resource may not
// start before it is probed everywhere (pcmk__probe_rsc_on_node orders
// the start after the probe with pe_order_runnable_left).
void Decisions::block_starts_awaiting_probes() {
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

void Decisions::propagate_restarts() {
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

// Makes ri's start (a group's: every member's) unrunnable from moment `at`,
// if that is earlier than known so far; true if anything changed.
bool Decisions::block(int ri, const std::string& reason, long at, bool propagates) {
  SRsc& r = ws.rscs[ri];
  if (r.is_group) {
    bool changed = false;
    for (int c : r.children) changed = block(c, reason, at, propagates) || changed;
    return changed;
  }
  // Even a resource running in place stops: its start is implied by the
  // required (but unrunnable) start of the first resource.
  if (!r.managed || st[ri].target < 0 || at == kNever || at >= st[ri].blocked_at) return false;
  // A restart's start already has its reason (the first one given stays,
  // pe_action_set_reason).
  if (!st[ri].start_blocked) st[ri].block_reason = st[ri].restart_reason.empty() ? reason : st[ri].restart_reason;
  st[ri].start_blocked = true;
  st[ri].blocked_at = at;
  st[ri].block_propagates = propagates;
  return true;
}

// mark_action_blocked re-examines only what the blocked start is ordered
// after, not its 'then' actions, unless the dependent stays where it runs:
// its optional stop then becomes required (handle_restart_ordering), that
// makes the start required, and the change re-examines the start's 'then'
// actions at once.
bool Decisions::block_for_colocation(int ri, const std::string& reason, long at) {
  if (ws.rscs[ri].is_group) {
    bool changed = false;
    for (int c : ws.rscs[ri].children) changed = block_for_colocation(c, reason, at) || changed;
    return changed;
  }
  return block(ri, reason, at, runs_in_place(ri) && !st[ri].restart);
}

// Creation order of the start actions: top-level resources in allocation
// order, a group's members before the group's own pseudo-actions.
std::vector<long> Decisions::start_moments() const {
  std::vector<long> at(ws.rscs.size(), 0);
  long created = 0;
  for (int top : ws.top) {
    for (int c : ws.rscs[top].children) at[c] = -(created++);
    at[top] = -(created++);
  }
  return at;
}

// As a 'first', when ri's start (a group's: "running") became unrunnable.
RState Decisions::first_state(int ri, const std::vector<long>& at) const {
  const SRsc& r = ws.rscs[ri];
  RState s;
  if (!r.is_group) {
    // A blocked resource has no start either (schedule_restart_actions), and
    // one whose stop cannot run cannot start.
    if (st[ri].target < 0 || r.blocked || st[ri].stop_blocked) {
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
long Decisions::dependents_blocked_at(int ri) const {
  const SRsc& r = ws.rscs[ri];
  // A start unrunnable other than through block() (a blocked resource, a
  // blocked stop) is so from its creation.
  auto since = [&](int x) { return st[x].start_blocked ? st[x].blocked_at : kAtCreation; };
  if (!r.is_group) return since(ri);
  long latest = kAtCreation;
  for (int c : r.children) latest = std::max(latest, since(c));
  return latest;
}

void Decisions::decide() {
  st.assign(ws.rscs.size(), {});
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri) st[ri].target = ws.rscs[ri].allocated;
  require_starts_of_changed_definitions();
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
      if (ws.nodes[n].unclean && !ws.can_fence(n)) {
        st[ri].stop_unrunnable = true;
        st[ri].target = n;  // the start's reason (no quorum, say) stays the line's reason
      }
    }
  }
  // A stop where the resource is not assigned anywhere is "due to node
  // availability" (stop_resource).
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    if (ws.rscs[ri].allocated < 0) st[ri].stop_reason = "node availability";
  block_starts_awaiting_probes();
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
      if (order_kind(o) != OrderKind::mandatory) continue;
      std::string then_action = order_then_task(o);
      if (o.first_action != "start" || then_action != "start") continue;
      int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
      if (f < 0 || th < 0) continue;
      // An asymmetrical ordering changes nothing for a 'then' already
      // active where it stays (handle_asymmetric_ordering).
      if (!order_symmetric(o) && started_in_place(th)) continue;
      long when = ordering_block_time(first_state(f, at), at[th]);
      // A group's start is complete at its "running" pseudo-action, which is
      // what the ordering waits for (and names in the reason).
      changed = block(th, "unrunnable " + o.first + (ws.rscs[f].is_group ? " running" : " start"), when, true) ||
                changed;
    }
    // A mandatory colocation's dependent cannot start where its primary
    // will not (pcmk__block_colocation_dependents, via mark_action_blocked).
    for (const auto& c : ws.colocs) {
      if (c.score < kInfinity || c.id == "group:internal_colocation" || c.primary_clone >= 0) continue;
      if (!start_blocks_dependents(c.primary)) continue;
      changed = block_for_colocation(c.dependent, "colocation with " + ws.rscs[c.primary].id,
                                     dependents_blocked_at(c.primary)) ||
                changed;
    }
    changed = block_stops() || changed;
    // Group members: a member cannot start if the previous one cannot.
    for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
      const auto& ch = ws.rscs[gi].children;
      for (size_t i = 1; i < ch.size(); ++i) {
        long when = ordering_block_time(first_state(ch[i - 1], at), at[ch[i]]);
        changed = block(ch[i], "unrunnable " + ws.rscs[ch[i - 1]].id + " start", when, true) || changed;
      }
    }
    if (changed) continue;
    // Settled: now the restarts the orderings imply. A restart requires a
    // stop, which a blocked stop ordered before it makes unrunnable
    // (handle_restart_ordering); its start cannot run then either, so
    // another pass follows.
    block_stops_behind_blocked_members();
    propagate_restarts();
    changed = block_stops();
  }
  block_restarts_behind_blocked_members();
}

}  // namespace hactl::core::sched
