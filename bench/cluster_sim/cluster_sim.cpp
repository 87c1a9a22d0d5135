// cluster_sim: runs the whole-cluster simulator (test/sim/) over many seeds
// and prints schedules per second and the invariant counts; or replays one
// seed with its schedule and the cluster's final state.
//   cluster_sim [--seeds N] [--first S]     many schedules
//   cluster_sim --seed S [--trace] [--cib]   one, verbose (every node's log lines, the DC's final CIB)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "test/sim/sim_run.h"

using namespace hactl::test::sim;

namespace {

void print_state(const FaultSchedule& s, bool dump_cib) {
  RunOptions o;
  o.dump_cib = dump_cib;
  RunResult r = run_schedule(s, o);
  std::printf("%s", r.report(s).c_str());
  std::printf("false death: %s, DC splits: %zu, ms with a resource on two nodes: %llu, fences asked: %llu\n",
              r.false_death ? "yes" : "no", r.splits, static_cast<unsigned long long>(r.double_active_ms),
              static_cast<unsigned long long>(r.fences));
  std::printf("writes: %d sent, %d acknowledged, %d refused, %d unanswered, %d dropped by the merge rule, %d lost\n",
              r.writes.sent, r.writes.acked, r.writes.refused, r.writes.unanswered, r.writes.dropped_by_merge_rule,
              r.writes.lost);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seeds = 10000, first = 1, one = 0;
  bool dump_cib = false;
  for (int i = 1; i < argc; i += 2) {
    if (!std::strcmp(argv[i], "--cib") || !std::strcmp(argv[i], "--trace")) {
      (argv[i][2] == 'c' ? dump_cib : SimAgent::trace) = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "Error: %s needs a value\n", argv[i]);
      return 2;
    }
    if (!std::strcmp(argv[i], "--seeds")) seeds = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--first")) first = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed")) one = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "Error: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (one) {
    print_state(make_schedule(one), dump_cib);
    return 0;
  }
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t failed = 0, false_deaths = 0, calm = 0, converged = 0, with_split = 0, double_active = 0;
  int64_t worst_converge = 0, simulated = 0;
  WriteCounts w;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    const FaultSchedule s = make_schedule(seed);
    const RunResult r = run_schedule(s);
    calm += s.calm;
    false_deaths += r.false_death;
    converged += r.converged;
    with_split += r.splits > 0;
    double_active += r.double_active_ms > 0;
    simulated += r.simulated_ms;
    if (r.converged) worst_converge = std::max(worst_converge, r.converge_ms);
    w.sent += r.writes.sent;
    w.acked += r.writes.acked;
    w.refused += r.writes.refused;
    w.unanswered += r.writes.unanswered;
    w.dropped_by_merge_rule += r.writes.dropped_by_merge_rule;
    w.lost += r.writes.lost;
    if (!r.ok()) {
      ++failed;
      std::printf("FAILED %s", r.report(s).c_str());
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("schedules: %llu in %.1f s (%.1f schedules/s, %.0f simulated s)\n", static_cast<unsigned long long>(seeds),
              secs, seeds / secs, simulated / 1000.0);
  std::printf("calm schedules: %llu; with a false death: %llu; with two DCs at once: %llu; with a resource ever on two nodes: %llu\n",
              static_cast<unsigned long long>(calm), static_cast<unsigned long long>(false_deaths),
              static_cast<unsigned long long>(with_split), static_cast<unsigned long long>(double_active));
  std::printf("converged: %llu, worst %lld ms after the repair\n", static_cast<unsigned long long>(converged),
              static_cast<long long>(worst_converge));
  std::printf("writes: %d sent, %d acknowledged, %d refused, %d unanswered, %d dropped by the merge rule, %d lost\n",
              w.sent, w.acked, w.refused, w.unanswered, w.dropped_by_merge_rule, w.lost);
  std::printf("invariant violations: %llu schedules\n", static_cast<unsigned long long>(failed));
  return failed ? 1 : 0;
}
