// CibSync driven by real (simulated) membership views: views change at
// slightly different moments on different nodes, as they do on a network.
// Bulk messages travel on a reliable in-memory bus that respects partitions.
#include <doctest/doctest.h>

#include <deque>
#include <map>

#include "net/cib_sync.h"
#include "net/election.h"
#include "test/net/sim_support.h"

using namespace hactl::net;

namespace {

struct Cluster {
  sim::SimNetwork net;
  std::map<NodeId, CibSync> syncs;
  std::map<NodeId, std::vector<NodeId>> views;
  std::deque<std::tuple<NodeId, NodeId, CibMessage>> bus;

  explicit Cluster(std::size_t n) : net([n] {
    sim::SimConfig c;
    c.nodes = n;
    c.seed = 3;
    return c;
  }()) {
    for (NodeId id = 1; id <= n; ++id) syncs.emplace(id, CibSync(id, CibCopy{CibVersion{0, 1, 0}, "initial"}));
    net.start_all();
  }
  void absorb(NodeId at, CibEffects& fx) {
    for (auto& s : fx.sends) bus.emplace_back(at, s.to, std::move(s.message));
    fx.clear();
  }
  // Advances simulated time in 5 ms steps, feeding view changes and bulk messages.
  void run(Millis d) {
    for (Millis t{0}; t < d; t += Millis(5)) {
      net.run_for(Millis(5));
      for (auto& [id, sync] : syncs) {
        if (!net.running(id)) continue;
        auto up = net.node(id).membership().up_members();
        if (up == views[id]) continue;
        views[id] = up;
        CibEffects fx;
        sync.on_view(up, elect(up), fx);
        absorb(id, fx);
      }
      while (!bus.empty()) {
        auto [from, to, msg] = std::move(bus.front());
        bus.pop_front();
        if (!net.reachable(from, to) || !net.running(to) || !net.running(from)) continue;
        CibEffects fx;
        syncs.at(to).on_message(from, msg, fx);
        absorb(to, fx);
      }
    }
  }
  void change_on_dc(NodeId dc, const std::string& text) {
    CibSync& s = syncs.at(dc);
    REQUIRE(s.is_dc());
    CibVersion v = s.local().version;
    ++v.epoch;
    CibEffects fx;
    s.local_changed(CibCopy{v, text}, fx);
    absorb(dc, fx);
  }
};

}  // namespace

TEST_CASE("sim: CIB changes made on both sides of a partition; after healing the highest version is everywhere") {
  Cluster c(5);
  c.run(Millis(1000));
  REQUIRE(c.net.converged());
  c.change_on_dc(1, "before split");
  c.run(Millis(100));
  for (auto& [id, s] : c.syncs) CHECK(s.local().cib == "before split");
  c.net.partition({{1, 2}, {3, 4, 5}});
  c.run(Millis(3000));
  REQUIRE(c.net.converged());
  c.change_on_dc(1, "minority");  // epoch 3
  c.change_on_dc(3, "majority a");
  c.change_on_dc(3, "majority b");  // epoch 4
  c.run(Millis(100));
  CHECK(c.syncs.at(2).local().cib == "minority");
  CHECK(c.syncs.at(4).local().cib == "majority b");
  c.net.heal();
  c.run(Millis(2000));
  REQUIRE(c.net.converged());
  for (auto& [id, s] : c.syncs) {
    CAPTURE(id);
    CHECK(s.local() == CibCopy{CibVersion{0, 4, 0}, "majority b"});
  }
  CHECK(c.syncs.at(1).in_sync());
  // A node that was down while the CIB changed gets the current one when it returns.
  c.net.crash(5);
  c.run(Millis(1500));
  c.change_on_dc(1, "while 5 was down");
  c.run(Millis(100));
  c.net.restart(5);
  c.syncs.erase(5);
  c.syncs.emplace(5, CibSync(5, CibCopy{CibVersion{0, 4, 0}, "majority b"}));  // what it had on disk
  c.views.erase(5);
  c.run(Millis(1500));
  CHECK(c.syncs.at(5).local().cib == "while 5 was down");
}
