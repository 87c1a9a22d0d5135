// TransitionRun: the execution state of one transition graph, without I/O.
// The controller asks take_ready() for the actions it may dispatch now (every
// predecessor completed), reports completed(id, ok) as results arrive, and
// knows the graph is done when idle(). Pseudo actions complete as soon as they
// are ready. A failed action or abort() stops further dispatch; actions in
// flight are still awaited, so the next transition starts from known state.
// Unrunnable actions never run, and neither does anything ordered after them.
#pragma once

#include <string>
#include <vector>

#include "core/control/control_types.h"
#include "core/scheduler/transition.h"

namespace hactl::core::control {

class TransitionRun {
 public:
  TransitionRun() = default;
  explicit TransitionRun(core::Transition t);

  // Executable actions (not pseudo) that may start now; each is returned once.
  std::vector<const core::Action*> take_ready();
  void completed(int id, bool ok);
  // A node left: its in-flight actions are lost (counted as failed).
  void lost(int id) { completed(id, false); }
  void abort(AbortReason reason, std::string detail);

  bool aborted() const { return aborted_; }
  AbortReason abort_reason() const { return abort_reason_; }
  const std::string& abort_detail() const { return abort_detail_; }
  size_t in_flight() const { return in_flight_; }
  // Nothing in flight and nothing more will become ready.
  bool idle();
  // Every action ran and succeeded: none failed, none blocked (unrunnable).
  bool complete() const;
  const core::Transition& transition() const { return t_; }
  bool is_in_flight(int id) const { return id >= 0 && id < (int)state_.size() && state_[id] == State::in_flight; }

 private:
  enum class State { waiting, in_flight, done, failed, never };
  bool preds_done(int id) const;
  void settle_pseudo();

  core::Transition t_;
  std::vector<State> state_;
  std::vector<std::vector<int>> preds_;
  size_t in_flight_ = 0;
  bool aborted_ = false;
  AbortReason abort_reason_ = AbortReason::none;
  std::string abort_detail_;
};

}  // namespace hactl::core::control
