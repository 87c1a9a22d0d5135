// SimNetwork: N membership endpoints on one simulated timeline. A discrete
// event loop (time, insertion order) delivers datagrams after a seeded random
// delay, drops them with a seeded loss rate or across partitions, and ticks
// each node at its next_wakeup(). Simulated seconds run in milliseconds and
// every run is reproducible from its seed. Frames are really sealed and
// authenticated, so the figures include the crypto and the frame overhead.
//
// Not thread-safe. Node ids are 1..n.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <utility>
#include <vector>

#include "net/membership_endpoint.h"
#include "net/rng.h"
#include "net/transport.h"

namespace hactl::net::sim {

using Micros = std::chrono::microseconds;

struct SimConfig {
  std::size_t nodes = 3;
  std::uint64_t seed = 1;
  double loss = 0.0;     // probability that any one datagram is lost
  Micros delay{200};     // one-way latency, plus uniform jitter in [0, jitter]
  Micros jitter{300};
  MembershipConfig membership;
};

// A member state change as seen by one node, with the simulated time.
struct Observation {
  TimePoint at;
  NodeId observer = kNoNode;
  MemberEvent event;
};

struct TrafficCounters {
  std::uint64_t datagrams = 0;  // handed to the network
  std::uint64_t bytes = 0;
  std::uint64_t lost = 0;         // random loss
  std::uint64_t partitioned = 0;  // dropped between partitions
  std::uint64_t to_down_node = 0;
};

class SimNetwork;

// The simulated DatagramTransport of one node: datagrams go into the
// network's event queue (or are lost, or cut by a partition).
class SimDatagramTransport final : public DatagramTransport {
 public:
  SimDatagramTransport(SimNetwork& net, NodeId self) : net_(net), self_(self) {}
  void send(NodeId to, ByteView datagram) override;

 private:
  SimNetwork& net_;
  NodeId self_;
};

class SimNetwork {
 public:
  explicit SimNetwork(const SimConfig& config);
  ~SimNetwork();

  TimePoint now() const { return now_; }
  // Starts every node at the current time (or only one).
  void start_all();
  void start(NodeId id);
  void run_for(Millis d);
  // Runs until pred() holds or `limit` passes; returns whether it held.
  // pred() is checked at most once per simulated `resolution` (checks such
  // as converged() cost O(n^2)), so times measured this way are rounded up
  // to it.
  template <typename Pred>
  bool run_until(Pred pred, Millis limit, Micros resolution = Micros(1000)) {
    const TimePoint end = now_ + limit;
    TimePoint next_check = now_;
    for (;;) {
      if (now_ >= next_check) {
        if (pred()) return true;
        next_check = now_ + resolution;
      }
      if (!step(end)) return pred();
    }
  }

  // Stops a node at once (its queued datagrams and timers vanish).
  void crash(NodeId id);
  // Starts a crashed node again as a new process: new boot, fresh state.
  void restart(NodeId id);
  // Nodes in different groups cannot reach each other; nodes not listed form
  // one more group together.
  void partition(const std::vector<std::vector<NodeId>>& groups);
  void heal();
  // One-way cut: datagrams from `from` to `to` are lost (the other way works).
  void block(NodeId from, NodeId to) { blocked_.insert({from, to}); }
  void unblock_all() { blocked_.clear(); }
  // Freezes a node (a stalled process or VM): it handles nothing until
  // now + d; datagrams sent to it wait in its socket buffer meanwhile.
  void pause(NodeId id, Millis d);
  void set_loss(double loss) { config_.loss = loss; }

  bool running(NodeId id) const;
  bool reachable(NodeId a, NodeId b) const;
  const MembershipEndpoint& node(NodeId id) const;
  std::size_t size() const { return config_.nodes; }

  // True when every running node's view of up members equals the running
  // nodes it can reach (its partition), i.e. views agree with reality.
  bool converged() const;

  const std::vector<Observation>& observations() const { return observations_; }
  const TrafficCounters& traffic() const { return traffic_; }
  std::uint64_t stalled_ticks() const { return stalled_ticks_; }

 private:
  struct Event {
    TimePoint at;
    std::uint64_t order;
    NodeId node;
    std::uint64_t life;   // the node's life it belongs to (stale after a crash)
    std::uint64_t gen;    // tick generation; 0 = datagram delivery
    Bytes bytes;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  struct Slot {
    std::unique_ptr<MembershipEndpoint> endpoint;
    std::unique_ptr<SimDatagramTransport> transport;
    std::uint64_t life = 0;
    std::uint64_t boot = 0;
    std::uint64_t tick_gen = 0;
    TimePoint tick_at = TimePoint::max();
    int group = 0;
    TimePoint paused_until{};
  };

  friend class SimDatagramTransport;
  void transmit(NodeId from, NodeId to, ByteView datagram);
  bool step(TimePoint end);
  void handle(Slot& s, NodeId id, Effects& fx, bool after_tick);
  void schedule_tick(Slot& s, NodeId id, bool after_tick);
  Slot& slot(NodeId id) { return slots_[id - 1]; }
  const Slot& slot(NodeId id) const { return slots_[id - 1]; }

  SimConfig config_;
  KeyBytes key_{};
  std::vector<NodeId> ids_;
  std::vector<Slot> slots_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  TimePoint now_{};
  std::uint64_t order_ = 0;
  Rng rng_;
  std::vector<Observation> observations_;
  TrafficCounters traffic_;
  std::uint64_t stalled_ticks_ = 0;
  Effects scratch_;
  std::set<std::pair<NodeId, NodeId>> blocked_;
};

}  // namespace hactl::net::sim
