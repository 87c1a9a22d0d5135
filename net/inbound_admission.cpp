#include "net/inbound_admission.h"

#include <algorithm>

namespace hactl::net {

std::string_view inbound_refusal_name(InboundRefusal r) {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(InboundRefusal::count_)> names = {
      "handshake_deadline", "source_cap", "total_cap", "peer_cap", "idle", "unauthenticated_length",
      "failed_authentication"};
  const auto i = static_cast<std::size_t>(r);
  return i < names.size() ? names[i] : "unknown";
}

TimePoint InboundAdmission::expiry(const Entry& e) const {
  return e.since + (e.peer == kNoNode ? limits_.handshake_deadline : limits_.idle);
}

void InboundAdmission::evict_oldest(const std::string* source, InboundRefusal why, std::vector<InboundClosure>& out) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->second.peer == kNoNode && (!source || it->second.source == *source)) {
      out.push_back({it->first, why});
      entries_.erase(it);
      return;
    }
}

std::vector<InboundClosure> InboundAdmission::accepted(ConnectionId id, const std::string& source, TimePoint now) {
  std::vector<InboundClosure> out;
  const auto from_source = static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), [&](const auto& kv) {
    return kv.second.peer == kNoNode && kv.second.source == source;
  }));
  if (from_source >= std::max<std::size_t>(1, limits_.per_source))
    evict_oldest(&source, InboundRefusal::source_cap, out);
  if (unauthenticated_count() >= std::max<std::size_t>(1, limits_.unauthenticated))
    evict_oldest(nullptr, InboundRefusal::total_cap, out);
  entries_[id] = Entry{source, kNoNode, now};
  return out;
}

std::vector<InboundClosure> InboundAdmission::authenticated(ConnectionId id, NodeId peer, TimePoint now) {
  std::vector<InboundClosure> out;
  auto it = entries_.find(id);
  if (it == entries_.end() || peer == kNoNode) return out;
  it->second.peer = peer;
  it->second.since = now;
  std::size_t of_peer = 0;
  for (const auto& [i, e] : entries_) of_peer += e.peer == peer;
  // Oldest first, never the one that just authenticated.
  for (auto e = entries_.begin(); e != entries_.end() && of_peer > std::max<std::size_t>(1, limits_.per_peer);) {
    if (e->second.peer == peer && e->first != id) {
      out.push_back({e->first, InboundRefusal::peer_cap});
      e = entries_.erase(e);
      --of_peer;
    } else {
      ++e;
    }
  }
  return out;
}

void InboundAdmission::active(ConnectionId id, TimePoint now) {
  auto it = entries_.find(id);
  if (it != entries_.end() && it->second.peer != kNoNode) it->second.since = now;
}

void InboundAdmission::closed(ConnectionId id) { entries_.erase(id); }

std::vector<InboundClosure> InboundAdmission::expire(TimePoint now) {
  std::vector<InboundClosure> out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (expiry(it->second) <= now) {
      out.push_back({it->first, it->second.peer == kNoNode ? InboundRefusal::handshake_deadline : InboundRefusal::idle});
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<TimePoint> InboundAdmission::next_expiry() const {
  std::optional<TimePoint> next;
  for (const auto& [id, e] : entries_)
    if (!next || expiry(e) < *next) next = expiry(e);
  return next;
}

bool InboundAdmission::is_authenticated(ConnectionId id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.peer != kNoNode;
}

std::size_t InboundAdmission::unauthenticated_count() const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const auto& kv) { return kv.second.peer == kNoNode; }));
}

}  // namespace hactl::net
