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

TEST_CASE("sim: no false positive under 10% and 20% loss over ten simulated minutes") {
  for (double loss : {0.10, 0.20}) {
    for (std::size_t n : {2, 3, 5, 10}) {
      CAPTURE(loss);
      CAPTURE(n);
      SimNetwork net(cluster(n, 1000 + n));
      net.start_all();
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      const TimePoint t0 = net.now();
      net.set_loss(loss);
      net.run_for(Millis(600'000));
      std::uint64_t suspicions = 0, refutations = 0;
      for (NodeId id = 1; id <= n; ++id) {
        suspicions += net.node(id).membership().stats().suspicions;
        refutations += net.node(id).membership().stats().refutations;
      }
      MESSAGE(n << " nodes, " << loss * 100 << "% loss, 600 s: false deaths " << false_deaths(net, t0)
                << ", suspicions " << suspicions << ", refutations " << refutations);
      CHECK(false_deaths(net, t0) == 0);
      CHECK(net.stalled_ticks() == 0);
      // ... and detection still works at that loss rate.
      const TimePoint crashed = net.now();
      net.crash(static_cast<NodeId>(n));
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      const Detection d = detection(net, static_cast<NodeId>(n), crashed);
      REQUIRE(d.all_ms);
      MESSAGE("  then a crash is agreed on after " << *d.all_ms << " ms");
    }
  }
}

// The namespace lab cannot delay packets where the kernel has no netem; the
// delay is tested here: one-way latency 50 ms plus up to 50 ms of jitter (a
// round trip of 100-200 ms, beyond the 100 ms probe period). Without loss no
// live node may be declared dead. With 10% loss on top, false deaths do occur
// (3 nodes; docs/RELIABILITY.md): only convergence and detection are required.
TEST_CASE("sim: no false death with 50 ms delay and 50 ms jitter") {
  for (double loss : {0.0, 0.10}) {
    for (std::size_t n : {2, 3, 5}) {
      CAPTURE(loss);
      CAPTURE(n);
      SimConfig c = cluster(n, 3000 + n);
      c.delay = sim::Micros(50'000);
      c.jitter = sim::Micros(50'000);
      SimNetwork net(c);
      net.start_all();
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(10000)));
      const TimePoint t0 = net.now();
      net.set_loss(loss);
      net.run_for(Millis(120'000));
      const std::size_t deaths = false_deaths(net, t0);
      std::uint64_t suspicions = 0;
      for (NodeId id = 1; id <= n; ++id) suspicions += net.node(id).membership().stats().suspicions;
      if (loss == 0.0) CHECK(deaths == 0);
      net.set_loss(0.0);
      CHECK(net.run_until([&] { return net.converged(); }, Millis(5000)));
      // ... and a crash is still agreed on.
      const TimePoint crashed = net.now();
      net.crash(static_cast<NodeId>(n));
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      const Detection d = detection(net, static_cast<NodeId>(n), crashed);
      REQUIRE(d.all_ms);
      MESSAGE(n << " nodes, 50+50 ms delay, " << loss * 100 << "% loss, 120 s: false deaths " << deaths
                << ", suspicions " << suspicions << "; then a crash agreed on after " << *d.all_ms << " ms");
      CHECK(*d.all_ms < 2000);
    }
  }
}

TEST_CASE("sim: partitions are detected on both sides and heal") {
  // A node cut off from everyone sees all its probes fail without nacks, so
  // Lifeguard's awareness stretches its probe period (up to awareness_max x):
  // it takes longer to give up its peers than the majority takes to drop it.
  struct Case {
    std::size_t n;
    std::vector<std::vector<NodeId>> groups;
    double max_split_ms;
  };
  const Case cases[] = {
      {2, {{1}, {2}}, 1500},
      {3, {{1}, {2, 3}}, 1500},
      {5, {{1, 2}, {3, 4, 5}}, 1500},
      {5, {{1}, {2}, {3, 4, 5}}, 4000},
  };
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CAPTURE(c.groups.size());
    SimNetwork net(cluster(c.n, 99));
    net.start_all();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    net.run_for(Millis(500));
    const TimePoint split = net.now();
    net.partition(c.groups);
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    const double split_ms = ms_between(split, net.now());
    CHECK(split_ms < c.max_split_ms);
    net.run_for(Millis(3000));
    CHECK(net.converged());  // stable while split
    const TimePoint healed = net.now();
    net.heal();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    const double heal_ms = ms_between(healed, net.now());
    MESSAGE(c.n << " nodes in " << c.groups.size() << " partitions: views agree " << split_ms
                << " ms after the split, " << heal_ms << " ms after healing");
    CHECK(heal_ms < 1500);
    net.run_for(Millis(5000));
    CHECK(net.converged());
    CHECK(false_deaths(net, healed + Millis(1500)) == 0);
  }
}

TEST_CASE("sim: a restarted node rejoins with a higher incarnation") {
  for (std::size_t n : {2, 3, 5}) {
    CAPTURE(n);
    SimNetwork net(cluster(n, 5));
    net.start_all();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    net.run_for(Millis(1000));
    const std::uint32_t before = net.node(1 + (n > 2)).membership().incarnation_of(2);
    net.crash(2);
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    net.run_for(Millis(2000));
    const TimePoint back = net.now();
    net.restart(2);
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
    MESSAGE(n << " nodes: restarted node back in every view after " << ms_between(back, net.now()) << " ms");
    CHECK(ms_between(back, net.now()) < 1000);
    CHECK(net.node(1).membership().incarnation_of(2) > before);
    // A quick restart, before anyone noticed: the node must still end up alive everywhere.
    net.restart(2);
    net.run_for(Millis(5000));
    CHECK(net.converged());
  }
}

namespace {

struct ScaleFigures {
  double startup_ms = 0, detect_first_ms = 0, detect_all_ms = 0, rejoin_ms = 0;
  double datagrams_per_node_s = 0, bytes_per_node_s = 0;
};

ScaleFigures run_scale(std::size_t n, std::uint64_t seed) {
  ScaleFigures f;
  SimNetwork net(cluster(n, seed));
  const TimePoint t0 = net.now();
  net.start_all();
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
  f.startup_ms = ms_between(t0, net.now());
  net.run_for(Millis(2000));
  const auto before = net.traffic();
  net.run_for(Millis(10000));
  const auto after = net.traffic();
  f.datagrams_per_node_s = static_cast<double>(after.datagrams - before.datagrams) / static_cast<double>(n) / 10.0;
  f.bytes_per_node_s = static_cast<double>(after.bytes - before.bytes) / static_cast<double>(n) / 10.0;
  CHECK(net.converged());
  CHECK(false_deaths(net, t0) == 0);
  const TimePoint crashed = net.now();
  const NodeId victim = static_cast<NodeId>(n / 2);
  net.crash(victim);
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
  const Detection d = detection(net, victim, crashed);
  REQUIRE(d.first_ms);
  REQUIRE(d.all_ms);
  f.detect_first_ms = *d.first_ms;
  f.detect_all_ms = *d.all_ms;
  // The node comes back: everyone must see it, and it must see everyone
  // (it asks a peer for the member table instead of meeting 499 nodes).
  const TimePoint back = net.now();
  net.restart(victim);
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
  f.rejoin_ms = ms_between(back, net.now());
  const TimePoint rejoined = net.now();
  net.run_for(Millis(5000));
  CHECK(net.converged());
  CHECK(false_deaths(net, rejoined) == 0);
  CHECK(net.stalled_ticks() == 0);
  return f;
}

}  // namespace

TEST_CASE("sim: 100 and 500 nodes start, detect a crash and agree") {
  for (std::size_t n : {100, 500}) {
    CAPTURE(n);
    const ScaleFigures f = run_scale(n, 4242);
    MESSAGE(n << " nodes: all views agree " << f.startup_ms << " ms after a cold start; crash declared after "
              << f.detect_first_ms << " ms, by all " << f.detect_all_ms << " ms; restarted node in all views after "
              << f.rejoin_ms << " ms; steady state "
              << f.datagrams_per_node_s << " datagrams and " << f.bytes_per_node_s << " bytes sent per node per s");
    // Suspicion scales with log10(n): min 400 ms at 100 nodes, 540 ms at 500.
    CHECK(f.detect_all_ms < 3000);
    CHECK(f.startup_ms < 10000);
    CHECK(f.rejoin_ms < 3000);
  }
}

TEST_CASE("sim: a node frozen for less than the suspicion time survives; a long freeze is a failure") {
  // A frozen node answers nothing; it is declared dead only if no refutation
  // arrives before the suspicion timer: the freeze must outlast detection.
  struct Case {
    std::size_t n;
    int freeze_ms;
    bool survives;
  };
  const Case cases[] = {{3, 150, true}, {5, 150, true}, {3, 2000, false}, {5, 2000, false}};
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CAPTURE(c.freeze_ms);
    int survived = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      SimNetwork net(cluster(c.n, seed));
      net.start_all();
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      net.run_for(Millis(500 + 13 * seed));
      const TimePoint t0 = net.now();
      net.pause(2, Millis(c.freeze_ms));
      net.run_for(Millis(c.freeze_ms + 3000));
      CHECK(net.converged());  // in every case the node is back in all views by now
      if (false_deaths(net, t0) == 0) ++survived;
    }
    if (c.survives)
      CHECK(survived == 20);
    else
      CHECK(survived == 0);
  }
}

TEST_CASE("sim: a node waking from a long freeze does not declare the others dead for its own stall") {
  // Its probe and suspicion deadlines passed while it was frozen, not while
  // the others were silent: the acks waiting in its socket buffer show they
  // are alive. Accusing them would make it act as its own DC and start their
  // resources a second time (issue: double activation under load).
  for (std::size_t n : {2, 3, 5}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      CAPTURE(n);
      CAPTURE(seed);
      SimNetwork net(cluster(n, seed));
      net.start_all();
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
      net.run_for(Millis(500 + 13 * seed));
      const TimePoint t0 = net.now();
      net.pause(2, Millis(1500));
      net.run_for(Millis(1500 + 3000));
      CHECK(net.converged());
      int accused = 0;
      for (const auto& o : net.observations())
        if (o.at >= t0 && o.observer == 2 && o.event.state == MemberState::dead) ++accused;
      CHECK(accused == 0);
    }
  }
}
