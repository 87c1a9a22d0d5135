#include "test/sim/sim_run.h"

#include <cstdio>
#include <map>
#include <set>

namespace hactl::test::sim {

namespace {

struct NetFault {
  int64_t until = 0;
  FaultKind kind = FaultKind::loss;
  uint32_t node = 0, other = 0;
  int percent = 0;
};

void apply_network(SimCluster& c, const std::vector<NetFault>& active) {
  std::set<uint32_t> isolated;
  std::set<std::pair<uint32_t, uint32_t>> one_way;
  double loss = 0;
  for (const auto& f : active) {
    if (f.kind == FaultKind::partition) isolated.insert(f.node);
    if (f.kind == FaultKind::one_way && f.node != f.other) one_way.insert({f.node, f.other});
    if (f.kind == FaultKind::loss) loss = std::max(loss, f.percent / 100.0);
  }
  c.set_network(isolated, one_way, loss);
}

}  // namespace

void finish_run(SimCluster& c, const RunOptions& options, RunResult& r) {
  const int64_t repaired_at = c.now_ms();
  c.set_network({}, {}, 0);
  for (int64_t t = 0; t <= options.converge_bound_ms; t += 100) {
    for (uint32_t id = 1; id <= c.size(); ++id) {
      if (!c.machine_up(id)) c.restart_machine(id);
      else if (!c.agent_up(id)) c.start_agent(id);
    }
    std::string why = check_converged(c);
    if (why.empty()) {
      r.converged = true;
      r.converge_ms = c.now_ms() - repaired_at;
      break;
    }
    if (t + 100 > options.converge_bound_ms)
      c.log().violation("not converged " + std::to_string(options.converge_bound_ms) + " ms after the repair: " + why);
    c.run_for(100);
  }
  r.writes = check_writes(c);
  r.violations = c.log().violations;
  r.false_death = c.log().first_false_death_ms.has_value();
  r.splits = c.log().split_ms.size();
  r.double_active_ms = c.log().double_active_ms;
  r.fences = c.log().fences;
  r.simulated_ms = c.now_ms();
  for (uint32_t id = 1; id <= c.size(); ++id) {
    r.final_state += c.name_of(id) + (c.agent(id) && c.agent(id)->is_dc() ? " (DC)" : "") + ": executed " +
                     std::to_string(c.executor(id).executed()) + ", runs";
    for (const auto& rsc : c.executor(id).running()) r.final_state += " " + rsc;
    r.final_state += "\n";
    if (options.dump_cib && c.agent(id) && c.agent(id)->is_dc()) r.final_state += c.agent(id)->cib().to_xml();
  }
}

RunResult run_schedule(const FaultSchedule& s, const RunOptions& options) {
  RunResult r;
  r.seed = s.seed;
  SimCluster c({s.nodes, s.resources, s.seed});
  std::vector<NetFault> active;
  std::multimap<int64_t, std::pair<int, uint32_t>> later;  // (0 machine | 1 agent) restarts
  size_t next = 0;
  for (int64_t now = 0; now < s.faults_until_ms; ++now) {
    bool net_changed = false;
    while (next < s.faults.size() && s.faults[next].at_ms <= now) {
      const Fault& f = s.faults[next++];
      if (options.trace) std::printf("%6lld ms  %s\n", static_cast<long long>(now), fault_kind_name(f.kind));
      switch (f.kind) {
        case FaultKind::crash_machine:
          if (c.machine_up(f.node)) {
            c.crash_machine(f.node);
            later.insert({now + f.duration_ms, {0, f.node}});
          }
          break;
        case FaultKind::restart_agent:
          if (c.agent_up(f.node)) {
            c.restart_agent(f.node);
            later.insert({now + f.duration_ms, {1, f.node}});
          }
          break;
        case FaultKind::stop_agent:
          if (c.agent_up(f.node)) {
            c.stop_agent(f.node);
            later.insert({now + f.duration_ms, {1, f.node}});
          }
          break;
        case FaultKind::partition:
        case FaultKind::one_way:
        case FaultKind::loss:
          active.push_back({now + f.duration_ms, f.kind, f.node, f.other, f.percent});
          net_changed = true;
          break;
        case FaultKind::pause: c.pause(f.node, f.duration_ms); break;
        case FaultKind::fail_start: c.executor(f.node).faults(f.rsc).fail_next_start = true; break;
        case FaultKind::kill_resource: c.executor(f.node).kill_resource(f.rsc); break;
        case FaultKind::hang_stop: c.executor(f.node).faults(f.rsc).hang_next_stop = true; break;
        case FaultKind::hang_start: c.executor(f.node).faults(f.rsc).hang_next_start = true; break;
        case FaultKind::slow_agent: c.executor(f.node).faults(f.rsc).slow_ms = f.duration_ms; break;
        case FaultKind::write_add: c.write(f.node, WriteKind::add, f.rsc); break;
        case FaultKind::write_delete: c.write(f.node, WriteKind::remove, f.rsc); break;
      }
    }
    const size_t before = active.size();
    std::erase_if(active, [&](const NetFault& f) { return f.until <= now; });
    if (net_changed || active.size() != before) apply_network(c, active);
    while (!later.empty() && later.begin()->first <= now) {
      auto [kind, id] = later.begin()->second;
      later.erase(later.begin());
      if (kind == 0) c.restart_machine(id);
      else c.start_agent(id);
    }
    c.step();
  }
  finish_run(c, options, r);
  return r;
}

std::string RunResult::report(const FaultSchedule& s) const {
  std::string out = s.describe();
  out += converged ? "converged " + std::to_string(converge_ms) + " ms after the repair\n" : "did not converge\n";
  out += final_state;
  for (const auto& v : violations) out += "VIOLATION: " + v + "\n";
  out += "replay: cluster_sim --seed " + std::to_string(s.seed) + "\n";
  return out;
}

}  // namespace hactl::test::sim
