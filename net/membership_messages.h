// The membership payload carried inside a membership-channel frame
// (grammar in net/PROTOCOL.md). The sender's id is the frame's, so it is not
// repeated here. Every message carries the sender's incarnation, which makes
// any message direct evidence that the sender is alive at that incarnation.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "net/net_types.h"

namespace hactl::net {

// Wire numbers: never reuse.
enum class MsgType : std::uint8_t {
  ping = 1,
  indirect_ping = 2,
  ack = 3,
  nack = 4,
  gossip = 5,
  sync_request = 6,  // "send me your member table" (after start or restart)
  sync = 7,          // part of a member table, as updates
};
enum class UpdateKind : std::uint8_t { alive = 1, suspect = 2, dead = 3 };

// A piggybacked membership fact: "node is kind at incarnation (says from)".
struct Update {
  UpdateKind kind = UpdateKind::alive;
  NodeId node = kNoNode;
  std::uint32_t incarnation = 0;
  NodeId from = kNoNode;  // accuser, for suspect and dead only
  bool operator==(const Update&) const = default;
};

struct MembershipMessage {
  MsgType type = MsgType::gossip;
  std::uint32_t sender_incarnation = 0;
  std::uint32_t probe_seq = 0;  // ping, indirect_ping, ack, nack
  NodeId target = kNoNode;      // ping: the node meant to answer; indirect_ping: the node to probe
  std::vector<Update> updates;
  bool operator==(const MembershipMessage&) const = default;
};

inline constexpr std::size_t kMaxUpdatesPerMessage = 255;
// Encoded size of one update (upper bound, used for packet budgets).
inline constexpr std::size_t kMaxUpdateBytes = 13;
// Encoded size of everything but the updates (upper bound).
inline constexpr std::size_t kMaxMessageHeaderBytes = 14;

Bytes encode_message(const MembershipMessage& m);
// nullopt for anything malformed: unknown type or update kind, truncated,
// trailing bytes.
std::optional<MembershipMessage> decode_message(ByteView payload);

}  // namespace hactl::net
