// Decisions' passes over blocked group members and blocked stops, and the
// queries about starts and stops they use.
#include "core/scheduler/decisions.h"

#include <algorithm>

#include "core/scheduler/ordering.h"
#include "core/scheduler/restart_propagation.h"

namespace hactl::core::sched {

// The same for stops that only restart propagation made required: an
// earlier member restarting behind a member whose stop cannot run keeps
// running, its stop shown blocked (handle_restart_ordering). A stop's
// reason is the first one set, which follows the order of Pacemaker's pass
// over its actions: along a run of restarting members, the first one's
// stop is required by its own restart (no reason), which makes the next
// one's stop required ("required <first> stop") before its own restart
// does, and so on, alternating. A stop required without a reason takes it
// from the unrunnable stop of the member after it, except behind the
// blocked member itself (its stop is cleared without a reason): the Stop
// line then gives the start's reason.
void Decisions::block_restarts_behind_blocked_members() {
  for (const auto& g : ws.rscs) {
    const auto& ch = g.children;
    std::vector<char> newly(ch.size(), 0);
    for (size_t i = ch.size(); i-- > 1;) {
      const int later = ch[i], prev = ch[i - 1];
      if (!blocked_and_active(later) && !st[later].stop_blocked && !st[later].stop_unrunnable) continue;
      const SRsc& p = ws.rscs[prev];
      // (block_stops may already have blocked it: the reason is set here.)
      if (!st[prev].restart || st[prev].stop_unrunnable || !p.managed || p.current < 0) continue;
      st[prev].stop_blocked = true;
      newly[i - 1] = 1;
    }
    bool required_by_previous = false;
    for (size_t j = 0; j < ch.size(); ++j) {
      const int m = ch[j];
      if (!st[m].restart || ws.rscs[m].running_on.empty()) {
        required_by_previous = false;
        continue;
      }
      if (newly[j]) {
        if (required_by_previous) {
          st[m].block_reason = "required " + ws.rscs[ch[j - 1]].id + " stop";
        } else if (j + 1 < ch.size() && !blocked_and_active(ch[j + 1])) {
          st[m].block_reason = "unrunnable " + ws.rscs[ch[j + 1]].id + " stop";
        } else {
          st[m].block_reason = st[m].restart_reason;
        }
      }
      required_by_previous = !required_by_previous;
    }
  }
}

// A changed definition makes the start required (force_restart), or the
// stop (a reload prevented by a pending start): a resource staying where it
// is restarts. The start's reason survives only on a start that needs
// fencing or quorum: for one that needs nothing,
// update_resource_action_runnable clears it when the start gets its node.
void Decisions::require_starts_of_changed_definitions() {
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
    const SRsc& r = ws.rscs[ri];
    if (r.is_group || !r.managed || !runs_in_place(static_cast<int>(ri))) continue;
    if (!r.definition_restart && !r.definition_stop) continue;
    st[ri].restart = true;
    if (r.definition_restart && (r.needs_fencing || r.needs_quorum))
      st[ri].restart_reason = "resource definition change";
  }
}

// A group member whose stop is required but cannot run (it is blocked
// where it is active) keeps the earlier members from stopping as well: the
// group's "later member stops first" ordering carries pe_order_restart
// (handle_restart_ordering). They stay, their stop shown blocked.
void Decisions::block_stops_behind_blocked_members() {
  for (const auto& g : ws.rscs) {
    for (size_t i = g.children.size(); i-- > 1;) {
      int m = g.children[i], prev = g.children[i - 1];
      const SRsc& later = ws.rscs[m];
      bool stop_cannot_run = !later.running_on.empty() && (later.blocked || st[m].stop_unrunnable);
      const SRsc& p = ws.rscs[prev];
      // A member that only restarts is left to block_stops and then to
      // block_restarts_behind_blocked_members, which give its reason.
      bool restart_only = st[prev].restart && runs_in_place(prev);
      if (!stop_cannot_run || !p.managed || p.current < 0 || untouched(prev) || restart_only) continue;
      st[prev].stop_unrunnable = true;
      st[prev].start_blocked = false;
      st[prev].target = p.current;
      st[prev].block_reason = "unrunnable " + later.id + " stop";
    }
  }
}

// Whether an unrunnable start of `ri` blocks the dependents of its mandatory
// colocations (pcmk__block_colocation_dependents). Pacemaker looks at the
// top-level resource's colocations only: those naming a group member as
// the primary are never consulted, so their dependents still start. A group
// blocks its dependents only when every member has a start and none of
// them is runnable (a member that stays where it runs, or is not placed,
// has no start action and so counts as able to start).
bool Decisions::start_blocks_dependents(int ri) const {
  const SRsc& r = ws.rscs[ri];
  if (r.parent >= 0) return false;
  if (!r.is_group) return st[ri].target >= 0 && has_unrunnable_start(ri);
  if (r.children.empty()) return false;
  for (int c : r.children)
    if (!member_start_unrunnable(c)) return false;
  return true;
}

