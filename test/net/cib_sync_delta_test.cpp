// CibSync's status deltas on an in-memory bus: status changes travel as
// deltas to the members holding their base; a member that is behind, or on
// which a delta does not apply, gets the whole CIB instead; the text is
// rendered once per version however many members need it.
//
// The "CIB" here is a string and a delta is text appended to it: opaque to
// net/, as the real ones are.
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <functional>
#include <random>
#include <set>

#include "net/cib_sync.h"
#include "net/election.h"

using namespace hactl::net;

namespace {

struct DeltaBus {
  std::map<NodeId, std::string> docs;  // each node's CIB text (what its daemon holds)
  std::map<NodeId, CibSync> nodes;
  std::deque<std::pair<NodeId, CibSend>> queue;
  std::map<NodeId, int> renders;
  std::set<NodeId> refuse_deltas;  // their daemon cannot apply a delta (a copy that is not the base)
  std::size_t fulls = 0, deltas = 0, reports = 0;
  std::function<bool(NodeId from, NodeId to, const CibMessage&)> drop;  // lose a message

  explicit DeltaBus(std::size_t n) {
    for (NodeId id = 1; id <= n; ++id) {
      docs[id] = "cib";
      nodes.emplace(id, CibSync(id, CibVersion{0, 1, 0}, [this, id] {
                      ++renders[id];
                      return docs[id];
                    }));
    }
  }
  DeltaBus(const DeltaBus&) = delete;

  void absorb(NodeId at, CibEffects& fx) {
    for (auto& s : fx.sends) queue.emplace_back(at, std::move(s));
    if (fx.adopt) docs[at] = fx.adopt->cib;
    if (fx.apply_delta) {
      CibEffects again;
      if (refuse_deltas.count(at)) {
        nodes.at(at).delta_failed(fx.apply_delta->base, again);
      } else {
        docs[at] += fx.apply_delta->delta;
      }
      fx.clear();
      absorb(at, again);
      return;
    }
    fx.clear();
  }
  void views(const std::vector<NodeId>& up) {
    for (NodeId id : up) {
      CibEffects fx;
      nodes.at(id).on_view(up, elect(up), fx);
      absorb(id, fx);
    }
  }
  void run() {
    for (int guard = 0; guard < 10000 && !queue.empty(); ++guard) {
      auto [from, send] = std::move(queue.front());
      queue.pop_front();
      if (drop && drop(from, send.to, send.message)) continue;
      if (std::holds_alternative<CibFull>(send.message)) ++fulls;
      if (std::holds_alternative<CibStatusDelta>(send.message)) ++deltas;
      if (std::holds_alternative<CibVersionReport>(send.message)) ++reports;
      CibEffects fx;
      nodes.at(send.to).on_message(from, *decode_cib_message(encode_cib_message(send.message)), fx);
      absorb(send.to, fx);
    }
    REQUIRE(queue.empty());
  }
  // The DC's daemon records a status change: its text grows by `edit`.
  void status_change(NodeId dc, const std::string& edit) {
    CibSync& s = nodes.at(dc);
    CibVersion base = s.local_version();
    CibVersion next = base;
    ++next.num_updates;
    docs[dc] += edit;
    CibEffects fx;
    s.local_status_changed(base, next, edit, fx);
    absorb(dc, fx);
  }
  void config_change(NodeId dc, const std::string& text) {
    CibSync& s = nodes.at(dc);
    CibVersion next = s.local_version();
    ++next.epoch;
    next.num_updates = 0;
    docs[dc] = text;
    CibEffects fx;
    s.local_changed(CibCopy{next, text}, fx);
    absorb(dc, fx);
  }
  void check_converged() {
    const CibVersion v = nodes.at(1).local_version();
    for (auto& [id, s] : nodes) {
      CAPTURE(id);
      CHECK(s.local_version() == v);
      CHECK(docs[id] == docs[1]);
      CHECK(s.local_text() == docs[id]);
    }
    CHECK(nodes.at(1).in_sync());
  }
};

}  // namespace

