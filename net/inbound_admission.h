// InboundAdmission: which incoming bulk (TCP) connections a node keeps.
//
// A connection is anonymous until its first frame authenticates, so until then
// it holds one of a few unauthenticated places: at most `per_source` per
// source address and `unauthenticated` in all, each for at most
// `handshake_deadline`. When a place is wanted and none is free, the OLDEST
// anonymous connection (of that source, or overall) is closed to make room, so
// a peer's fresh connection always gets in, whatever junk fills the places.
// Authenticated connections live in their own places (`per_peer` per node, the
// oldest closed first) and are closed after `idle` without a frame.
//
// A pure value: time is an input, connection ids are the caller's (unique, and
// ids given to accepted() must grow); it returns which connections to close and
// why, and never touches a socket.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/net_types.h"

namespace hactl::net {

struct AdmissionLimits {
  Millis handshake_deadline{2000};  // accept -> first authenticated frame
  std::size_t per_source = 8;        // unauthenticated connections from one address
  std::size_t unauthenticated = 64;  // unauthenticated connections in all
  std::size_t per_peer = 2;          // authenticated connections per node (a reconnect overlaps the old one)
  Millis idle{120000};               // authenticated, no frame for this long
};

// Why the transport closed an inbound connection. Part of the daemon's
// security log; append only.
enum class InboundRefusal : std::uint8_t {
  handshake_deadline,  // no authenticated frame in time
  source_cap,          // made room for a newer connection from the same address
  total_cap,           // made room for a newer connection (all places taken)
  peer_cap,            // an older connection of a node that connected again
  idle,                // authenticated but silent
  unauthenticated_length,  // length prefix over the pre-authentication limit (or malformed)
  failed_authentication,   // the first frame did not authenticate
  count_
};
std::string_view inbound_refusal_name(InboundRefusal r);

using ConnectionId = std::uint64_t;

struct InboundClosure {
  ConnectionId id = 0;
  InboundRefusal reason = InboundRefusal::handshake_deadline;
  bool operator==(const InboundClosure&) const = default;
};

class InboundAdmission {
 public:
  explicit InboundAdmission(AdmissionLimits limits = {}) : limits_(limits) {}

  // A new connection from `source`: always admitted; returns the older ones
  // to close to make room for it.
  std::vector<InboundClosure> accepted(ConnectionId id, const std::string& source, TimePoint now);
  // Its first frame authenticated as `peer`: moved to the peer's places;
  // returns that peer's older connections beyond `per_peer`.
  std::vector<InboundClosure> authenticated(ConnectionId id, NodeId peer, TimePoint now);
  // A frame arrived on an authenticated connection.
  void active(ConnectionId id, TimePoint now);
  // Closed for any reason (including those this class returned): forgotten.
  void closed(ConnectionId id);
  // Connections past their deadline or idle limit at `now` (forgotten already).
  std::vector<InboundClosure> expire(TimePoint now);
  // When expire() next has something to do, if ever.
  std::optional<TimePoint> next_expiry() const;

  bool is_authenticated(ConnectionId id) const;
  std::size_t unauthenticated_count() const;
  std::size_t authenticated_count() const { return entries_.size() - unauthenticated_count(); }
  const AdmissionLimits& limits() const { return limits_; }

 private:
  struct Entry {
    std::string source;
    NodeId peer = kNoNode;  // kNoNode while unauthenticated
    TimePoint since{};      // accepted (unauthenticated) or last frame (authenticated)
  };
  TimePoint expiry(const Entry& e) const;
  // Closes the oldest unauthenticated entry matching `source` (any when empty).
  void evict_oldest(const std::string* source, InboundRefusal why, std::vector<InboundClosure>& out);

  AdmissionLimits limits_;
  std::map<ConnectionId, Entry> entries_;  // ordered by id: oldest first
};

}  // namespace hactl::net
