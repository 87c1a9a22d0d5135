// Two real TcpTransports on loopback carrying sealed CIB messages: a 1 MB
// CIB push and an answer, checked through the bulk channel's FrameGuard; a
// garbage stream is cut off without disturbing the good one.
#include <doctest/doctest.h>

#include <unistd.h>

#include <asio.hpp>

#include "net/cib_replication.h"
#include "net/frame_guard.h"
#include "net/tcp_transport.h"

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
