// Three real membership services on loopback (127.0.0.11-13, one UDP port
// each), driven by one io_context: they converge, and a stopped peer is
// declared dead by the other two within the configured timeout. Bounded in
// wall time; skipped with a message if loopback addresses cannot be bound.
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <asio.hpp>

#include "net/membership_service.h"

using namespace hactl::net;

namespace {

ClusterMembers loopback_cluster(std::uint8_t key_fill) {
  ClusterMembers m;
  m.cluster_name = "loop";
  // Ports vary with the pid so concurrent test runs do not collide.
  const auto base = static_cast<std::uint16_t>(20000 + (::getpid() % 2000) * 10);
  for (NodeId id = 1; id <= 3; ++id)
    m.nodes.push_back(NodeAddress{id, "n" + std::to_string(id), "127.0.0." + std::to_string(10 + id),
                                  static_cast<std::uint16_t>(base + id)});
  m.key.fill(key_fill);
  return m;
}

// Every socket this process holds must be close-on-exec (agents are forked).
std::size_t sockets_without_cloexec(std::size_t* sockets) {
  std::size_t bad = 0;
  *sockets = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    char target[256] = {};
    const std::string path = std::string("/proc/self/fd/") + e->d_name;
    if (::readlink(path.c_str(), target, sizeof target - 1) <= 0) continue;
    if (std::string(target).rfind("socket:", 0) != 0) continue;
    ++*sockets;
    if (!(::fcntl(std::atoi(e->d_name), F_GETFD) & FD_CLOEXEC)) ++bad;
  }
  ::closedir(d);
  return bad;
}

template <typename Pred>
bool run_until(asio::io_context& io, Pred pred, Millis limit) {
  const auto end = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() >= end) return false;
    io.run_one_for(Millis(5));
  }
  return true;
}

bool sees(const MembershipService& s, NodeId node, MemberState st) {
  return s.endpoint().membership().state_of(node) == st;
}

}  // namespace

TEST_CASE("loopback: 3 real nodes converge and detect a stopped peer") {
  asio::io_context io;
  const ClusterMembers members = loopback_cluster(3);
  std::vector<std::unique_ptr<MembershipService>> nodes;
  for (NodeId id = 1; id <= 3; ++id) {
    ServiceOptions o{members, id, MembershipConfig{}, 0};
    auto s = MembershipService::start(io, o, nullptr);
    if (!s) {
      MESSAGE("skipped: " << s.status().message());
      return;
    }
    nodes.push_back(std::move(*s));
  }
  std::size_t sockets = 0;
  CHECK(sockets_without_cloexec(&sockets) == 0);
  CHECK(sockets >= 3);
  const auto t0 = Clock::now();
  REQUIRE(run_until(
      io,
      [&] {
        for (auto& n : nodes)
          if (n->endpoint().membership().up_members() != std::vector<NodeId>{1, 2, 3}) return false;
        return true;
      },
      Millis(3000)));
  MESSAGE("3 loopback nodes agree after " << std::chrono::duration<double, std::milli>(Clock::now() - t0).count()
                                          << " ms");
  // Let them run a little, then "kill" node 3: its socket closes, nothing more is sent.
  run_until(io, [] { return false; }, Millis(300));
  const auto killed = Clock::now();
  nodes[2]->stop();
  REQUIRE(run_until(
      io, [&] { return sees(*nodes[0], 3, MemberState::dead) && sees(*nodes[1], 3, MemberState::dead); },
      Millis(3000)));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - killed).count();
  MESSAGE("stopped node declared dead by both survivors after " << ms << " ms");
  CHECK(ms < 1500);
  CHECK(sees(*nodes[0], 2, MemberState::alive));
  CHECK(sees(*nodes[1], 1, MemberState::alive));
  for (int i = 0; i < 2; ++i) CHECK(nodes[i]->endpoint().guard_counters().dropped_total() == 0);
}

TEST_CASE("loopback: a node with the wrong authkey is never admitted, and the drops are counted") {
  asio::io_context io;
  const ClusterMembers good = loopback_cluster(4);
  ClusterMembers bad = good;
  bad.key.fill(5);
  std::vector<std::unique_ptr<MembershipService>> nodes;
  for (NodeId id = 1; id <= 3; ++id) {
    ServiceOptions o{id == 3 ? bad : good, id, MembershipConfig{}, 0};
    auto s = MembershipService::start(io, o, nullptr);
    if (!s) {
      MESSAGE("skipped: " << s.status().message());
      return;
    }
    nodes.push_back(std::move(*s));
  }
  run_until(io, [] { return false; }, Millis(1500));
  CHECK(nodes[0]->endpoint().membership().up_members() == std::vector<NodeId>{1, 2});
  CHECK(nodes[1]->endpoint().membership().up_members() == std::vector<NodeId>{1, 2});
  CHECK(nodes[2]->endpoint().membership().up_members() == std::vector<NodeId>{3});
  const auto& g = nodes[0]->endpoint().guard_counters();
  CHECK(g[DropReason::bad_auth] > 0);
  MESSAGE("node 1 dropped " << g[DropReason::bad_auth] << " frames from the wrong-key node (bad_auth)");
}
