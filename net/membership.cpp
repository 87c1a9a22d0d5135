// Membership: the member table and the rules for applying gossip (alive,
// suspect, dead with incarnation numbers) and for answering messages.
#include "net/membership.h"

#include <algorithm>

#include "net/frame.h"

namespace hactl::net {

std::string_view member_state_name(MemberState s) {
  switch (s) {
    case MemberState::unknown: return "unknown";
    case MemberState::alive: return "alive";
    case MemberState::suspect: return "suspect";
    case MemberState::dead: return "dead";
  }
  return "?";
}

Membership::Membership(NodeId self, const std::vector<NodeId>& members, const MembershipConfig& config,
                       std::uint64_t seed)
    : self_(self), config_(config), rng_(seed), awareness_(config.awareness_max) {
  for (NodeId id : members) {
    if (id == kNoNode || index_.count(id)) continue;
    index_[id] = members_.size();
    members_.push_back(Member{id, id == self ? MemberState::alive : MemberState::unknown, 0});
    if (id != self) probe_order_.push_back(id);
    if (id != self) ++unknown_;
  }
  if (!index_.count(self)) {
    index_[self] = members_.size();
    members_.push_back(Member{self, MemberState::alive, 0});
  }
  for (const auto& m : members_) ++state_count_[static_cast<std::size_t>(m.state)];
}

Membership::Member* Membership::find(NodeId id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &members_[it->second];
}
const Membership::Member* Membership::find(NodeId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &members_[it->second];
}

MemberState Membership::state_of(NodeId node) const {
  const Member* m = find(node);
  return m ? m->state : MemberState::unknown;
}
std::uint32_t Membership::incarnation_of(NodeId node) const {
  if (node == self_) return incarnation_;
  const Member* m = find(node);
  return m ? m->incarnation : 0;
}

std::vector<NodeId> Membership::up_members() const {
  std::vector<NodeId> out;
  for (const auto& m : members_)
    if (is_up(m.state)) out.push_back(m.id);
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t Membership::up_count() const {
  return state_count_[static_cast<std::size_t>(MemberState::alive)] +
         state_count_[static_cast<std::size_t>(MemberState::suspect)];
}

void Membership::set_state(Member& m, MemberState s, std::uint32_t inc, Effects& out) {
  const bool changed = m.state != s;
  if (m.state == MemberState::unknown && s != MemberState::unknown) --unknown_;
  --state_count_[static_cast<std::size_t>(m.state)];
  ++state_count_[static_cast<std::size_t>(s)];
  m.state = s;
  m.incarnation = inc;
  if (s != MemberState::suspect) suspicions_.erase(m.id);
  if (changed) out.events.push_back(MemberEvent{m.id, s, inc});
}

void Membership::apply(const Update& u, TimePoint now, Effects& out) {
  switch (u.kind) {
    case UpdateKind::alive: apply_alive(u.node, u.incarnation, out); break;
    case UpdateKind::suspect: apply_suspect(u.node, u.incarnation, u.from, now, out); break;
    case UpdateKind::dead: apply_dead(u.node, u.incarnation, u.from, out); break;
  }
}

void Membership::apply_alive(NodeId node, std::uint32_t inc, Effects& out) {
  // Only a node itself issues alive messages about itself; an echo of an
  // older one changes nothing here.
  if (node == self_) return;
  Member* m = find(node);
  if (!m) return;
  // A higher incarnation overrides suspect and dead; the same incarnation
  // does not (the node must refute with a higher one). An unseen node takes
  // whatever incarnation it is first heard at.
  if (m->state != MemberState::unknown && inc <= m->incarnation) return;
  set_state(*m, MemberState::alive, inc, out);
  broadcasts_.enqueue(Update{UpdateKind::alive, node, inc, kNoNode});
}

void Membership::refute(std::uint32_t accused_inc) {
  incarnation_ = std::max(incarnation_, accused_inc) + 1;
  broadcasts_.enqueue(Update{UpdateKind::alive, self_, incarnation_, kNoNode});
  ++stats_.refutations;
  gossip_soon();
  // Being suspected is a hint that we are the slow one (Lifeguard).
  awareness_.apply(+1);
}

void Membership::note_accuser(NodeId node) {
  if (node == self_ || !find(node)) return;
  if (std::find(accusers_.begin(), accusers_.end(), node) == accusers_.end()) accusers_.push_back(node);
  gossip_soon();
}

void Membership::apply_suspect(NodeId node, std::uint32_t inc, NodeId from, TimePoint now, Effects& out) {
  if (node == self_) {
    if (inc >= incarnation_) {
      refute(inc);
      note_accuser(from);
    }
    return;
  }
  Member* m = find(node);
  if (!m || inc < m->incarnation || m->state == MemberState::dead) return;
  if (m->state == MemberState::suspect && inc == m->incarnation) {
    // An independent accuser shortens the timer; pass the confirmation on so
    // that others can count it too.
    auto it = suspicions_.find(node);
    if (it != suspicions_.end() && it->second.confirm(from))
      broadcasts_.enqueue(Update{UpdateKind::suspect, node, inc, from});
    return;
  }
  const std::size_t n = up_count();
  const Millis min = suspicion_min_timeout(config_.suspicion_base, n);
  const Millis max = min * config_.suspicion_max_mult;
  const int k = expected_confirmations(config_.suspicion_confirmations, n);
  set_state(*m, MemberState::suspect, inc, out);
  suspicions_.insert_or_assign(node, Suspicion(from, k, min, max, now));
  ++stats_.suspicions;
  broadcasts_.enqueue(Update{UpdateKind::suspect, node, inc, from});
  gossip_soon();
}

void Membership::apply_dead(NodeId node, std::uint32_t inc, NodeId from, Effects& out) {
  if (node == self_) {
    if (inc >= incarnation_) {
      refute(inc);
      note_accuser(from);
    }
    return;
  }
  Member* m = find(node);
  if (!m || inc < m->incarnation || m->state == MemberState::dead) return;
  set_state(*m, MemberState::dead, inc, out);
  broadcasts_.enqueue(Update{UpdateKind::dead, node, inc, from});
}

void Membership::send(NodeId to, MembershipMessage msg, Effects& out) {
  msg.sender_incarnation = incarnation_;
  // Tell a node what we hold against it first: a suspected or dead node
  // learns of it from the first packet we send it and can refute, even after
  // the update's retransmissions ran out (this is what makes rejoin work).
  if (const Member* m = find(to); m && (m->state == MemberState::suspect || m->state == MemberState::dead)) {
    const UpdateKind kind = m->state == MemberState::dead ? UpdateKind::dead : UpdateKind::suspect;
    msg.updates.push_back(Update{kind, to, m->incarnation, self_});
  }
  const std::size_t room = (config_.max_datagram - kFrameOverhead - kMaxMessageHeaderBytes) / kMaxUpdateBytes;
  const std::size_t budget = std::min(room, kMaxUpdatesPerMessage) - msg.updates.size();
  auto piggyback = broadcasts_.take(budget, retransmit_limit(config_.retransmit_mult, members_.size()));
  msg.updates.insert(msg.updates.end(), piggyback.begin(), piggyback.end());
  out.sends.push_back(Outgoing{to, encode_message(msg)});
}

void Membership::send_table(NodeId to, Effects& out) {
  // Every member we know of, as the facts that make a receiver's table equal
  // ours; split over as many datagrams as needed.
  const std::size_t per_message =
      std::min((config_.max_datagram - kFrameOverhead - kMaxMessageHeaderBytes) / kMaxUpdateBytes, kMaxUpdatesPerMessage);
  MembershipMessage msg{MsgType::sync, incarnation_, 0, kNoNode, {}};
  for (const Member& m : members_) {
    if (m.state == MemberState::unknown) continue;
    const std::uint32_t inc = m.id == self_ ? incarnation_ : m.incarnation;
    const UpdateKind kind = m.state == MemberState::alive     ? UpdateKind::alive
                            : m.state == MemberState::suspect ? UpdateKind::suspect
                                                              : UpdateKind::dead;
    msg.updates.push_back(Update{kind, m.id, inc, kind == UpdateKind::alive ? kNoNode : self_});
    if (msg.updates.size() == per_message) {
      out.sends.push_back(Outgoing{to, encode_message(msg)});
      msg.updates.clear();
    }
  }
  if (!msg.updates.empty()) out.sends.push_back(Outgoing{to, encode_message(msg)});
}

void Membership::on_message(NodeId from, ByteView payload, TimePoint now, Effects& out) {
  auto msg = decode_message(payload);
  if (!msg || !find(from) || from == self_) {
    ++stats_.malformed;
    return;
  }
  // Any authenticated message is first-hand proof its sender is alive at the
  // incarnation it states.
  apply_alive(from, msg->sender_incarnation, out);
  bool accused = false;
  for (const Update& u : msg->updates) {
    apply(u, now, out);
    accused |= u.node == self_ && u.kind != UpdateKind::alive;
  }
  // The sender holds a suspicion or death of us, perhaps an outdated one we
  // will not refute again: answer it promptly, since every message carries
  // our current incarnation and so corrects it.
  if (accused) note_accuser(from);
  // Still missing members: get a whole table from the first peer we hear
  // from, rather than meeting all nodes one by one.
  if (unknown_ > 0 && msg->type != MsgType::sync && is_up(state_of(from)) &&
      (!last_sync_request_ || now - *last_sync_request_ >= config_.sync_interval)) {
    last_sync_request_ = now;
    ++stats_.sync_requests;
    send(from, MembershipMessage{MsgType::sync_request, 0, 0, kNoNode, {}}, out);
  }

  switch (msg->type) {
    case MsgType::ping:
      if (msg->target != self_) {
        ++stats_.misdirected;
        return;
      }
      send(from, MembershipMessage{MsgType::ack, 0, msg->probe_seq, kNoNode, {}}, out);
      return;
    case MsgType::indirect_ping: {
      if (msg->target == self_ || !find(msg->target)) return;
      const std::uint32_t seq = next_seq_++;
      // The relay waits as long as the requester's remaining period allows;
      // answering with a nack when the target is silent lets the requester
      // tell "target down" from "my own links are bad" (Lifeguard).
      relays_.push_back(Relay{from, msg->target, msg->probe_seq, seq, now + awareness_.scale(config_.probe_timeout)});
      send(msg->target, MembershipMessage{MsgType::ping, 0, seq, msg->target, {}}, out);
      return;
    }
    case MsgType::ack: on_ack(from, msg->probe_seq, out); return;
    case MsgType::nack:
      if (probe_ && msg->probe_seq == probe_->seq) ++probe_->nacks;
      return;
    case MsgType::gossip: return;
    case MsgType::sync_request: send_table(from, out); return;
    case MsgType::sync: return;  // its updates were applied above
  }
}

}  // namespace hactl::net
