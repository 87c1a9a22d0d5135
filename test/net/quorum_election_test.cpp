#include <doctest/doctest.h>

#include "net/election.h"
#include "net/quorum.h"
#include "test/net/sim_support.h"

using namespace hactl::net;

TEST_CASE("election: lowest up id, none for an empty view") {
  CHECK(elect({3, 1, 2}) == NodeId{1});
  CHECK(elect({5}) == NodeId{5});
  CHECK_FALSE(elect({}).has_value());
  CHECK(elect({9, 4, 7}) == NodeId{4});
}

TEST_CASE("quorum: more than half of the votes") {
  struct Case {
    std::size_t nodes;
    std::vector<NodeId> up;
    bool quorate;
    std::uint32_t needed;
  };
  const Case cases[] = {
      {3, {1, 2, 3}, true, 2}, {3, {1, 2}, true, 2},     {3, {3}, false, 2},       {4, {1, 2}, false, 3},
      {4, {1, 2, 3}, true, 3}, {5, {1, 2, 3}, true, 3},  {5, {4, 5}, false, 3},    {1, {1}, true, 1},
      {3, {}, false, 2},       {5, {1, 2, 3, 4, 5}, true, 3},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(i);
    std::vector<NodeId> ids;
    for (NodeId id = 1; id <= cases[i].nodes; ++id) ids.push_back(id);
    const QuorumState s = compute_quorum(QuorumConfig::defaults_for(ids), cases[i].up, true);
    CHECK(s.quorate == cases[i].quorate);
    CHECK(s.needed == cases[i].needed);
  }
}

TEST_CASE("quorum: weighted votes") {
  QuorumConfig c;
  c.votes = {{1, 3}, {2, 1}, {3, 1}};
  CHECK(compute_quorum(c, {1}, true).quorate);  // 3 of 5
  CHECK_FALSE(compute_quorum(c, {2, 3}, true).quorate);
  CHECK(compute_quorum(c, {2, 3}, true).present_votes == 2);
}

TEST_CASE("quorum: two_node implies wait_for_all, then a lone node keeps quorum") {
  QuorumTracker t(QuorumConfig::defaults_for({1, 2}));
  QuorumState s = t.update({1});  // booted alone
  CHECK_FALSE(s.quorate);
  CHECK(s.waiting_for_all);
  CHECK(s.needed == 1);
  s = t.update({1, 2});
  CHECK(s.quorate);
  s = t.update({1});  // peer lost: still quorate (fencing arbitrates)
  CHECK(s.quorate);
  CHECK_FALSE(s.waiting_for_all);
  // A freshly started process forgets: it waits for all again.
  QuorumTracker restarted(QuorumConfig::defaults_for({1, 2}));
  CHECK_FALSE(restarted.update({2}).quorate);
}

TEST_CASE("quorum: wait_for_all on a three-node cluster") {
  QuorumConfig c = QuorumConfig::defaults_for({1, 2, 3});
  CHECK_FALSE(c.two_node);
  c.wait_for_all = true;
  QuorumTracker t(c);
  CHECK_FALSE(t.update({1, 2}).quorate);  // majority, but not everyone seen yet
  CHECK(t.update({1, 2}).waiting_for_all);
  CHECK(t.update({1, 2, 3}).quorate);
  CHECK(t.update({2, 3}).quorate);
  CHECK_FALSE(t.update({3}).quorate);
  CHECK_FALSE(t.update({3}).waiting_for_all);
}

TEST_CASE("sim: every partition agrees on one DC; only the majority is quorate") {
  using namespace hactl::net::test;
  sim::SimConfig cfg;
  cfg.nodes = 5;
  cfg.seed = 11;
  sim::SimNetwork net(cfg);
  net.start_all();
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
  const QuorumConfig qc = QuorumConfig::defaults_for({1, 2, 3, 4, 5});
  auto dc_of = [&](NodeId id) { return elect(net.node(id).membership().up_members()); };
  for (NodeId id = 1; id <= 5; ++id) CHECK(dc_of(id) == NodeId{1});
  net.partition({{1, 2}, {3, 4, 5}});
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
  CHECK(dc_of(1) == NodeId{1});
  CHECK(dc_of(2) == NodeId{1});
  for (NodeId id : {3, 4, 5}) {
    CHECK(dc_of(id) == NodeId{3});
    CHECK(compute_quorum(qc, net.node(id).membership().up_members(), true).quorate);
  }
  CHECK_FALSE(compute_quorum(qc, net.node(1).membership().up_members(), true).quorate);
  net.heal();
  REQUIRE(net.run_until([&] { return net.converged(); }, Millis(5000)));
  for (NodeId id = 1; id <= 5; ++id) CHECK(dc_of(id) == NodeId{1});
}

TEST_CASE("sim: a cold-started 3-node cluster agrees on a quorate DC quickly") {
  using namespace hactl::net::test;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    sim::SimConfig cfg;
    cfg.nodes = 3;
    cfg.seed = seed;
    sim::SimNetwork net(cfg);
    const TimePoint t0 = net.now();
    net.start_all();
    const QuorumConfig qc = QuorumConfig::defaults_for({1, 2, 3});
    auto agreed = [&] {
      for (NodeId id = 1; id <= 3; ++id) {
        const auto up = net.node(id).membership().up_members();
        if (elect(up) != NodeId{1} || !compute_quorum(qc, up, true).quorate) return false;
      }
      return true;
    };
    REQUIRE(net.run_until(agreed, Millis(5000)));
    CHECK(ms_between(t0, net.now()) < 1000);
  }
}
