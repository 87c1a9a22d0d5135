// Hand-made scenarios through the whole-cluster simulator, and the seeds of
// every bug it found (kept as regression cases).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

#include "core/cib_model.h"
#include "core/scheduler/transition.h"
#include "test/sim/sim_run.h"

namespace hactl::test::sim {

namespace {

// The node whose machine really runs `rsc` (0: none, or more than one).
uint32_t runs_on(const SimCluster& c, const std::string& rsc) {
  uint32_t where = 0;
  for (uint32_t id = 1; id <= c.size(); ++id)
    if (c.machine_up(id) && c.executor(id).running().count(rsc)) {
      if (where) return 0;
      where = id;
    }
  return where;
}

int copies(const SimCluster& c, const std::string& rsc) {
  int n = 0;
  for (uint32_t id = 1; id <= c.size(); ++id) n += c.machine_up(id) && c.executor(id).running().count(rsc);
  return n;
}

RunResult finish(SimCluster& c) {
  RunResult r;
  finish_run(c, {}, r);
  for (const auto& v : r.violations) std::printf("VIOLATION: %s\n", v.c_str());
  return r;
}

}  // namespace

TEST_CASE("a node seen dead for an instant and back is probed again: its resource does not stay on two nodes") {
  // The double activation: the DC saw the node that runs R1 dead
  // for a moment, started R1 elsewhere, and never probed the node when it
  // came back, so R1 ran on both while the status showed one.
  SimAgent::trace = std::getenv("HACTL_SIM_TRACE") != nullptr;
  SimCluster c({2, 3, 11});  // two_node: the lone side keeps quorum, as in the issue
  c.run_for(4000);
  std::string rsc;
  uint32_t x = 0;
  for (std::string r : {"R1", "R2", "R3"})
    if (uint32_t at = runs_on(c, r); at > 1 && rsc.empty()) rsc = r, x = at;  // not on the DC (n1)
  REQUIRE(x != 0);
  c.set_network({x}, {}, 0);
  bool twice = false;
  for (int i = 0; i < 1500 && !twice; ++i) {
    c.step();
    twice = copies(c, rsc) == 2;
  }
  REQUIRE(twice);  // the DC started it elsewhere while x was unreachable
  c.set_network({}, {}, 0);
  const RunResult r = finish(c);
  CHECK(r.converged);
  CHECK(r.ok());
  CHECK(copies(c, rsc) == 1);
}

TEST_CASE("an agent that restarts faster than the failure timeout: its running resources are found, not started again") {
  SimCluster c({3, 2, 12});
  c.run_for(4000);
  const uint32_t x = runs_on(c, "R1");
  REQUIRE(x != 0);
  c.restart_agent(x);
  c.run_for(200);
  c.start_agent(x);
  c.run_for(3000);
  CHECK_FALSE(c.log().first_false_death_ms.has_value());
  CHECK(c.log().double_active_ms == 0);
  CHECK(copies(c, "R1") == 1);
  const RunResult r = finish(c);
  CHECK(r.ok());
}

TEST_CASE("a machine that restarts faster than the failure timeout: its resources, dead with it, are started again") {
  // Regression (seed 408): the DC cleared the hellos it had before its term,
  // so the new session of such a node went unnoticed and its dead resources
  // stayed Started in the status for good.
  SimCluster c({3, 2, 13});
  c.run_for(4000);
  const uint32_t x = runs_on(c, "R1");
  REQUIRE(x != 0);
  c.crash_machine(x);
  c.run_for(300);
  c.restart_machine(x);
  c.run_for(3000);
  CHECK(copies(c, "R1") == 1);
  const RunResult r = finish(c);
  CHECK(r.ok());
}

TEST_CASE("a hung stop leaves the resource blocked where it was, never started elsewhere") {
  SimCluster c({3, 1, 14});
  c.run_for(4000);
  const uint32_t x = runs_on(c, "R1");
  REQUIRE(x != 0);
  c.executor(x).faults("R1").hang_next_stop = true;
  c.executor(x).kill_resource("R1");  // its monitor fails: recovery stops it first, and the stop hangs
  for (int i = 0; i < 20000; ++i) {
    c.step();
    REQUIRE(copies(c, "R1") <= 1);
  }
  const RunResult r = finish(c);
  CHECK(r.ok());
  const SimAgent* dc = c.agent(1);
  REQUIRE(dc);
  const core::Transition t = core::schedule(core::read_cib(dc->cib()), {1700000000 + c.now_ms() / 1000, false});
  const core::ResourcePlacement* p = t.find("R1");
  REQUIRE(p);
  CHECK(p->blocked);  // a failed stop without fencing: blocked until cleanup
  CHECK(copies(c, "R1") == 0);
}

TEST_CASE("a configuration write from a member is acknowledged and lands everywhere") {
  SimCluster c({3, 1, 15});
  c.run_for(4000);
  c.write(3, WriteKind::add, "R9");
  c.write(2, WriteKind::remove, "R1");
  c.run_for(2000);
  REQUIRE(c.log().writes.size() == 2);
  CHECK(c.log().writes[0].code == 0);
  CHECK(c.log().writes[1].code == 0);
  const RunResult r = finish(c);
  CHECK(r.ok());
  CHECK(r.writes.acked == 2);
  for (uint32_t id = 1; id <= 3; ++id) {
    CHECK(c.agent(id)->cib().find_id("R9") != nullptr);
    CHECK(c.agent(id)->cib().find_id("R1") == nullptr);
  }
  CHECK(runs_on(c, "R9") != 0);
  CHECK(copies(c, "R1") == 0);  // deleted while running: stopped as an orphan
}

TEST_CASE("seeds that found bugs replay clean") {
  // 408, 76, 246, 357: a machine restart faster than the failure timeout
  //   after the DC's term began (hellos cleared at the term start);
  // 12, 342: a CIB push lost with a broken bulk connection, the DC believing
  //   the member in sync (net/cib_sync: pushes are confirmed now);
  // 189, 197, 219, 304, 377: a deleted resource running on a node whose
  //   history was wiped for a re-probe: never probed, never stopped
  //   (core/status_edits: wipe_node_history keeps orphans);
  // 2280: a node's hello lost with a broken connection, then its machine
  //   restarted: the DC, which never knew its first session, missed the
  //   new one (core/control: a first hello from a node the DC runs monitors on);
  // 5921, 5924, 6717: a resource active on two nodes without any false death:
  //   the first transition of a new DC's term ran on the history its term
  //   start had just wiped (core/control: a schedule applies the edits
  //   emitted earlier in the same event);
  // 8862: a start whose result was lost (broken bulk link) passed its
  //   deadline, counted as failed but recorded nowhere: started again
  //   elsewhere while it ran (core/control: recorded as timed out).
  // 1310 2390 2658 2749: a resource on two nodes after a split whose stop
  //   then hung on one (blocked): the other node's history was wiped for a
  //   re-probe, and no probe was scheduled for an unmanaged resource, so it
  //   ran on there unseen (core/scheduler: unmanaged resources are probed too).
  for (uint64_t seed : {408, 76, 246, 357, 12, 342, 189, 197, 219, 304, 377, 2280, 5921, 5924, 6717, 8862,
                        1310, 2390, 2658, 2749}) {
    const FaultSchedule s = make_schedule(seed);
    const RunResult r = run_schedule(s);
    if (!r.ok()) std::printf("%s", r.report(s).c_str());
    CHECK_MESSAGE(r.ok(), "seed " << seed);
  }
}

// Open: found by the simulator, not fixed (they need the node to tell the DC
// what its executor holds, as Pacemaker's controller refreshes the whole
// executor state on join; a change of the daemon's hello). Run with
// --no-skip to see them fail.
// - 1149 1556 1583 2014 2825 2975 2978: a resource deleted from the
//   configuration after its node's history was wiped for a re-probe (and
//   before the probe answered) runs on, invisible: nothing probes an orphan.
// - 7420 7428: a recurring monitor's failure sent while the bulk connection
//   to the DC was broken (a one-way cut that changed no view): lost, and the
//   executor reports only changes, so the DC never learns the resource died.
TEST_CASE("open: seeds the simulator found that are not fixed yet" * doctest::skip()) {
  for (uint64_t seed : {1149, 1556, 1583, 2014, 2825, 2975, 2978, 7420, 7428}) {
    const FaultSchedule s = make_schedule(seed);
    const RunResult r = run_schedule(s);
    if (!r.ok()) std::printf("%s", r.report(s).c_str());
    CHECK_MESSAGE(r.ok(), "seed " << seed);
  }
}

}  // namespace hactl::test::sim
