#include "core/control/transition_run.h"

namespace hactl::core::control {

TransitionRun::TransitionRun(core::Transition t) : t_(std::move(t)) {
  state_.assign(t_.actions.size(), State::waiting);
  preds_.assign(t_.actions.size(), {});
  for (const auto& e : t_.edges)
    if (e.before >= 0 && e.after >= 0 && e.before < (int)t_.actions.size() && e.after < (int)t_.actions.size())
      preds_[e.after].push_back(e.before);
  for (const auto& a : t_.actions)
    if (!a.runnable || a.optional) state_[a.id] = State::never;
  settle_pseudo();
}

bool TransitionRun::preds_done(int id) const {
  for (int p : preds_[id])
    if (state_[p] != State::done) return false;
  return true;
}

// Pseudo actions (group start/running, implied stops) have nothing to run:
// they complete once their predecessors have, which may unblock others.
void TransitionRun::settle_pseudo() {
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& a : t_.actions) {
      if (a.kind != core::ActionKind::pseudo || state_[a.id] != State::waiting || !preds_done(a.id)) continue;
      state_[a.id] = State::done;
      changed = true;
    }
  }
}

std::vector<const core::Action*> TransitionRun::take_ready() {
  std::vector<const core::Action*> out;
  if (aborted_) return out;
  settle_pseudo();
  for (const auto& a : t_.actions) {
    if (a.kind == core::ActionKind::pseudo || state_[a.id] != State::waiting || !preds_done(a.id)) continue;
    state_[a.id] = State::in_flight;
    ++in_flight_;
    out.push_back(&a);
  }
  return out;
}

void TransitionRun::completed(int id, bool ok) {
  if (id < 0 || id >= (int)state_.size() || state_[id] != State::in_flight) return;
  state_[id] = ok ? State::done : State::failed;
  --in_flight_;
  if (!ok && !aborted_)
    abort(AbortReason::action_failed, "action " + t_.actions[id].key() + " on " + t_.actions[id].node + " failed");
  settle_pseudo();
}

void TransitionRun::abort(AbortReason reason, std::string detail) {
  if (aborted_) return;
  aborted_ = true;
  abort_reason_ = reason;
  abort_detail_ = std::move(detail);
}

bool TransitionRun::idle() {
  if (in_flight_ > 0) return false;
  if (aborted_) return true;
  settle_pseudo();
  for (const auto& a : t_.actions)
    if (a.kind != core::ActionKind::pseudo && state_[a.id] == State::waiting && preds_done(a.id)) return false;
  return true;
}

bool TransitionRun::complete() const {
  if (aborted_ || in_flight_ > 0) return false;
  for (const auto& a : t_.actions)
    if (state_[a.id] != State::done) return false;
  return true;
}

}  // namespace hactl::core::control
