// Membership: the timed side. One probe per period (direct ping, then
// indirect pings through k peers, then suspicion), suspicion expiry, relaying
// indirect probes for others, periodic gossip of pending updates, and pings
// to down nodes so they can rejoin.
#include <algorithm>

#include "net/membership.h"

namespace hactl::net {
namespace {


TimePoint earliest(TimePoint a, TimePoint b) { return a < b ? a : b; }

}  // namespace

void Membership::start(TimePoint now, Effects& out) {
  if (started_) return;
  started_ = true;
  broadcasts_.enqueue(Update{UpdateKind::alive, self_, incarnation_, kNoNode});
  // A random phase keeps nodes started together from probing in lockstep.
  next_probe_ = now + Millis(static_cast<Millis::rep>(rng_.below(config_.probe_interval.count() + 1)));
  next_gossip_ = now;
  next_reconnect_ = now;
  on_tick(now, out);
}

TimePoint Membership::next_wakeup() const {
  TimePoint t = TimePoint::max();
  if (!started_) return t;
  if (probe_)
    t = probe_->indirect_sent || probe_->acked ? probe_->period_end : probe_->direct_deadline;
  else
    t = next_probe_;
  for (const auto& [id, s] : suspicions_) t = earliest(t, s.deadline());
  for (const auto& r : relays_) t = earliest(t, r.deadline);
  if (!broadcasts_.empty() || !accusers_.empty()) t = earliest(t, next_gossip_);
  if (up_count() < members_.size()) t = earliest(t, next_reconnect_);
  return t;
}

void Membership::on_tick(TimePoint now, Effects& out) {
  if (!started_) return;
  expire_relays(now, out);
  if (probe_ && !probe_->acked && !probe_->indirect_sent && now >= probe_->direct_deadline) escalate_probe(out);
  if (probe_ && now >= probe_->period_end) finish_probe(now, out);
  if (!probe_ && now >= next_probe_) start_probe(now, out);
  // After the probe: a failed probe of a suspect confirms the suspicion,
  // which can move its deadline into the past.
  expire_suspicions(now, out);
  if (now >= next_gossip_ && (!broadcasts_.empty() || !accusers_.empty())) {
    gossip(out);
    next_gossip_ = now + config_.gossip_interval;
  }
  if (now >= next_reconnect_ && up_count() < members_.size()) {
    reconnect(out);
    next_reconnect_ = now + config_.reconnect_interval;
  }
}

std::vector<NodeId> Membership::random_members(std::size_t count, NodeId exclude, StateMask want) {
  std::vector<NodeId> picked;
  auto wanted = [&](MemberState st) { return (want & bit(st)) != 0; };
  auto eligible = [&](const Member& m) { return m.id != self_ && m.id != exclude && wanted(m.state); };
  std::size_t available = 0;
  for (MemberState st : {MemberState::unknown, MemberState::alive, MemberState::suspect, MemberState::dead})
    if (wanted(st)) available += state_count_[static_cast<std::size_t>(st)];
  if (wanted(MemberState::alive)) --available;  // self
  if (const Member* x = find(exclude); x && x->id != self_ && wanted(x->state)) --available;
  if (count == 0 || available == 0) return picked;
  // Plenty to choose from: rejection sampling, O(count) rather than O(n).
  if (available > 2 * count && members_.size() > 64) {
    for (std::size_t tries = 0; tries < count * 8 && picked.size() < count; ++tries) {
      const Member& m = members_[rng_.below(members_.size())];
      if (eligible(m) && std::find(picked.begin(), picked.end(), m.id) == picked.end()) picked.push_back(m.id);
    }
    if (picked.size() == count) return picked;
    picked.clear();
  }
  // Few candidates (or a small cluster): exact selection without replacement,
  // so a rare eligible member is never missed.
  std::vector<NodeId> pool;
  pool.reserve(available);
  for (const auto& m : members_)
    if (eligible(m)) pool.push_back(m.id);
  for (std::size_t i = 0; i < pool.size() && picked.size() < count; ++i) {
    std::swap(pool[i], pool[i + rng_.below(pool.size() - i)]);
    picked.push_back(pool[i]);
  }
  return picked;
}

void Membership::start_probe(TimePoint now, Effects& out) {
  // Walk the shuffled peer list round-robin (SWIM's bounded detection time:
  // every up peer is probed once per lap), reshuffling at each lap.
  NodeId target = kNoNode;
  for (std::size_t i = 0; i < probe_order_.size() && target == kNoNode; ++i) {
    if (probe_pos_ >= probe_order_.size()) {
      probe_pos_ = 0;
      for (std::size_t j = probe_order_.size(); j > 1; --j) std::swap(probe_order_[j - 1], probe_order_[rng_.below(j)]);
    }
    const NodeId candidate = probe_order_[probe_pos_++];
    if (is_up(state_of(candidate))) target = candidate;
  }
  if (target == kNoNode) {
    next_probe_ = now + config_.probe_interval;
    return;
  }
  Probe p;
  p.target = target;
  p.seq = next_seq_++;
  p.direct_deadline = now + awareness_.scale(config_.probe_timeout);
  p.period_end = now + awareness_.scale(config_.probe_interval);
  probe_ = p;
  ++stats_.probes;
  send(target, MembershipMessage{MsgType::ping, 0, p.seq, target, {}}, out);
}

void Membership::escalate_probe(Effects& out) {
  Probe& p = *probe_;
  p.indirect_sent = true;
  const auto k = static_cast<std::size_t>(std::max(0, config_.indirect_checks));
  const std::vector<NodeId> helpers = random_members(k, p.target, bit(MemberState::alive));
  for (NodeId h : helpers) send(h, MembershipMessage{MsgType::indirect_ping, 0, p.seq, p.target, {}}, out);
  p.expected_nacks = static_cast<int>(helpers.size());
  // Retry the direct path as well (memberlist adds a TCP ping here). With
  // fewer than k helpers (two- and three-node clusters) the missing helpers
  // are made up by direct retries, so a single lost datagram never causes a
  // suspicion on its own.
  const std::size_t retries = std::max<std::size_t>(1, k - helpers.size());
  for (std::size_t i = 0; i < retries; ++i)
    send(p.target, MembershipMessage{MsgType::ping, 0, p.seq, p.target, {}}, out);
}

void Membership::finish_probe(TimePoint now, Effects& out) {
  const Probe p = *probe_;
  probe_.reset();
  next_probe_ = p.period_end;
  if (p.acked) {
    awareness_.apply(-1);
    return;
  }
  ++stats_.probe_failures;
  // Missing nacks mean our own links failed, not (only) the target's.
  awareness_.apply(p.expected_nacks > 0 ? p.expected_nacks - std::min(p.nacks, p.expected_nacks) : 1);
  const Member* m = find(p.target);
  // A suspect target gets our failed probe as a confirmation.
  if (m && is_up(m->state)) apply_suspect(p.target, m->incarnation, self_, now, out);
}

void Membership::on_ack(NodeId from, std::uint32_t seq, Effects& out) {
  if (probe_ && seq == probe_->seq) {
    probe_->acked = true;
    return;
  }
  for (auto it = relays_.begin(); it != relays_.end(); ++it) {
    if (it->our_seq == seq && it->target == from) {
      const Relay r = *it;
      relays_.erase(it);
      send(r.requester, MembershipMessage{MsgType::ack, 0, r.their_seq, kNoNode, {}}, out);
      return;
    }
  }
  // Late acks and acks to reconnect pings: the sender's liveness was already
  // taken from the message header.
}

void Membership::expire_suspicions(TimePoint now, Effects& out) {
  std::vector<NodeId> expired;
  for (const auto& [id, s] : suspicions_)
    if (s.deadline() <= now) expired.push_back(id);
  std::sort(expired.begin(), expired.end());  // deterministic order
  for (NodeId id : expired) {
    Member* m = find(id);
    if (!m || m->state != MemberState::suspect) continue;
    ++stats_.declared_dead;
    apply_dead(id, m->incarnation, self_, out);
  }
}

void Membership::expire_relays(TimePoint now, Effects& out) {
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (it->deadline <= now) {
      const Relay r = *it;
      it = relays_.erase(it);
      send(r.requester, MembershipMessage{MsgType::nack, 0, r.their_seq, kNoNode, {}}, out);
    } else {
      ++it;
    }
  }
}

