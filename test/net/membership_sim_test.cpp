// Protocol tests on the simulated network: startup convergence, crash
// detection, loss, partitions, rejoin. Figures are printed with MESSAGE so a
// run of the suite doubles as a measurement (simulated milliseconds).
#include <doctest/doctest.h>

#include "test/net/sim_support.h"

using namespace hactl::net;
using namespace hactl::net::test;
using sim::SimConfig;
using sim::SimNetwork;

namespace {

SimConfig cluster(std::size_t n, std::uint64_t seed, double loss = 0.0) {
  SimConfig c;
  c.nodes = n;
  c.seed = seed;
  c.loss = loss;
  return c;
}

}  // namespace

TEST_CASE("sim: a fresh cluster converges and stays converged") {
  for (std::size_t n : {2, 3, 5}) {
    CAPTURE(n);
    SimNetwork net(cluster(n, 7));
    const TimePoint t0 = net.now();
    net.start_all();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    MESSAGE(n << " nodes: all views agree after " << ms_between(t0, net.now()) << " ms");
    CHECK(ms_between(t0, net.now()) < 1000);
    net.run_for(Millis(10000));
    CHECK(net.converged());
    CHECK(false_deaths(net, t0) == 0);
    CHECK(net.stalled_ticks() == 0);
  }
}

TEST_CASE("sim: a crashed node is declared dead by every survivor within a second") {
  for (std::size_t n : {2, 3, 5}) {
    std::vector<double> first, all;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      CAPTURE(n);
      CAPTURE(seed);
      SimNetwork net(cluster(n, seed));
      net.start_all();
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      net.run_for(Millis(1000 + 37 * seed));  // crash at varied phases of the probe cycle
      const NodeId victim = static_cast<NodeId>(1 + seed % n);
      const TimePoint crashed = net.now();
      net.crash(victim);
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      const Detection d = detection(net, victim, crashed);
      REQUIRE(d.first_ms);
      REQUIRE(d.all_ms);
      first.push_back(*d.first_ms);
      all.push_back(*d.all_ms);
      CHECK(*d.all_ms < 1000);
    }
    MESSAGE(n << " nodes, 40 crashes: first detection median " << percentile(first, 0.5) << " ms, p99 "
              << percentile(first, 0.99) << " ms; all survivors agree median " << percentile(all, 0.5)
              << " ms, max " << percentile(all, 1.0) << " ms");
  }
}