bool Decisions::member_start_unrunnable(int c) const {
  if (st[c].start_blocked || st[c].stop_blocked) return true;
  return ws.rscs[c].blocked && has_unrunnable_start(c);
}

// A blocked resource has no start action, unless an ordering needs one as
// its 'first': rsc_order_first then creates it without a node, so it is
// unrunnable. Group members after it order their starts after its start.
bool Decisions::has_unrunnable_start(int ri) const {
  if (start_runnable(ri)) return false;
  const SRsc& r = ws.rscs[ri];
  if (!r.blocked) return true;
  if (r.parent >= 0 && ws.rscs[r.parent].children.back() != ri) return true;
  for (const OrderConstraint* o : ws.order_list)
    if (o->first == r.id && (o->first_action.empty() || o->first_action == "start")) return true;
  return false;
}

// Whether resource ri must stop (move, stop, recover, restart or a blocked restart).
bool Decisions::stop_required(int ri) const {
  const SRsc& r = ws.rscs[ri];
  return r.managed && !r.running_on.empty() && (!runs_in_place(ri) || st[ri].start_blocked || st[ri].restart);
}

// Stops that cannot run, so the resource stays where it is:
// - group members stop in reverse order with a restart ordering
//   (member_internal_constraints, handle_restart_ordering): a required stop
//   of the previous member makes a later member's stop required too, and a
//   required stop that cannot run (unmanaged or blocked member) makes the
//   previous member's stop unrunnable;
// - the inverse of a symmetrical mandatory "start F then start T" orders
//   T's stop before F's, and a blocked T's unrunnable stop makes F's stop
//   unrunnable (pcmk__update_action_for_orderings: "first is blocked,
//   unmanaged, unrunnable stop"); so does a blocked F in a symmetrical
//   mandatory "stop F then stop T".
void Decisions::set_stop_blocked(int ri, const std::string& by, bool& changed) {
  if (st[ri].stop_blocked || !stop_required(ri)) return;
  st[ri].stop_blocked = true;
  // A resource that is to stop anyway keeps its stop's own reason.
  if (st[ri].target >= 0) st[ri].block_reason = "unrunnable " + by + " stop";
  changed = true;
}

bool Decisions::blocked_and_active(int ri) const { return ws.rscs[ri].blocked && !ws.rscs[ri].running_on.empty(); }
// A stop made required and unrunnable by `by`'s: one that was optional
// (the resource would stay) takes "required <by> stop" as its reason
// (clear_action_flag_because names the flag it clears first).
void Decisions::force_stop_blocked(int ri, const std::string& by, bool& changed) {
  const SRsc& r = ws.rscs[ri];
  if (st[ri].stop_blocked || !r.managed || r.running_on.empty()) return;
  if (stop_required(ri)) return set_stop_blocked(ri, by, changed);
  st[ri].stop_blocked = true;
  st[ri].block_reason = "required " + by + " stop";
  changed = true;
}

bool Decisions::block_stops() {
  bool changed = false;
  for (const SRsc& g : ws.rscs) {
    const auto& ch = g.children;
    for (size_t i = ch.size(); i-- > 1;) {
      const SRsc& m = ws.rscs[ch[i]];
      if (!m.running_on.empty() && (!m.managed || st[ch[i]].stop_blocked)) set_stop_blocked(ch[i - 1], m.id, changed);
    }
  }
  for (const OrderConstraint* op : ws.order_list) {
    const OrderConstraint& o = *op;
    const std::string& then_action = order_then_task(o);
    if (order_kind(o) != OrderKind::mandatory) continue;
    int f = ws.find_rsc(o.first), th = ws.find_rsc(o.then);
    if (f < 0 || th < 0 || ws.rscs[f].is_group || ws.rscs[th].is_group) continue;
    if (!order_symmetric(o)) {
      // handle_asymmetric_ordering: an unrunnable 'first' makes an active
      // 'then' required and unrunnable, so even a resource that would stay
      // shows a blocked stop.
      if (o.first_action == "stop" && then_action == "stop" && blocked_and_active(f))
        force_stop_blocked(th, ws.rscs[f].id, changed);
      continue;
    }
    // The ordering itself carries pe_order_implies_then, its inverse
    // pe_order_implies_first: either way a 'first' that is the stop of a
    // blocked resource makes the 'then' stop unrunnable.
    if (o.first_action == "stop" && then_action == "stop" && blocked_and_active(f))
      set_stop_blocked(th, ws.rscs[f].id, changed);
    if (o.first_action == "start" && then_action == "start" && blocked_and_active(th))
      set_stop_blocked(f, ws.rscs[th].id, changed);
  }
  return changed;
}

bool Decisions::has_history(int ri, int n) const { return ws.rscs[ri].history_on[n] != 0; }

}  // namespace hactl::core::sched
