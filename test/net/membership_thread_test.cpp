// The membership on its own thread: a main loop that is busy for longer than
// the failure timeout does not make its peers declare the node dead, and one
// that stops beating beyond the stall limit does (then recovers). Real
// threads and sockets on loopback (127.0.0.21-22), bounded in wall time.
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>
#include <thread>

#include <asio.hpp>

#include "net/membership_thread.h"

using namespace hactl::net;

namespace {

ClusterMembers two_nodes() {
  ClusterMembers m;
  m.cluster_name = "thread";
  const auto base = static_cast<std::uint16_t>(42000 + (::getpid() % 2000) * 5);
  for (NodeId id = 1; id <= 2; ++id)
    m.nodes.push_back(NodeAddress{id, "n" + std::to_string(id), "127.0.0." + std::to_string(20 + id),
                                  static_cast<std::uint16_t>(base + id)});
  m.key.fill(7);
  return m;
}

MembershipConfig fast() {
  MembershipConfig c;
  c.probe_interval = Millis(100);
  c.probe_timeout = Millis(40);
  c.suspicion_base = Millis(200);
  return c;
}

struct Node {
  asio::io_context io;  // this node's "main loop", run only when the test says so
  // An io_context out of work stops, and would not run what is posted later.
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::unique_ptr<MembershipThread> m;
  std::vector<MemberEvent> events;
};

// Runs both main loops for `span`, beating for those that are alive.
void run_loops(Node* nodes, int n, Millis span, bool beat[]) {
  const auto end = Clock::now() + span;
  while (Clock::now() < end)
    for (int i = 0; i < n; ++i) {
      if (beat[i]) nodes[i].m->loop_alive();
      nodes[i].io.poll();
      std::this_thread::sleep_for(Millis(2));
    }
}

bool start_nodes(Node* nodes, Millis stall_limit) {
  const ClusterMembers members = two_nodes();
  for (NodeId id = 1; id <= 2; ++id) {
    Node& node = nodes[id - 1];
    ThreadOptions to;
    to.stall_limit = stall_limit;
    to.realtime = false;
    auto m = MembershipThread::start(node.io, ServiceOptions{members, id, fast(), 0},
                                     [&node](const MemberEvent& e) { node.events.push_back(e); }, to);
    if (!m) {
      MESSAGE("skipped: " << m.status().message());
      return false;
    }
    node.m = std::move(*m);
  }
  return true;
}

bool saw_death(const Node& n) {
  for (const auto& e : n.events)
    if (e.state == MemberState::dead) return true;
  return false;
}

}  // namespace

TEST_CASE("membership thread: a busy main loop is not a dead node") {
  Node nodes[2];
  if (!start_nodes(nodes, Millis(5000))) return;
  bool beat[] = {true, true};
  run_loops(nodes, 2, Millis(800), beat);
  REQUIRE(nodes[0].m->view().state_of(2) == MemberState::alive);
  REQUIRE(nodes[1].m->view().state_of(1) == MemberState::alive);
  // Node 1's main loop is busy for 1.5 s, five times the failure timeout: it
  // neither runs nor beats (within the stall limit).
  const auto busy_end = Clock::now() + Millis(1500);
  while (Clock::now() < busy_end) {
    nodes[1].m->loop_alive();
    nodes[1].io.poll();
    std::this_thread::sleep_for(Millis(2));
  }
  run_loops(nodes, 2, Millis(300), beat);
  CHECK_FALSE(saw_death(nodes[1]));
  CHECK_FALSE(saw_death(nodes[0]));
  CHECK(nodes[1].m->view().state_of(1) == MemberState::alive);
  CHECK(nodes[0].m->counters().udp.received > 0);
}

TEST_CASE("membership thread: a main loop stuck past the stall limit makes the node lost, then it comes back") {
  Node nodes[2];
  if (!start_nodes(nodes, Millis(400))) return;
  bool beat[] = {true, true};
  run_loops(nodes, 2, Millis(800), beat);
  REQUIRE(nodes[1].m->view().state_of(1) == MemberState::alive);
  beat[0] = false;  // node 1's loop stops beating (stuck)
  const auto end = Clock::now() + Millis(3000);
  while (Clock::now() < end && !saw_death(nodes[1])) run_loops(nodes, 2, Millis(20), beat);
  CHECK(nodes[0].m->paused());
  CHECK(saw_death(nodes[1]));
  beat[0] = true;
  nodes[1].events.clear();
  const auto back = Clock::now() + Millis(3000);
  while (Clock::now() < back && nodes[1].m->view().state_of(1) != MemberState::alive)
    run_loops(nodes, 2, Millis(20), beat);
  CHECK_FALSE(nodes[0].m->paused());
  CHECK(nodes[1].m->view().state_of(1) == MemberState::alive);
}
