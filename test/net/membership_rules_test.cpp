// The gossip rules of one Membership, driven message by message (no network).
#include <doctest/doctest.h>

#include "net/membership.h"

using namespace hactl::net;

namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(1);

Bytes msg(MsgType t, std::uint32_t inc, std::vector<Update> ups = {}, std::uint32_t seq = 0, NodeId target = 0) {
  return encode_message(MembershipMessage{t, inc, seq, target, std::move(ups)});
}

// Node 1 of {1,2,3,4}, with 2,3,4 alive at incarnation 5.
struct Fixture {
  Membership m{1, {1, 2, 3, 4}, MembershipConfig{}, 42};
  Effects fx;
  Fixture() {
    m.start(t0, fx);
    for (NodeId id : {2, 3, 4}) m.on_message(id, msg(MsgType::gossip, 5), t0, fx);
    fx.clear();
  }
  std::vector<MembershipMessage> sent_to(NodeId to) const {
    std::vector<MembershipMessage> out;
    for (const auto& s : fx.sends)
      if (s.to == to) out.push_back(*decode_message(s.payload));
    return out;
  }
};

}  // namespace

TEST_CASE("membership rules: state transitions by incarnation") {
  struct Case {
    const char* name;
    Update update;
    MemberState expect;
    std::uint32_t expect_inc;
  };
  const Case cases[] = {
      {"suspect at current inc", {UpdateKind::suspect, 2, 5, 3}, MemberState::suspect, 5},
      {"suspect at older inc ignored", {UpdateKind::suspect, 2, 4, 3}, MemberState::alive, 5},
      {"dead at current inc", {UpdateKind::dead, 2, 5, 3}, MemberState::dead, 5},
      {"dead at newer inc", {UpdateKind::dead, 2, 8, 3}, MemberState::dead, 8},
      {"alive at same inc is no news", {UpdateKind::alive, 2, 5, 0}, MemberState::alive, 5},
      {"alive at newer inc", {UpdateKind::alive, 2, 6, 0}, MemberState::alive, 6},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    Fixture f;
    f.m.on_message(3, msg(MsgType::gossip, 5, {c.update}), t0, f.fx);
    CHECK(f.m.state_of(2) == c.expect);
    CHECK(f.m.incarnation_of(2) == c.expect_inc);
  }
}

TEST_CASE("membership rules: suspect and dead need a higher incarnation to be undone") {
  Fixture f;
  f.m.on_message(3, msg(MsgType::gossip, 5, {{UpdateKind::dead, 2, 5, 3}}), t0, f.fx);
  REQUIRE(f.m.state_of(2) == MemberState::dead);
  f.m.on_message(2, msg(MsgType::ping, 5, {}, 9, 1), t0, f.fx);  // direct, same incarnation
  CHECK(f.m.state_of(2) == MemberState::dead);
  // Our answer tells node 2 it is dead, so that it can refute.
  auto to2 = f.sent_to(2);
  REQUIRE(to2.size() == 1);
  CHECK(to2[0].type == MsgType::ack);
  CHECK(to2[0].updates.at(0) == Update{UpdateKind::dead, 2, 5, 1});
  f.m.on_message(2, msg(MsgType::gossip, 6), t0, f.fx);
  CHECK(f.m.state_of(2) == MemberState::alive);
  CHECK(f.m.incarnation_of(2) == 6);
}

TEST_CASE("membership rules: a node refutes a suspicion of itself with a higher incarnation") {
  Fixture f;
  f.m.on_message(3, msg(MsgType::gossip, 5, {{UpdateKind::suspect, 1, 0, 3}}), t0, f.fx);
  CHECK(f.m.incarnation() == 1);
  CHECK(f.m.stats().refutations == 1);
  CHECK(f.m.awareness() == 1);
  // An accusation at an older incarnation is not refuted again...
  f.m.on_message(4, msg(MsgType::gossip, 5, {{UpdateKind::dead, 1, 0, 4}}), t0, f.fx);
  CHECK(f.m.incarnation() == 1);
  // ... but both accusers get a message carrying the new incarnation at the next tick.
  f.fx.clear();
  CHECK(f.m.next_wakeup() <= t0);
  f.m.on_tick(t0, f.fx);
  CHECK_FALSE(f.sent_to(3).empty());
  CHECK_FALSE(f.sent_to(4).empty());
  for (const auto& s : f.fx.sends) CHECK(decode_message(s.payload)->sender_incarnation == 1);
}

