#include "test/sim/fault_schedule.h"

#include <algorithm>

#include "net/rng.h"

namespace hactl::test::sim {

const char* fault_kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::crash_machine: return "crash-machine";
    case FaultKind::restart_agent: return "restart-agent";
    case FaultKind::stop_agent: return "stop-agent";
    case FaultKind::partition: return "partition";
    case FaultKind::one_way: return "one-way-cut";
    case FaultKind::loss: return "loss";
    case FaultKind::pause: return "pause";
    case FaultKind::fail_start: return "fail-start";
    case FaultKind::kill_resource: return "kill-resource";
    case FaultKind::hang_stop: return "hang-stop";
    case FaultKind::hang_start: return "hang-start";
    case FaultKind::slow_agent: return "slow-agent";
    case FaultKind::write_add: return "write-add";
    case FaultKind::write_delete: return "write-delete";
  }
  return "?";
}

FaultSchedule make_schedule(uint64_t seed) {
  net::Rng r(seed ^ 0x5DEECE66DULL);
  ScheduleOptions o;
  o.calm = r.below(3) == 0;
  return make_schedule(seed, o);
}

FaultSchedule make_schedule(uint64_t seed, const ScheduleOptions& options) {
  net::Rng r(seed * 0x9E3779B97F4A7C15ULL + 1);
  FaultSchedule s;
  s.seed = seed;
  s.calm = options.calm;
  const uint32_t sizes[] = {2, 3, 3, 3, 4};
  s.nodes = sizes[r.below(5)];
  s.resources = 1 + static_cast<int>(r.below(5));
  s.faults_from_ms = 4000;
  s.faults_until_ms = s.faults_from_ms + 6000 + static_cast<int64_t>(r.below(6000));
  const int count = 2 + static_cast<int>(r.below(9));
  int next_rsc = s.resources + 1;
  auto node = [&] { return static_cast<uint32_t>(1 + r.below(s.nodes)); };
  auto rsc = [&] { return "R" + std::to_string(1 + r.below(static_cast<uint64_t>(next_rsc - 1))); };
  const int64_t window = s.faults_until_ms - s.faults_from_ms;
  for (int i = 0; i < count; ++i) {
    Fault f;
    f.at_ms = s.faults_from_ms + static_cast<int64_t>(r.below(static_cast<uint64_t>(window)));
    const int kinds = options.calm ? 8 : 14;
    // Calm schedules draw from the faults that declare nobody dead falsely.
    static const FaultKind calm_kinds[] = {FaultKind::crash_machine, FaultKind::fail_start, FaultKind::kill_resource,
                                           FaultKind::write_add,     FaultKind::write_delete, FaultKind::slow_agent,
                                           FaultKind::write_add,     FaultKind::fail_start};
    static const FaultKind all_kinds[] = {
        FaultKind::crash_machine, FaultKind::restart_agent, FaultKind::stop_agent,    FaultKind::partition,
        FaultKind::one_way,       FaultKind::loss,          FaultKind::pause,         FaultKind::fail_start,
        FaultKind::kill_resource, FaultKind::hang_stop,     FaultKind::hang_start,    FaultKind::slow_agent,
        FaultKind::write_add,     FaultKind::write_delete};
    f.kind = options.calm ? calm_kinds[r.below(kinds)] : all_kinds[r.below(kinds)];
    f.node = node();
    switch (f.kind) {
      case FaultKind::crash_machine:
      case FaultKind::restart_agent:
      case FaultKind::stop_agent:
        f.duration_ms = 50 + static_cast<int64_t>(r.below(4000));
        break;
      case FaultKind::partition:
        f.duration_ms = 10 + static_cast<int64_t>(r.below(3000));
        break;
      case FaultKind::one_way:
        do f.other = node(); while (f.other == f.node && s.nodes > 1);
        f.duration_ms = 10 + static_cast<int64_t>(r.below(3000));
        break;
      case FaultKind::loss:
        f.percent = 5 + static_cast<int>(r.below(40));
        f.duration_ms = 100 + static_cast<int64_t>(r.below(3000));
        break;
      case FaultKind::pause:
        f.duration_ms = 100 + static_cast<int64_t>(r.below(2500));
        break;
      case FaultKind::slow_agent:  // below the actions' 3 s timeout
        f.duration_ms = 100 + static_cast<int64_t>(r.below(2400));
        f.rsc = rsc();
        break;
      case FaultKind::write_add:
        f.rsc = "R" + std::to_string(next_rsc++);
        break;
      default:
        f.rsc = rsc();
        break;
    }
    s.faults.push_back(f);
  }
  std::stable_sort(s.faults.begin(), s.faults.end(), [](const Fault& a, const Fault& b) { return a.at_ms < b.at_ms; });
  return s;
}

std::string FaultSchedule::describe() const {
  std::string out = "seed " + std::to_string(seed) + ": " + std::to_string(nodes) + " nodes, " +
                    std::to_string(resources) + " resources, faults " + std::to_string(faults_from_ms) + "-" +
                    std::to_string(faults_until_ms) + " ms" + (calm ? " (calm)" : "") + "\n";
  for (const auto& f : faults) {
    out += "  " + std::to_string(f.at_ms) + " ms " + fault_kind_name(f.kind) + " n" + std::to_string(f.node);
    if (f.other) out += " -> n" + std::to_string(f.other);
    if (!f.rsc.empty()) out += " " + f.rsc;
    if (f.duration_ms) out += " for " + std::to_string(f.duration_ms) + " ms";
    if (f.percent) out += " " + std::to_string(f.percent) + "%";
    out += "\n";
  }
  return out;
}

}  // namespace hactl::test::sim
