// What happens to each resource before any action exists: where it ends up
// after blocking (quorum policy, pending probes, unrunnable mandatory
// orderings and colocations), which stops cannot run, which resources
// restart in place, and the reasons the Transition Summary gives. The
// transition builder turns these decisions into actions, edges and summary
// lines. Internal to core/scheduler.
#pragma once

#include <string>
#include <vector>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Moments of Pacemaker's pass over its actions (pcmk__apply_orderings), for
// following when each start became unrunnable: kAtCreation is before the pass,
// a start's own moment is -(its creation index) because the action list is
// built by prepending, kNever means runnable.
constexpr long kAtCreation = -(1L << 40), kNever = 1L << 40;

struct RState {
  int target = -1;     // node index after blocking, -1 = stopped
  std::string block_reason;  // why its start cannot run ("due to ..." in the summary)
  bool start_blocked = false;
  bool stop_blocked = false;  // its required stop cannot run: it stays where it is
  bool restart = false;  // stays where it is but must stop and start again
  bool stop_unrunnable = false;  // active on an unclean node that cannot be fenced
  std::string restart_reason;
  long blocked_at = kNever;        // when its start became unrunnable
  bool block_propagates = false;   // its 'then' starts were re-examined at that moment
  std::string stop_reason;   // its stops' own reason, which the summary prefers
};

struct Decisions {
  WorkingSet& ws;
  std::vector<RState> st;  // one per ws.rscs index, filled by decide()

  void decide();

  bool untouched(int ri) const;
  bool expected_node(int ri, int n) const;
  bool has_history(int ri, int n) const;

 private:
  bool start_runnable(int ri) const;
  bool runs_in_place(int ri) const;
  bool started_in_place(int ri) const;
  void block_starts_awaiting_probes();
  void propagate_restarts();
  bool block(int ri, const std::string& reason, long at = kAtCreation, bool propagates = false);
  bool block_for_colocation(int ri, const std::string& reason, long at);
  std::vector<long> start_moments() const;
  RState first_state(int ri, const std::vector<long>& at) const;
  long dependents_blocked_at(int ri) const;
  void block_restarts_behind_blocked_members();
  void require_starts_of_changed_definitions();
  void block_stops_behind_blocked_members();
  bool start_blocks_dependents(int ri) const;
  bool member_start_unrunnable(int c) const;
  bool has_unrunnable_start(int ri) const;
  bool stop_required(int ri) const;
  void set_stop_blocked(int ri, const std::string& by, bool& changed);
  bool blocked_and_active(int ri) const;
  void force_stop_blocked(int ri, const std::string& by, bool& changed);
  bool block_stops();
};

}  // namespace hactl::core::sched
