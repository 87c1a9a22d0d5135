// Measurements on the simulated network, skipped by default (they take tens
// of seconds); run with: net_tests -tc="bench:*" --no-skip
#include <doctest/doctest.h>

#include <cstdlib>

#include "test/net/sim_support.h"

using namespace hactl::net;
using namespace hactl::net::test;
using sim::SimConfig;
using sim::SimNetwork;

TEST_CASE("bench: false deaths at 20% loss and detection, for candidate timings" * doctest::skip()) {
  struct Timing {
    int interval, timeout, base;
  };
  for (const Timing t : {Timing{100, 40, 200}, Timing{80, 30, 200}, Timing{80, 30, 160}}) {
    for (std::size_t n : {3, 5, 10}) {
      std::size_t fd = 0;
      std::vector<double> det;
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        SimConfig c;
        c.nodes = n;
        c.seed = seed * 31 + n;
        c.membership.probe_interval = Millis(t.interval);
        c.membership.probe_timeout = Millis(t.timeout);
        c.membership.suspicion_base = Millis(t.base);
        SimNetwork net(c);
        net.start_all();
        net.run_until([&] { return net.converged(); }, Millis(5000));
        const TimePoint t0 = net.now();
        net.set_loss(0.2);
        net.run_for(Millis(600'000));
        fd += false_deaths(net, t0);
        net.set_loss(0.0);
        for (int i = 0; i < 10; ++i) {
          net.run_until([&] { return net.converged(); }, Millis(5000));
          net.run_for(Millis(500 + 77 * i));
          const NodeId v = static_cast<NodeId>(1 + i % n);
          const TimePoint crashed = net.now();
          net.crash(v);
          net.run_until([&] { return net.converged(); }, Millis(5000));
          if (auto d = detection(net, v, crashed); d.all_ms) det.push_back(*d.all_ms);
          net.restart(v);
        }
      }
      MESSAGE("probe " << t.interval << "/" << t.timeout << " ms, suspicion " << t.base << " ms, " << n
                       << " nodes: false deaths in 3x600 s at 20% loss: " << fd << "; detection (no loss) median "
                       << percentile(det, 0.5) << " ms, p99 " << percentile(det, 0.99) << " ms");
    }
  }
}

TEST_CASE("bench: detection time and traffic at 10, 100, 500 nodes" * doctest::skip()) {
  for (std::size_t n : {3, 10, 100, 500}) {
    SimConfig c;
    c.nodes = n;
    c.seed = 77 + n;
    SimNetwork net(c);
    const TimePoint t0 = net.now();
    net.start_all();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
    const double startup = ms_between(t0, net.now());
    net.run_for(Millis(2000));
    const auto before = net.traffic();
    net.run_for(Millis(10000));
    const auto after = net.traffic();
    std::vector<double> first, all;
    const int crashes = n >= 500 ? 10 : 30;
    for (int i = 0; i < crashes; ++i) {
      const NodeId v = static_cast<NodeId>(1 + (i * 7919) % n);
      net.run_for(Millis(300 + 53 * i));
      const TimePoint crashed = net.now();
      net.crash(v);
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
      const Detection d = detection(net, v, crashed);
      first.push_back(*d.first_ms);
      all.push_back(*d.all_ms);
      net.restart(v);
      REQUIRE(net.run_until([&] { return net.converged(); }, Millis(30000)));
    }
    MESSAGE(n << " nodes: cold start to agreement " << startup << " ms; detection (" << crashes
              << " crashes) first median " << percentile(first, 0.5) << " p99 " << percentile(first, 0.99)
              << " ms, all survivors median " << percentile(all, 0.5) << " p99 " << percentile(all, 0.99)
              << " ms; per node per s: " << static_cast<double>(after.datagrams - before.datagrams) / n / 10.0
              << " datagrams, " << static_cast<double>(after.bytes - before.bytes) / n / 10.0 << " bytes");
  }
}

TEST_CASE("bench: 100 nodes, 120 s at 20% loss" * doctest::skip()) {
  SimConfig c;
  c.nodes = 100;
  c.seed = 5;
  SimNetwork net(c);
  net.start_all();
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(10000)));
  const TimePoint t0 = net.now();
  net.set_loss(0.2);
  net.run_for(Millis(120'000));
  std::uint64_t suspicions = 0;
  for (NodeId id = 1; id <= 100; ++id) suspicions += net.node(id).membership().stats().suspicions;
  MESSAGE("100 nodes, 120 s at 20% loss: false deaths " << false_deaths(net, t0) << ", suspicions " << suspicions);
  CHECK(false_deaths(net, t0) == 0);
}

TEST_CASE("bench: slow network (5 ms + up to 20 ms jitter, 10% loss), 300 s" * doctest::skip()) {
  for (std::size_t n : {3, 5, 10}) {
    SimConfig c;
    c.nodes = n;
    c.seed = 9 + n;
    c.delay = sim::Micros(5000);
    c.jitter = sim::Micros(20000);
    SimNetwork net(c);
    net.start_all();
    REQUIRE(net.run_until([&] { return net.converged(); }, Millis(10000)));
    const TimePoint t0 = net.now();
    net.set_loss(0.1);
    net.run_for(Millis(300'000));
    std::uint64_t suspicions = 0;
    for (NodeId id = 1; id <= n; ++id) suspicions += net.node(id).membership().stats().suspicions;
    MESSAGE(n << " nodes: false deaths " << false_deaths(net, t0) << ", suspicions " << suspicions);
  }
}

TEST_CASE("bench: how long a node may freeze before it is declared dead" * doctest::skip()) {
  for (std::size_t n : {3, 10}) {
    for (int freeze : {200, 250, 300, 350, 400, 500, 700}) {
      int declared = 0;
      for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        SimConfig c;
        c.nodes = n;
        c.seed = seed;
        SimNetwork net(c);
        net.start_all();
        net.run_until([&] { return net.converged(); }, Millis(5000));
        net.run_for(Millis(500 + 13 * seed));
        const TimePoint t0 = net.now();
        net.pause(2, Millis(freeze));
        net.run_for(Millis(freeze + 2000));
        if (false_deaths(net, t0) > 0) ++declared;
      }
      MESSAGE(n << " nodes, freeze " << freeze << " ms: declared dead in " << declared << " of 40 runs");
    }
  }
}
