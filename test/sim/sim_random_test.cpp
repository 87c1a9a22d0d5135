// Random fault schedules through the whole-cluster simulator (test/sim/).
// HACTL_SIM_SEEDS=N runs N seeds instead of the default; HACTL_SIM_SEED=S
// runs that seed alone (a failure prints its seed and schedule).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "test/sim/sim_run.h"

namespace hactl::test::sim {

namespace {

uint64_t env_or(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

}  // namespace

TEST_CASE("the same seed replays the same run") {
  const FaultSchedule s = make_schedule(7);
  const RunResult a = run_schedule(s);
  const RunResult b = run_schedule(make_schedule(7));
  CHECK(s.describe() == make_schedule(7).describe());
  CHECK(a.violations == b.violations);
  CHECK(a.converge_ms == b.converge_ms);
  CHECK(a.simulated_ms == b.simulated_ms);
  CHECK(a.double_active_ms == b.double_active_ms);
  CHECK(a.writes.acked == b.writes.acked);
}

TEST_CASE("random fault schedules keep every invariant") {
  const uint64_t only = env_or("HACTL_SIM_SEED", 0);
  const uint64_t count = only ? 1 : env_or("HACTL_SIM_SEEDS", 300);
  const uint64_t first = only ? only : 1;
  int failed = 0, false_deaths = 0, converged = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    const FaultSchedule s = make_schedule(seed);
    const RunResult r = run_schedule(s);
    false_deaths += r.false_death;
    converged += r.converged;
    if (!r.ok()) {
      ++failed;
      std::printf("%s", r.report(s).c_str());
    }
    CHECK_MESSAGE(r.ok(), "seed " << seed << " broke an invariant (replay: HACTL_SIM_SEED=" << seed << ")");
  }
  std::printf("sim: %llu schedules, %d converged, %d with a false death, %d failed\n",
              static_cast<unsigned long long>(count), converged, false_deaths, failed);
}

}  // namespace hactl::test::sim
