// Two real TcpTransports on loopback carrying sealed CIB messages: a 1 MB
// CIB push and an answer, checked through the bulk channel's FrameGuard; a
// garbage stream is cut off without disturbing the good one.
#include <doctest/doctest.h>

#include <unistd.h>

#include <asio.hpp>

#include "net/bulk_channel.h"
#include "net/cib_replication.h"
#include "net/cib_sync.h"
#include "net/election.h"
#include "net/frame_guard.h"
#include "net/tcp_transport.h"

#include <map>

using namespace hactl::net;

TEST_CASE("loopback bulk: a sealed CIB push and its answer over TCP") {
  REQUIRE(ensure_sodium().is_ok());
  asio::io_context io;
  ClusterMembers m;
  const auto base = static_cast<std::uint16_t>(24000 + (::getpid() % 2000) * 10);
  m.nodes = {NodeAddress{1, "n1", "127.0.0.21", base}, NodeAddress{2, "n2", "127.0.0.22", static_cast<std::uint16_t>(base + 1)}};
  m.key.fill(8);
  FrameGuard guard1(Channel::bulk, m.key, 1, m.ids(), kMaxBulkFrameBytes);
  FrameGuard guard2(Channel::bulk, m.key, 2, m.ids(), kMaxBulkFrameBytes);
  FrameSealer seal1(Channel::bulk, m.key, 1, 10, 1), seal2(Channel::bulk, m.key, 2, 10, 2);
  std::vector<CibMessage> at1, at2;
  std::unique_ptr<TcpTransport> t1, t2;
  auto r1 = TcpTransport::open(io, m, 1, [&](ByteView f) {
    if (auto o = guard1.open(f)) at1.push_back(*decode_cib_message(o->payload));
  });
  auto r2 = TcpTransport::open(io, m, 2, [&](ByteView f) {
    auto o = guard2.open(f);
    if (!o) return;
    at2.push_back(*decode_cib_message(o->payload));
    // Answer the DC on our own connection to the authenticated sender.
    t2->send(o->sender, seal2.seal(encode_cib_message(CibVersionReport{1, CibVersion{0, 9, 0}})));
  });
  if (!r1 || !r2) {
    MESSAGE("skipped: " << (r1 ? r2.status().message() : r1.status().message()));
    return;
  }
  t1 = std::move(*r1);
  t2 = std::move(*r2);
  const CibFull push{0, CibVersion{0, 9, 0}, std::string(1 << 20, 'c')};
  t1->send(2, seal1.seal(encode_cib_message(push)));
  // Garbage on another connection to node 2: an impossible length prefix.
  asio::ip::tcp::socket rogue(io);
  rogue.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.22"), static_cast<std::uint16_t>(base + 1)));
  const std::uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 1, 2, 3};
  asio::write(rogue, asio::buffer(junk));
  const auto end = Clock::now() + std::chrono::seconds(5);
  while ((at1.empty() || t2->counters().broken_streams == 0) && Clock::now() < end) io.run_one_for(Millis(10));
  REQUIRE(at2.size() == 1);
  CHECK(at2[0] == CibMessage{push});
  REQUIRE(at1.size() == 1);
  CHECK(at1[0] == CibMessage{CibVersionReport{1, CibVersion{0, 9, 0}}});
  CHECK(t2->counters().broken_streams == 1);
  CHECK(guard2.counters().dropped_total() == 0);
}

TEST_CASE("loopback bulk: three CibSyncs over real BulkChannels converge on the highest CIB") {
  asio::io_context io;
  ClusterMembers m;
  const auto base = static_cast<std::uint16_t>(26000 + (::getpid() % 2000) * 10);
  for (NodeId id = 1; id <= 3; ++id)
    m.nodes.push_back(NodeAddress{id, "n" + std::to_string(id), "127.0.0." + std::to_string(30 + id),
                                  static_cast<std::uint16_t>(base + id)});
  m.key.fill(12);
  std::map<NodeId, CibSync> syncs;
  syncs.emplace(1, CibSync(1, CibCopy{CibVersion{0, 2, 0}, "dc copy"}));
  syncs.emplace(2, CibSync(2, CibCopy{CibVersion{0, 1, 0}, "stale"}));
  syncs.emplace(3, CibSync(3, CibCopy{CibVersion{0, 5, 1}, "newest"}));
  std::map<NodeId, std::unique_ptr<BulkChannel>> chans;
  auto apply = [&](NodeId at, CibEffects& fx) {
    for (auto& s : fx.sends) chans.at(at)->send(s.to, s.message);
    fx.clear();
  };
  for (NodeId id = 1; id <= 3; ++id) {
    auto ch = BulkChannel::open(io, m, id, 100, [&, id](NodeId from, const CibMessage& msg) {
      CibEffects fx;
      syncs.at(id).on_message(from, msg, fx);
      apply(id, fx);
    });
    if (!ch) {
      MESSAGE("skipped: " << ch.status().message());
      return;
    }
    chans[id] = std::move(*ch);
  }
  const std::vector<NodeId> view = {1, 2, 3};
  for (auto& [id, s] : syncs) {
    CibEffects fx;
    s.on_view(view, elect(view), fx);
    apply(id, fx);
  }
  const auto end = Clock::now() + std::chrono::seconds(5);
  auto done = [&] {
    for (auto& [id, s] : syncs)
      if (s.local().cib != "newest") return false;
    return syncs.at(1).in_sync();
  };
  while (!done() && Clock::now() < end) io.run_one_for(Millis(10));
  for (auto& [id, s] : syncs) {
    CAPTURE(id);
    CHECK(s.local() == CibCopy{CibVersion{0, 5, 1}, "newest"});
  }
  for (auto& [id, c] : chans) CHECK(c->guard_counters().dropped_total() == 0);
}

TEST_CASE("loopback bulk: anonymous inbound connections are capped") {
  asio::io_context io;
  ClusterMembers m;
  const auto base = static_cast<std::uint16_t>(28000 + (::getpid() % 2000) * 10);
  m.nodes = {NodeAddress{1, "n1", "127.0.0.41", base}, NodeAddress{2, "n2", "127.0.0.42", static_cast<std::uint16_t>(base + 1)}};
  m.key.fill(1);
  auto t = TcpTransport::open(io, m, 1, [](ByteView) {});
  if (!t) {
    MESSAGE("skipped: " << t.status().message());
    return;
  }
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> rogue;
  for (int i = 0; i < 30; ++i) {
    rogue.push_back(std::make_unique<asio::ip::tcp::socket>(io));
    asio::error_code ec;
    rogue.back()->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.41"), base), ec);
  }
  const auto end = Clock::now() + std::chrono::seconds(3);
  while ((*t)->counters().accepted + (*t)->counters().refused < 30 && Clock::now() < end) io.run_one_for(Millis(10));
  CHECK((*t)->counters().accepted == 16);
  CHECK((*t)->counters().refused == 14);
  // Closing them frees the slots.
  rogue.clear();
  const auto settle = Clock::now() + Millis(200);  // let the server see the EOFs first
  while (Clock::now() < settle) io.run_one_for(Millis(10));
  asio::ip::tcp::socket late(io);
  late.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.41"), base));
  const auto end2 = Clock::now() + std::chrono::seconds(3);
  while ((*t)->counters().accepted < 17 && Clock::now() < end2) io.run_one_for(Millis(10));
  CHECK((*t)->counters().accepted == 17);
}
