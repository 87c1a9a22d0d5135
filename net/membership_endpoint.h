// MembershipEndpoint: one node's membership as the network sees it — the
// Membership state machine behind the membership channel's FrameGuard and
// FrameSealer. Datagrams in, sealed datagrams out; still no clock and no
// socket, so the simulator and the asio adapter drive the very same object.
//
// Driving it (one thread): call start(now) once; on every datagram received
// call on_datagram(bytes, now); call on_tick(now) when next_wakeup() is
// reached. After each call, send every effects.sends[i].payload to node
// effects.sends[i].to and handle effects.events, then clear the effects.
#pragma once

#include "net/frame_guard.h"
#include "net/membership.h"

namespace hactl::net {

struct EndpointIdentity {
  NodeId self = kNoNode;
  std::uint64_t boot = 0;   // larger on every start of this node (PROTOCOL.md)
  std::uint32_t salt = 0;   // random per process
  std::uint64_t seed = 0;   // protocol randomness (peer selection)
};

class MembershipEndpoint {
 public:
  MembershipEndpoint(const EndpointIdentity& id, const std::vector<NodeId>& members, const KeyBytes& cluster_key,
                     const MembershipConfig& config);

  void start(TimePoint now, Effects& out);
  void on_datagram(ByteView datagram, TimePoint now, Effects& out);
  void on_tick(TimePoint now, Effects& out);
  TimePoint next_wakeup() const { return membership_.next_wakeup(); }

  const Membership& membership() const { return membership_; }
  const GuardCounters& guard_counters() const { return guard_.counters(); }

 private:
  void seal(Effects& out, std::size_t first);

  Membership membership_;
  FrameSealer sealer_;
  FrameGuard guard_;
};

}  // namespace hactl::net
