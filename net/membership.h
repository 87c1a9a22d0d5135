// Membership: SWIM failure detection with Lifeguard refinements, as a pure
// state machine. Inputs are (message from a peer, now) and (tick, now); the
// outputs are appended to an Effects value: plaintext payloads to send to a
// node, and member state changes. It never touches a socket, a clock or a
// global RNG, so a simulated network can run hundreds of them in one process.
//
// The member set is fixed by cluster.conf: only configured nodes exist, and a
// node that is down is `dead` (or `unknown` until first heard of) rather than
// forgotten. Down nodes are pinged every reconnect_interval, which is how
// partitions heal and restarted nodes rejoin (PROTOCOL.md, "Rejoin").
//
// Thread safety: none; one owner drives it from one thread.
// Invariants: self is always alive in its own table; a member's incarnation
// never decreases; at most one suspicion timer per suspect member.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/broadcast_queue.h"
#include "net/membership_config.h"
#include "net/membership_messages.h"
#include "net/rng.h"
#include "net/suspicion.h"

namespace hactl::net {

enum class MemberState : std::uint8_t { unknown, alive, suspect, dead };
std::string_view member_state_name(MemberState s);
// Members of the view: alive and suspect nodes (a suspect may still refute).
inline bool is_up(MemberState s) { return s == MemberState::alive || s == MemberState::suspect; }

struct MemberEvent {
  NodeId node = kNoNode;
  MemberState state = MemberState::unknown;
  std::uint32_t incarnation = 0;
};

struct Outgoing {
  NodeId to = kNoNode;
  Bytes payload;  // membership payload (MembershipEndpoint: the sealed datagram)
};

struct Effects {
  std::vector<Outgoing> sends;
  std::vector<MemberEvent> events;
  void clear() {
    sends.clear();
    events.clear();
  }
};

struct MembershipStats {
  std::uint64_t probes = 0;
  std::uint64_t probe_failures = 0;   // no ack, direct nor indirect, within a period
  std::uint64_t suspicions = 0;       // suspicions this node started or learned
  std::uint64_t refutations = 0;      // suspicions of ourselves we refuted
  std::uint64_t declared_dead = 0;    // suspicion timers that expired here
  std::uint64_t malformed = 0;        // authenticated but undecodable payloads
  std::uint64_t misdirected = 0;      // pings meant for another node
  std::uint64_t sync_requests = 0;    // member tables we asked for
};

class Membership {
 public:
  Membership(NodeId self, const std::vector<NodeId>& members, const MembershipConfig& config, std::uint64_t seed);

  // Announces ourselves alive and schedules the first probe. Call once.
  void start(TimePoint now, Effects& out);
  void on_message(NodeId from, ByteView payload, TimePoint now, Effects& out);
  void on_tick(TimePoint now, Effects& out);
  // When on_tick must be called next (calling it earlier or more often is harmless).
  TimePoint next_wakeup() const;

  NodeId self() const { return self_; }
  std::uint32_t incarnation() const { return incarnation_; }
  MemberState state_of(NodeId node) const;
  std::uint32_t incarnation_of(NodeId node) const;
  // Up members (alive + suspect), self included, ascending ids.
  std::vector<NodeId> up_members() const;
  std::size_t member_count() const { return members_.size(); }
  int awareness() const { return awareness_.score(); }
  const MembershipStats& stats() const { return stats_; }

 private:
  struct Member {
    NodeId id = kNoNode;
    MemberState state = MemberState::unknown;
    std::uint32_t incarnation = 0;
  };
  struct Probe {  // the one probe in flight
    NodeId target = kNoNode;
    std::uint32_t seq = 0;
    TimePoint direct_deadline, period_end;
    bool acked = false, indirect_sent = false;
    int expected_nacks = 0, nacks = 0;
  };
  struct Relay {  // an indirect probe we run for `requester`
    NodeId requester = kNoNode, target = kNoNode;
    std::uint32_t their_seq = 0, our_seq = 0;
    TimePoint deadline;
  };

  Member* find(NodeId id);
  const Member* find(NodeId id) const;
  void set_state(Member& m, MemberState s, std::uint32_t inc, Effects& out);
  std::size_t up_count() const;

  // Gossip rules (membership.cpp).
  void apply(const Update& u, TimePoint now, Effects& out);
  void apply_alive(NodeId node, std::uint32_t inc, Effects& out);
  void apply_suspect(NodeId node, std::uint32_t inc, NodeId from, TimePoint now, Effects& out);
  void apply_dead(NodeId node, std::uint32_t inc, NodeId from, Effects& out);
  void refute(std::uint32_t accused_inc);
  void note_accuser(NodeId node);
  void send(NodeId to, MembershipMessage msg, Effects& out);
  void send_table(NodeId to, Effects& out);
  // Suspicions and refutations race a timer: gossip them at the next tick
  // instead of waiting for the gossip interval.
  void gossip_soon() { next_gossip_ = TimePoint::min(); }

  // Probe cycle and timers (membership_probe.cpp).
  void start_probe(TimePoint now, Effects& out);
  void escalate_probe(Effects& out);
  void finish_probe(TimePoint now, Effects& out);
  void expire_suspicions(TimePoint now, Effects& out);
  void expire_relays(TimePoint now, Effects& out);
  void gossip(Effects& out);
  void reconnect(Effects& out);
  void on_ack(NodeId from, std::uint32_t seq, Effects& out);
  // Bit mask of MemberStates, for random_members.
  using StateMask = unsigned;
  static constexpr StateMask bit(MemberState s) { return 1u << static_cast<unsigned>(s); }
  std::vector<NodeId> random_members(std::size_t count, NodeId exclude, StateMask want);

  NodeId self_;
  MembershipConfig config_;
  Rng rng_;
  std::uint32_t incarnation_ = 0;
  std::vector<Member> members_;                    // every configured node, self included
  std::unordered_map<NodeId, std::size_t> index_;  // id -> position in members_
  std::unordered_map<NodeId, Suspicion> suspicions_;
  BroadcastQueue broadcasts_;
  Awareness awareness_;

  std::vector<NodeId> probe_order_;  // shuffled peers, walked round-robin
  std::size_t probe_pos_ = 0;
  std::optional<Probe> probe_;
  std::vector<Relay> relays_;
  std::vector<NodeId> accusers_;  // nodes that suspected us since the last gossip round
  std::uint32_t next_seq_ = 1;
  bool started_ = false;
  std::size_t unknown_ = 0;  // members never heard of since start
  std::array<std::size_t, 4> state_count_{};  // members per MemberState, self included
  std::optional<TimePoint> last_sync_request_;
  TimePoint next_probe_, next_gossip_, next_reconnect_;
  MembershipStats stats_;
};

}  // namespace hactl::net
