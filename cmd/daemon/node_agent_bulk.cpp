// NodeAgent's bulk channel: authenticated frames in (CIB replication or
// another family's handlers), sealed frames out, and the counters of what
// the guard and the transport refused, logged once per change.
#include <asio.hpp>

#include "cmd/daemon/log.h"
#include "cmd/daemon/node_agent.h"
#include "net/frame_guard.h"
#include "net/tcp_transport.h"

namespace hactl::cmd::daemon {

// Frames that failed authentication are the sign of a misconfigured node (a
// wrong authkey) or of an attack: say so, once per change, with the reason.
void NodeAgent::log_dropped_frames() {
  const net::GuardCounters membership_guard = membership_->counters().guard;
  const net::GuardCounters* sources[] = {&membership_guard, &guard_->counters()};
  const char* names[] = {"membership", "bulk"};
  for (int i = 0; i < 2; ++i) {
    const net::GuardCounters& c = *sources[i];
    for (size_t r = 0; r < static_cast<size_t>(net::DropReason::count_); ++r) {
      uint64_t& seen = dropped_seen_[i][r];
      if (c.dropped[r] == seen) continue;
      log_warn("security", std::to_string(c.dropped[r] - seen) + " " + names[i] + " frame(s) dropped: " +
                               std::string(net::drop_reason_name(static_cast<net::DropReason>(r))) +
                               (static_cast<net::DropReason>(r) == net::DropReason::bad_auth
                                    ? " (a node with another cluster key, or forged traffic)"
                                    : ""));
      seen = c.dropped[r];
    }
  }
}

// Bulk connections closed by the transport's limits: junk, a scan, or an
// attempt to hold the node; one line per reason and change, like the drops.
void NodeAgent::log_refused_connections() {
  static_assert(static_cast<size_t>(net::InboundRefusal::count_) <= sizeof(refusals_seen_) / sizeof(uint64_t));
  if (!bulk_) return;
  const net::TcpCounters& c = bulk_->counters();
  const net::AdmissionLimits limits = net::TcpLimits{}.admission;
  for (size_t r = 0; r < static_cast<size_t>(net::InboundRefusal::count_); ++r) {
    uint64_t& seen = refusals_seen_[r];
    if (c.refusals[r] == seen) continue;
    const auto reason = static_cast<net::InboundRefusal>(r);
    std::string line = std::to_string(c.refusals[r] - seen) + " bulk connection(s) closed: " +
                       std::string(net::inbound_refusal_name(reason));
    switch (reason) {
      case net::InboundRefusal::handshake_deadline:
        line += " (no authenticated frame within " + std::to_string(limits.handshake_deadline.count()) + " ms)";
        break;
      case net::InboundRefusal::source_cap:
        line += " (over " + std::to_string(limits.per_source) + " unauthenticated from one address: oldest closed)";
        break;
      case net::InboundRefusal::total_cap:
        line += " (over " + std::to_string(limits.unauthenticated) + " unauthenticated in all: oldest closed)";
        break;
      case net::InboundRefusal::unauthenticated_length:
        line += " (first frame announced over " + std::to_string(net::kMaxUnauthenticatedFrameBytes) +
                " bytes before authentication)";
        break;
      case net::InboundRefusal::failed_authentication:
        line += " (first frame did not authenticate: another cluster key, or not a node)";
        break;
      case net::InboundRefusal::peer_cap:
      case net::InboundRefusal::idle:
      case net::InboundRefusal::count_:
        break;
    }
    // A node's own connections replaced or idle: housekeeping, not an attack.
    if (reason == net::InboundRefusal::peer_cap || reason == net::InboundRefusal::idle)
      log_info("bulk", line);
    else
      log_warn("security", line);
    seen = c.refusals[r];
  }
}

std::optional<uint32_t> NodeAgent::on_bulk_frame(net::ByteView frame) {
  net::DropReason why{};
  auto opened = guard_->open(frame, &why);
  if (!opened) return std::nullopt;  // counted by the guard
  const uint32_t from = opened->sender;
  if (opened->payload.empty()) return from;  // a connection's hello: the transport admits it
  if (opened->payload[0] >= 32) {
    // Even an authenticated peer may send a message this version cannot
    // read (a field of another type): it is refused, never fatal.
    try {
      for (auto& h : bulk_handlers_)
        if (h(from, opened->payload)) return from;
    } catch (const std::exception& e) {
      log_warn("bulk", "malformed message type " + std::to_string(opened->payload[0]) + " from node " + name_of(from) +
                           " ignored: " + e.what());
      return from;
    }
    log_warn("bulk", "unhandled message type " + std::to_string(opened->payload[0]) + " from node " + name_of(from));
    return from;
  }
  auto msg = net::decode_cib_message(opened->payload);
  if (!msg) {
    log_warn("replication", "undecodable message from node " + std::to_string(from));
    return from;
  }
  net::CibEffects fx;
  sync_->on_message(from, *msg, fx);
  apply_effects(fx);
  return from;
}

void NodeAgent::send_bulk(uint32_t to, const std::vector<uint8_t>& payload) {
  if (stopping_ || !bulk_) return;
  if (to == self_) {  // local delivery keeps one code path for the DC's own node
    auto copy = payload;
    asio::post(io_, [this, copy] {
      for (auto& h : bulk_handlers_)
        if (h(self_, copy)) return;
    });
    return;
  }
  bulk_->send(to, sealer_->seal(payload));
}

}  // namespace hactl::cmd::daemon