TEST_CASE("cib sync delta: status changes reach in-sync members as deltas, never as the whole CIB") {
  DeltaBus bus(3);
  bus.views({1, 2, 3});
  bus.run();
  const std::size_t fulls = bus.fulls;
  for (int i = 0; i < 20; ++i) bus.status_change(1, "+" + std::to_string(i));
  bus.run();
  CHECK(bus.fulls == fulls);
  CHECK(bus.deltas == 40);
  CHECK(bus.renders[1] == 0);  // nobody needed the DC's text
  bus.check_converged();
}

TEST_CASE("cib sync delta: a member that lost a delta reports and gets the whole CIB, rendered once") {
  DeltaBus bus(3);
  bus.views({1, 2, 3});
  bus.run();
  bus.status_change(1, "+a");
  bool lost = false;
  bus.drop = [&](NodeId, NodeId to, const CibMessage& m) {
    if (lost || to == 1 || !std::holds_alternative<CibStatusDelta>(m)) return false;
    return lost = true;  // the first delta to a member, each time a member
  };
  bus.status_change(1, "+b");
  bus.run();
  bus.drop = [&](NodeId, NodeId to, const CibMessage& m) { return to == 3 && std::holds_alternative<CibStatusDelta>(m); };
  bus.status_change(1, "+c");  // node 3 loses this one too
  bus.run();
  bus.drop = nullptr;
  const int renders = bus.renders[1];
  bus.status_change(1, "+d");  // both members are behind: both report, each gets the whole CIB
  bus.run();
  CHECK(bus.renders[1] - renders <= 1);  // one text for every push of this version
  bus.check_converged();
  CHECK(bus.docs[2] == "cib+a+b+c+d");
}

TEST_CASE("cib sync delta: a delta the member's daemon cannot apply is replaced by the whole CIB") {
  DeltaBus bus(3);
  bus.views({1, 2, 3});
  bus.run();
  bus.refuse_deltas = {2};
  const std::size_t fulls = bus.fulls;
  bus.status_change(1, "+x");
  bus.run();
  CHECK(bus.fulls == fulls + 1);
  bus.check_converged();
}

TEST_CASE("cib sync delta: members not known to hold the base get the whole CIB") {
  DeltaBus bus(3);
  bus.views({1, 2, 3});  // the DC has asked, no answers yet
  bus.status_change(1, "+early");
  bus.run();
  bus.check_converged();
  // A delta from a node that is not the DC is ignored; one on another base is answered with the version.
  CibEffects fx;
  bus.nodes.at(2).on_message(3, CibStatusDelta{bus.nodes.at(2).local_version(), CibVersion{9, 9, 9}, "rogue"}, fx);
  CHECK_FALSE(fx.apply_delta);
  CHECK(fx.sends.empty());
  bus.nodes.at(2).on_message(1, CibStatusDelta{CibVersion{0, 0, 1}, CibVersion{0, 0, 2}, "other base"}, fx);
  CHECK_FALSE(fx.apply_delta);
  REQUIRE(fx.sends.size() == 1);
  CHECK(std::get<CibVersionReport>(fx.sends[0].message).version == bus.nodes.at(2).local_version());
}

TEST_CASE("cib sync delta: seeded schedules of status and configuration changes, lost messages, view changes") {
  for (unsigned seed = 1; seed <= 100; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    DeltaBus bus(4);
    std::vector<NodeId> up = {1, 2, 3, 4};
    bus.views(up);
    bus.run();
    bus.drop = [&](NodeId, NodeId, const CibMessage&) { return rng() % 8 == 0; };
    for (int step = 0; step < 30; ++step) {
      switch (rng() % 6) {
        case 0: bus.config_change(1, "cfg" + std::to_string(step)); break;
        case 1: bus.refuse_deltas = {static_cast<NodeId>(2 + rng() % 3)}; break;
        case 2: bus.refuse_deltas.clear(); break;
        default: bus.status_change(1, "+" + std::to_string(step)); break;
      }
      if (rng() % 4 == 0) bus.run();
    }
    bus.run();
    // Losses stop; the DC's periodic re-check (resync) brings everyone level.
    bus.drop = nullptr;
    bus.refuse_deltas.clear();
    CibEffects fx;
    bus.nodes.at(1).resync(fx);
    bus.absorb(1, fx);
    bus.run();
    bus.check_converged();
  }
}
