// Two real TcpTransports on loopback carrying sealed CIB messages: a 1 MB
// CIB push and an answer, checked through the bulk channel's FrameGuard; a
// garbage stream and a forged hello are cut off without disturbing the good one.
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
  auto r1 = TcpTransport::open(
      io, m, 1,
      [&](ByteView f) -> std::optional<NodeId> {
        auto o = guard1.open(f);
        if (!o) return std::nullopt;
        if (!o->payload.empty()) at1.push_back(*decode_cib_message(o->payload));
        return o->sender;
      },
      [&] { return seal1.seal({}); });
  auto r2 = TcpTransport::open(
      io, m, 2,
      [&](ByteView f) -> std::optional<NodeId> {
        auto o = guard2.open(f);
        if (!o) return std::nullopt;
        if (o->payload.empty()) return o->sender;  // the hello
        at2.push_back(*decode_cib_message(o->payload));
        // Answer the DC on our own connection to the authenticated sender.
        t2->send(o->sender, seal2.seal(encode_cib_message(CibVersionReport{1, CibVersion{0, 9, 0}})));
        return o->sender;
      },
      [&] { return seal2.seal({}); });
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
  // A well-formed hello sealed with another key, as node 1.
  KeyBytes other{};
  other.fill(9);
  FrameSealer forger(Channel::bulk, other, 1, 11, 3);
  asio::ip::tcp::socket forged(io);
  forged.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.22"), static_cast<std::uint16_t>(base + 1)));
  asio::write(forged, asio::buffer(encode_stream_frame(forger.seal({}))));
  const auto end = Clock::now() + std::chrono::seconds(5);
  while ((at1.empty() || t2->counters().refused < 2) && Clock::now() < end) io.run_one_for(Millis(10));
  REQUIRE(at2.size() == 1);
  CHECK(at2[0] == CibMessage{push});
  REQUIRE(at1.size() == 1);
  CHECK(at1[0] == CibMessage{CibVersionReport{1, CibVersion{0, 9, 0}}});
  // Cut off before authentication, without a buffer of the announced 4 GiB.
  CHECK(t2->counters()[InboundRefusal::unauthenticated_length] == 1);
  CHECK(t2->counters()[InboundRefusal::failed_authentication] == 1);
  CHECK(t2->counters().refused == 2);
  CHECK(guard2.counters()[DropReason::bad_auth] == 1);
  CHECK(t2->authenticated_connections() == 1);
  CHECK(t1->authenticated_connections() == 1);
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

// The unauthenticated places (8 per address, 64 in all by default; smaller
// here) never take a peer's: 30 idle anonymous connections, then a real peer
// connects and is admitted and heard; the anonymous ones are closed at the
// handshake deadline.
TEST_CASE("loopback bulk: anonymous inbound connections are capped and time out; a peer still gets in") {
  REQUIRE(ensure_sodium().is_ok());
  asio::io_context io;
  ClusterMembers m;
  const auto base = static_cast<std::uint16_t>(28000 + (::getpid() % 2000) * 10);
  m.nodes = {NodeAddress{1, "n1", "127.0.0.41", base}, NodeAddress{2, "n2", "127.0.0.42", static_cast<std::uint16_t>(base + 1)}};
  m.key.fill(1);
  FrameGuard guard1(Channel::bulk, m.key, 1, m.ids(), kMaxBulkFrameBytes);
  FrameSealer seal2(Channel::bulk, m.key, 2, 10, 2);
  TcpLimits limits;
  limits.admission.per_source = 4;
  limits.admission.unauthenticated = 6;
  limits.admission.handshake_deadline = Millis(300);
  int heard = 0;
  auto t = TcpTransport::open(
      io, m, 1,
      [&](ByteView f) -> std::optional<NodeId> {
        auto o = guard1.open(f);
        if (!o) return std::nullopt;
        heard += !o->payload.empty();
        return o->sender;
      },
      [] { return Bytes{}; }, limits);
  auto peer = TcpTransport::open(io, m, 2, [](ByteView) { return std::nullopt; }, [&] { return seal2.seal({}); });
  if (!t || !peer) {
    MESSAGE("skipped: " << (t ? peer.status().message() : t.status().message()));
    return;
  }
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> rogue;
  for (int i = 0; i < 30; ++i) {
    rogue.push_back(std::make_unique<asio::ip::tcp::socket>(io));
    asio::error_code ec;
    rogue.back()->open(asio::ip::tcp::v4(), ec);
    // 15 from 127.0.0.43, then 15 from 127.0.0.44 (loopback takes any 127/8 address).
    rogue.back()->bind(asio::ip::tcp::endpoint(asio::ip::make_address(i < 15 ? "127.0.0.43" : "127.0.0.44"), 0), ec);
    rogue.back()->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.41"), base), ec);
  }
  auto end = Clock::now() + std::chrono::seconds(3);
  while ((*t)->counters().accepted < 30 && Clock::now() < end) io.run_one_for(Millis(5));
  CHECK((*t)->counters().accepted == 30);
  CHECK((*t)->unauthenticated_connections() == 6);
  // 11 of each source closed for the per-source cap, 2 of the first for the total.
  CHECK((*t)->counters()[InboundRefusal::source_cap] == 22);
  CHECK((*t)->counters()[InboundRefusal::total_cap] == 2);
  // The peer connects now, through all that junk, and is heard.
  (*peer)->send(1, seal2.seal(encode_cib_message(CibVersionReport{1, CibVersion{0, 9, 0}})));
  end = Clock::now() + std::chrono::seconds(3);
  while ((heard == 0 || (*t)->unauthenticated_connections() > 0) && Clock::now() < end) io.run_one_for(Millis(5));
  CHECK(heard == 1);
  CHECK((*t)->authenticated_connections() == 1);
  CHECK((*t)->unauthenticated_connections() == 0);
  CHECK((*t)->counters()[InboundRefusal::handshake_deadline] >= 5);
  CHECK((*t)->counters().refused == 30);
}
