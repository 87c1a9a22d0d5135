#include "net/sim/sim_network.h"

#include <algorithm>

namespace hactl::net::sim {

SimNetwork::SimNetwork(const SimConfig& config) : config_(config), rng_(config.seed) {
  (void)ensure_sodium();
  for (std::size_t i = 0; i < kKeyBytes; ++i) key_[i] = static_cast<std::uint8_t>(rng_.next());
  for (std::size_t i = 1; i <= config_.nodes; ++i) ids_.push_back(static_cast<NodeId>(i));
  slots_.resize(config_.nodes);
  // Start from a non-zero epoch so that time_since_epoch arithmetic in tests
  // never sees a default-constructed time point as "now".
  now_ = TimePoint{} + std::chrono::hours(1);
}

SimNetwork::~SimNetwork() = default;

void SimNetwork::start_all() {
  for (NodeId id : ids_) start(id);
}

void SimNetwork::start(NodeId id) {
  Slot& s = slot(id);
  ++s.life;
  ++s.boot;
  const EndpointIdentity ident{id, s.boot, static_cast<std::uint32_t>(rng_.next()), rng_.next()};
  s.endpoint = std::make_unique<MembershipEndpoint>(ident, ids_, key_, config_.membership);
  if (!s.transport) s.transport = std::make_unique<SimDatagramTransport>(*this, id);
  s.tick_at = TimePoint::max();
  scratch_.clear();
  s.endpoint->start(now_, scratch_);
  handle(s, id, scratch_, true);
}

void SimNetwork::crash(NodeId id) {
  Slot& s = slot(id);
  s.endpoint.reset();
  ++s.life;
}

void SimNetwork::restart(NodeId id) {
  if (running(id)) crash(id);
  start(id);
}

void SimNetwork::partition(const std::vector<std::vector<NodeId>>& groups) {
  for (auto& s : slots_) s.group = 0;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (NodeId id : groups[g]) slot(id).group = static_cast<int>(g + 1);
}

void SimNetwork::pause(NodeId id, Millis d) { slot(id).paused_until = now_ + d; }

void SimNetwork::heal() {
  for (auto& s : slots_) s.group = 0;
}

bool SimNetwork::running(NodeId id) const { return slot(id).endpoint != nullptr; }
bool SimNetwork::reachable(NodeId a, NodeId b) const {
  return slot(a).group == slot(b).group && !blocked_.count({a, b}) && !blocked_.count({b, a});
}
const MembershipEndpoint& SimNetwork::node(NodeId id) const { return *slot(id).endpoint; }

bool SimNetwork::converged() const {
  for (NodeId a : ids_) {
    if (!running(a)) continue;
    const Membership& m = node(a).membership();
    for (NodeId b : ids_) {
      const bool should_be_up = running(b) && reachable(a, b);
      if (is_up(m.state_of(b)) != should_be_up) return false;
    }
  }
  return true;
}

void SimNetwork::run_for(Millis d) {
  const TimePoint end = now_ + d;
  while (step(end)) {
  }
  now_ = end;
}

bool SimNetwork::step(TimePoint end) {
  if (queue_.empty() || queue_.top().at > end) {
    now_ = end;
    return false;
  }
  // top() is const only to protect the heap order; moving the payload out is
  // safe because the ordering fields (at, order) are left untouched.
  Event ev = std::move(const_cast<Event&>(queue_.top()));
  queue_.pop();
  now_ = ev.at;
  Slot& s = slot(ev.node);
  if (!s.endpoint || ev.life != s.life) {
    if (ev.gen == 0) ++traffic_.to_down_node;
    return true;
  }
  if (now_ < s.paused_until) {
    ev.at = s.paused_until;  // handled, in the original order, when the node wakes up
    queue_.push(std::move(ev));
    return true;
  }
  scratch_.clear();
  if (ev.gen == 0) {
    s.endpoint->on_datagram(ev.bytes, now_, scratch_);
    handle(s, ev.node, scratch_, false);
  } else if (ev.gen == s.tick_gen) {
    s.tick_at = TimePoint::max();
    s.endpoint->on_tick(now_, scratch_);
    handle(s, ev.node, scratch_, true);
  }
  return true;
}

void SimDatagramTransport::send(NodeId to, ByteView datagram) { net_.transmit(self_, to, datagram); }

void SimNetwork::transmit(NodeId from, NodeId to, ByteView datagram) {
  ++traffic_.datagrams;
  traffic_.bytes += datagram.size();
  if (to < 1 || to > config_.nodes) return;
  if (slot(from).group != slot(to).group || blocked_.count({from, to})) {
    ++traffic_.partitioned;
    return;
  }
  if (config_.loss > 0 && rng_.chance(config_.loss)) {
    ++traffic_.lost;
    return;
  }
  const auto jitter =
      Micros(static_cast<Micros::rep>(rng_.below(static_cast<std::uint64_t>(config_.jitter.count()) + 1)));
  queue_.push(Event{now_ + config_.delay + jitter, order_++, to, slot(to).life, 0, Bytes(datagram.begin(), datagram.end())});
}

void SimNetwork::handle(Slot& s, NodeId id, Effects& fx, bool after_tick) {
  for (const MemberEvent& e : fx.events) observations_.push_back(Observation{now_, id, e});
  dispatch_sends(fx, *s.transport);
  schedule_tick(s, id, after_tick);
}

void SimNetwork::schedule_tick(Slot& s, NodeId id, bool after_tick) {
  TimePoint at = s.endpoint->next_wakeup();
  if (at == TimePoint::max()) return;
  if (at <= now_) {
    // Right after a tick the node must have moved its timers forward; if not,
    // that is a protocol bug, counted for the tests instead of spinning.
    if (after_tick) {
      ++stalled_ticks_;
      at = now_ + Millis(1);
    } else {
      at = now_;
    }
  }
  if (at >= s.tick_at) return;  // an earlier tick is already queued
  s.tick_at = at;
  queue_.push(Event{at, order_++, id, s.life, ++s.tick_gen, {}});
}

}  // namespace hactl::net::sim
