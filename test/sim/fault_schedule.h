// FaultSchedule: the random faults of one simulated run, all drawn from its
// seed (so a failing seed replays exactly). The cluster first settles, then
// faults happen during the fault window, then everything is repaired (nodes
// restarted, network healed) and the cluster must converge.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hactl::test::sim {

enum class FaultKind {
  crash_machine,    // the node dies with its resources; back after `duration_ms`
  restart_agent,    // the node agent restarts, its resources keep running; down for `duration_ms`
  stop_agent,       // `cluster stop` on the node (graceful); started again after `duration_ms`
  partition,        // `node` alone against the rest, for `duration_ms`
  one_way,          // datagrams from `node` to `other` lost, for `duration_ms`
  loss,             // datagram loss `percent` for `duration_ms`
  pause,            // the node's process stalls for `duration_ms`
  fail_start,       // the next start of `rsc` on `node` fails
  kill_resource,    // `rsc` dies on `node` (if it runs there)
  hang_stop,        // the next stop of `rsc` on `node` hangs (ends at its timeout)
  hang_start,       // the next start of `rsc` on `node` hangs
  slow_agent,       // actions of `rsc` on `node` take `duration_ms` longer from now on
  write_add,        // a client on `node` creates resource `rsc`
  write_delete,     // a client on `node` deletes resource `rsc` (if its CIB has it)
};
const char* fault_kind_name(FaultKind k);

struct Fault {
  int64_t at_ms = 0;
  FaultKind kind = FaultKind::loss;
  uint32_t node = 1, other = 0;
  int64_t duration_ms = 0;
  int percent = 0;
  std::string rsc;
};

struct ScheduleOptions {
  bool calm = false;  // no network faults, pauses or agent restarts (the "no false death" class)
};

struct FaultSchedule {
  uint64_t seed = 0;
  uint32_t nodes = 3;
  int resources = 3;            // initial resources R1..Rn
  int64_t faults_from_ms = 0;   // the window of faults
  int64_t faults_until_ms = 0;  // everything repaired here
  bool calm = false;
  std::vector<Fault> faults;    // by time
  std::string describe() const;
};

FaultSchedule make_schedule(uint64_t seed);
// Same seed, same schedule, whatever else ran before.
FaultSchedule make_schedule(uint64_t seed, const ScheduleOptions& options);

}  // namespace hactl::test::sim
