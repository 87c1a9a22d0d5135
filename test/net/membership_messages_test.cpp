#include <doctest/doctest.h>

#include "net/broadcast_queue.h"
#include "net/membership_messages.h"

using namespace hactl::net;

TEST_CASE("membership messages: every type round-trips; malformed input is refused") {
  const std::vector<Update> ups = {{UpdateKind::alive, 3, 9, 0}, {UpdateKind::suspect, 4, 1, 2},
                                   {UpdateKind::dead, 5, 7, 3}};
  for (MsgType t : {MsgType::ping, MsgType::indirect_ping, MsgType::ack, MsgType::nack, MsgType::gossip,
                    MsgType::sync_request, MsgType::sync}) {
    CAPTURE(static_cast<int>(t));
    MembershipMessage m{t, 41, 0, 0, ups};
    if (t != MsgType::gossip && t != MsgType::sync_request && t != MsgType::sync) m.probe_seq = 1234;
    if (t == MsgType::ping || t == MsgType::indirect_ping) m.target = 6;
    const Bytes b = encode_message(m);
    auto back = decode_message(b);
    REQUIRE(back);
    CHECK(*back == m);
    for (std::size_t cut = 0; cut < b.size(); ++cut) CHECK_FALSE(decode_message(ByteView(b).first(cut)));
    Bytes longer = b;
    longer.push_back(0);
    CHECK_FALSE(decode_message(longer));
  }
  CHECK_FALSE(decode_message(Bytes{0, 0, 0, 0, 0, 0}));      // type 0
  CHECK_FALSE(decode_message(Bytes{8, 0, 0, 0, 0, 0}));      // unknown type
  CHECK_FALSE(decode_message(Bytes{5, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1, 0, 0, 0, 0}));  // unknown update kind
  CHECK_FALSE(decode_message(Bytes{5, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}));  // node 0
  CHECK(encode_message(MembershipMessage{MsgType::gossip, 1, 0, 0, {}}).size() == 6);
}

TEST_CASE("broadcast queue: newest fact per node, least sent first, bounded retransmissions") {
  BroadcastQueue q;
  q.enqueue({UpdateKind::alive, 1, 1, 0});
  q.enqueue({UpdateKind::alive, 2, 1, 0});
  q.enqueue({UpdateKind::suspect, 1, 1, 3});  // replaces node 1's alive
  CHECK(q.size() == 2);
  auto first = q.take(1, 3);
  REQUIRE(first.size() == 1);
  CHECK(first[0] == Update{UpdateKind::suspect, 1, 1, 3});  // newest among unsent
  auto second = q.take(1, 3);
  CHECK(second[0].node == 2);  // the other one has been sent less
  for (int i = 0; i < 2; ++i) CHECK(q.take(2, 3).size() == 2);
  CHECK(q.empty());  // each went out exactly 3 times
  q.enqueue({UpdateKind::dead, 7, 2, 1});
  CHECK(q.take(0, 3).empty());
  CHECK(q.size() == 1);
}
