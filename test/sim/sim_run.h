// One simulated run: the cluster of a FaultSchedule settles, takes the
// faults, is repaired, must converge within the bound, and is judged by the
// invariants (invariants.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "test/sim/fault_schedule.h"
#include "test/sim/invariants.h"

namespace hactl::test::sim {

struct RunOptions {
  int64_t converge_bound_ms = 60000;  // after the repair
  bool trace = false;                  // print the coordinator's view of each fault as it happens
  bool dump_cib = false;               // the DC's final CIB in final_state
};

struct RunResult {
  uint64_t seed = 0;
  std::vector<std::string> violations;
  bool false_death = false;
  bool converged = false;
  int64_t converge_ms = 0;  // from the repair
  size_t splits = 0;
  uint64_t double_active_ms = 0;
  uint64_t fences = 0;
  WriteCounts writes;
  int64_t simulated_ms = 0;
  std::string final_state;  // per node: what runs there, actions executed
  bool ok() const { return violations.empty(); }
  std::string report(const FaultSchedule& s) const;
};

RunResult run_schedule(const FaultSchedule& schedule, const RunOptions& options = {});
// Lets a settled cluster reach convergence and checks invariants 2 and 3 (for hand-made scenarios).
void finish_run(SimCluster& c, const RunOptions& options, RunResult& result);

}  // namespace hactl::test::sim