TEST_CASE("membership rules: a suspicion expires into dead unless refuted") {
  Fixture f;
  f.m.on_message(3, msg(MsgType::gossip, 5, {{UpdateKind::suspect, 2, 5, 3}}), t0, f.fx);
  REQUIRE(f.m.state_of(2) == MemberState::suspect);
  // 4 up nodes: k = 2 confirmations expected, so the timer starts at max = 3 x 200 ms.
  f.m.on_tick(t0 + Millis(599), f.fx);
  CHECK(f.m.state_of(2) == MemberState::suspect);
  f.m.on_message(4, msg(MsgType::gossip, 5, {{UpdateKind::suspect, 2, 5, 4}}), t0, f.fx);  // confirmation
  f.m.on_tick(t0 + Millis(599), f.fx);
  CHECK(f.m.state_of(2) == MemberState::dead);
  bool event = false;
  for (const auto& e : f.fx.events) event |= e.node == 2 && e.state == MemberState::dead;
  CHECK(event);
}

TEST_CASE("membership rules: pings are answered, misdirected pings are not") {
  Fixture f;
  f.m.on_message(2, msg(MsgType::ping, 5, {}, 77, 1), t0, f.fx);
  auto to2 = f.sent_to(2);
  REQUIRE(to2.size() == 1);
  CHECK(to2[0].type == MsgType::ack);
  CHECK(to2[0].probe_seq == 77);
  f.fx.clear();
  f.m.on_message(2, msg(MsgType::ping, 5, {}, 78, 3), t0, f.fx);
  CHECK(f.fx.sends.empty());
  CHECK(f.m.stats().misdirected == 1);
  f.m.on_message(2, Bytes{1, 2, 3}, t0, f.fx);
  CHECK(f.m.stats().malformed == 1);
}

TEST_CASE("membership rules: an indirect probe is relayed, then acked or nacked") {
  Fixture f;
  f.m.on_message(2, msg(MsgType::indirect_ping, 5, {}, 500, 3), t0, f.fx);
  auto to3 = f.sent_to(3);
  REQUIRE(to3.size() == 1);
  CHECK(to3[0].type == MsgType::ping);
  const std::uint32_t relay_seq = to3[0].probe_seq;
  f.fx.clear();
  f.m.on_message(3, msg(MsgType::ack, 5, {}, relay_seq), t0, f.fx);
  auto to2 = f.sent_to(2);
  REQUIRE(to2.size() == 1);
  CHECK(to2[0].type == MsgType::ack);
  CHECK(to2[0].probe_seq == 500);
  // A silent target: the requester gets a nack after the probe timeout.
  f.fx.clear();
  f.m.on_message(2, msg(MsgType::indirect_ping, 5, {}, 501, 4), t0, f.fx);
  f.fx.clear();
  f.m.on_tick(t0 + MembershipConfig{}.probe_timeout, f.fx);
  bool nacked = false;
  for (const auto& m : f.sent_to(2)) nacked |= m.type == MsgType::nack && m.probe_seq == 501;
  CHECK(nacked);
}

TEST_CASE("membership rules: two nodes, no helpers: direct retries replace indirect probes") {
  Membership m{1, {1, 2}, MembershipConfig{}, 7};
  Effects fx;
  m.start(t0, fx);
  m.on_message(2, msg(MsgType::gossip, 0), t0, fx);
  fx.clear();
  TimePoint t = t0;
  std::size_t pings = 0;
  // Run one full probe period with node 2 silent.
  for (int i = 0; i < 300 && m.state_of(2) == MemberState::alive; ++i) {
    t += Millis(1);
    m.on_tick(t, fx);
  }
  std::uint32_t first_seq = 0;
  for (const auto& s : fx.sends) {
    auto d = decode_message(s.payload);
    if (d->type != MsgType::ping) continue;
    if (!first_seq) first_seq = d->probe_seq;
    if (d->probe_seq == first_seq) ++pings;  // the next probe may already have started
  }
  CHECK(m.state_of(2) == MemberState::suspect);
  CHECK(pings == 1 + static_cast<std::size_t>(MembershipConfig{}.indirect_checks));
}