void Membership::gossip(Effects& out) {
  const auto fanout = static_cast<std::size_t>(config_.gossip_fanout);
  std::vector<NodeId> targets = random_members(fanout, kNoNode, bit(MemberState::alive) | bit(MemberState::suspect));
  // Besides random peers, the nodes that most need news: suspects (so they
  // can refute before their timer runs out) and whoever just accused us (so
  // our refutation reaches the accuser first). Both bounded by the fanout.
  std::vector<NodeId> extra = random_members(fanout, kNoNode, bit(MemberState::suspect));
  for (std::size_t i = 0; i < accusers_.size() && i < fanout; ++i) extra.push_back(accusers_[i]);
  accusers_.clear();
  for (NodeId id : extra)
    if (std::find(targets.begin(), targets.end(), id) == targets.end()) targets.push_back(id);
  for (NodeId to : targets) {
    // Accusers get a message even with nothing queued: its header carries
    // our incarnation.
    const bool accuser = std::find(extra.begin(), extra.end(), to) != extra.end();
    if (broadcasts_.empty() && !accuser) continue;
    send(to, MembershipMessage{MsgType::gossip, 0, 0, kNoNode, {}}, out);
  }
}

void Membership::reconnect(Effects& out) {
  for (NodeId to : random_members(1, kNoNode, bit(MemberState::unknown) | bit(MemberState::dead)))
    send(to, MembershipMessage{MsgType::ping, 0, next_seq_++, to, {}}, out);
}

}  // namespace hactl::net
