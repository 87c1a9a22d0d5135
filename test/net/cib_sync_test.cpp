// CibSync on an in-memory, reliable message bus with partitions: joins,
// heals and change requests end with every member on the highest version.
#include <doctest/doctest.h>

#include <deque>
#include <map>

#include "net/cib_sync.h"
#include "net/election.h"

using namespace hactl::net;

namespace {

struct Bus {
  std::map<NodeId, CibSync> nodes;
  std::map<NodeId, int> group;  // nodes in the same group reach each other
  std::deque<std::pair<NodeId, CibSend>> queue;
  std::vector<IncomingChange> changes;   // seen by DCs
  std::vector<CibChangeReply> replies;   // seen by requesters
  std::size_t adopted = 0;

  explicit Bus(std::size_t n, const std::map<NodeId, CibCopy>& initial = {}) {
    for (NodeId id = 1; id <= n; ++id) {
      auto it = initial.find(id);
      nodes.emplace(id, CibSync(id, it != initial.end() ? it->second : CibCopy{CibVersion{0, 1, 0}, "v1"}));
      group[id] = 0;
    }
  }
  void absorb(NodeId at, CibEffects& fx) {
    for (auto& s : fx.sends) queue.emplace_back(at, std::move(s));
    if (fx.adopt) ++adopted;
    for (auto& c : fx.changes) changes.push_back(c);
    for (auto& r : fx.replies) replies.push_back(r);
    fx.clear();
  }
  // Every node's view: the members of its group (what converged membership gives).
  void views() {
    for (auto& [id, sync] : nodes) {
      std::vector<NodeId> up;
      for (auto& [other, g] : group)
        if (g == group[id]) up.push_back(other);
      CibEffects fx;
      sync.on_view(up, elect(up), fx);
      absorb(id, fx);
    }
  }
  void run() {
    for (int guard = 0; guard < 10000 && !queue.empty(); ++guard) {
      auto [from, send] = std::move(queue.front());
      queue.pop_front();
      if (group[from] != group[send.to]) continue;
      CibEffects fx;
      // Through the codec, as on the wire.
      nodes.at(send.to).on_message(from, *decode_cib_message(encode_cib_message(send.message)), fx);
      absorb(send.to, fx);
    }
    REQUIRE(queue.empty());
  }
  // The DC applies a change: bump the epoch, keep the text.
  void dc_applies(NodeId dc, const std::string& text) {
    CibSync& s = nodes.at(dc);
    CibVersion v = s.local().version;
    ++v.epoch;
    v.num_updates = 0;
    CibEffects fx;
    s.local_changed(CibCopy{v, text}, fx);
    absorb(dc, fx);
  }
};

}  // namespace

TEST_CASE("cib sync: a node that joins with an old CIB receives the DC's") {
  Bus bus(3, {{3, CibCopy{CibVersion{0, 1, 0}, "old"}}, {1, CibCopy{CibVersion{0, 4, 2}, "current"}},
              {2, CibCopy{CibVersion{0, 4, 2}, "current"}}});
  bus.views();
  bus.run();
  for (auto& [id, s] : bus.nodes) CHECK(s.local() == CibCopy{CibVersion{0, 4, 2}, "current"});
  CHECK(bus.nodes.at(1).in_sync());
}

TEST_CASE("cib sync: a member holding a newer CIB wins over the DC") {
  Bus bus(3, {{2, CibCopy{CibVersion{1, 0, 0}, "admin bumped"}}});
  bus.views();
  bus.run();
  for (auto& [id, s] : bus.nodes) {
    CAPTURE(id);
    CHECK(s.local() == CibCopy{CibVersion{1, 0, 0}, "admin bumped"});
  }
  CHECK(bus.nodes.at(1).in_sync());
}

TEST_CASE("cib sync: after a partition heals the side with the highest version wins") {
  Bus bus(5);
  bus.views();
  bus.run();
  bus.group = {{1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 2}};
  bus.views();
  bus.run();
  CHECK(bus.nodes.at(3).is_dc());
  bus.dc_applies(1, "minority change");  // epoch 2
  bus.dc_applies(3, "majority change 1");
  bus.dc_applies(3, "majority change 2");  // epoch 3
  bus.run();
  CHECK(bus.nodes.at(2).local().cib == "minority change");
  CHECK(bus.nodes.at(5).local().cib == "majority change 2");
  for (auto& [id, g] : bus.group) g = 0;
  bus.views();
  bus.run();
  for (auto& [id, s] : bus.nodes) {
    CAPTURE(id);
    CHECK(s.local() == CibCopy{CibVersion{0, 3, 0}, "majority change 2"});
  }
  CHECK(bus.nodes.at(1).in_sync());
}

TEST_CASE("cib sync: change requests go to the DC, replies come back, the result is pushed") {
  Bus bus(3);
  bus.views();
  bus.run();
  CibEffects fx;
  const std::uint64_t id = bus.nodes.at(3).request_change("set x=1", fx);
  bus.absorb(3, fx);
  bus.run();
  REQUIRE(bus.changes.size() == 1);
  CHECK(bus.changes[0].from == 3);
  CHECK(bus.changes[0].request_id == id);
  CHECK(bus.changes[0].change == "set x=1");
  bus.dc_applies(1, "x=1");
  bus.nodes.at(1).reply(3, CibChangeReply{id, 0, "", bus.nodes.at(1).local().version}, fx);
  bus.absorb(1, fx);
  bus.run();
  REQUIRE(bus.replies.size() == 1);
  CHECK(bus.replies[0].request_id == id);
  for (auto& [n, s] : bus.nodes) CHECK(s.local().cib == "x=1");
  // Pushes from a node that is not our DC are ignored.
  bus.nodes.at(2).on_message(3, CibFull{0, CibVersion{5, 0, 0}, "rogue"}, fx);
  CHECK_FALSE(fx.adopt);
  CHECK(bus.nodes.at(2).local().cib == "x=1");
  // Without a DC a request is refused locally.
  CibSync lonely(9, CibCopy{});
  CibEffects none;
  lonely.request_change("y", none);
  CHECK(none.not_sent.size() == 1);
}

TEST_CASE("cib sync: a push that arrives before the member's view includes the DC is recovered") {
  Bus bus(2, {{1, CibCopy{CibVersion{0, 4, 0}, "dc"}}, {2, CibCopy{CibVersion{0, 1, 0}, "old"}}});
  // Node 2 still sees itself alone (its membership has not caught up).
  CibEffects fx;
  bus.nodes.at(2).on_view({2}, NodeId{2}, fx);
  bus.absorb(2, fx);
  bus.nodes.at(1).on_view({1, 2}, NodeId{1}, fx);
  bus.absorb(1, fx);
  bus.run();
  CHECK(bus.nodes.at(2).local().cib == "old");  // the DC's query and push were ignored
  bus.nodes.at(2).on_view({1, 2}, NodeId{1}, fx);  // node 2 catches up
  bus.absorb(2, fx);
  bus.run();
  CHECK(bus.nodes.at(2).local() == CibCopy{CibVersion{0, 4, 0}, "dc"});
  CHECK(bus.nodes.at(1).in_sync());
}
