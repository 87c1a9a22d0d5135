// FrameSealer and FrameGuard: the two ends of one channel.
//
// FrameSealer numbers and seals outgoing frames for this node.
// FrameGuard is the receive side's single gate: every frame from the network
// goes through open(), which drops (and counts, by reason) frames that are
// truncated, oversized, of another version or channel, from an unknown
// sender or from ourselves, forged or made with another key, or replayed.
// It never throws and never allocates more than the frame's size.
//
// Both are single-threaded values with no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/cluster_key.h"
#include "net/frame.h"
#include "net/replay_window.h"

namespace hactl::net {

class FrameSealer {
 public:
  // `boot` must be larger than in any earlier run of this node (see PROTOCOL.md);
  // `salt` should be random.
  FrameSealer(Channel channel, const KeyBytes& cluster_key, NodeId self, std::uint64_t boot, std::uint32_t salt);
  Bytes seal(ByteView payload);
  std::uint64_t frames_sealed() const { return next_seq_ - 1; }

 private:
  KeyBytes key_;
  FrameHeader header_;
  std::uint64_t next_seq_ = 1;
};

// Reasons are part of the daemon's metrics; append only.
enum class DropReason : std::uint8_t {
  truncated,
  oversized,
  bad_version,
  bad_channel,  // another channel's frame, or unknown channel number
  bad_header,   // reserved flags set
  unknown_sender,
  from_self,
  bad_auth,     // forged, corrupted, or sealed with another cluster key
  replayed,     // same (boot, seq) accepted before, or older than the window
  stale_boot,   // from an earlier run of the sender
  count_
};
std::string_view drop_reason_name(DropReason r);

struct GuardCounters {
  std::uint64_t accepted = 0;
  std::array<std::uint64_t, static_cast<std::size_t>(DropReason::count_)> dropped{};
  std::uint64_t dropped_total() const;
  std::uint64_t operator[](DropReason r) const { return dropped[static_cast<std::size_t>(r)]; }
};

struct OpenedFrame {
  NodeId sender = kNoNode;
  std::uint64_t boot = 0;
  Bytes payload;
};

class FrameGuard {
 public:
  FrameGuard(Channel channel, const KeyBytes& cluster_key, NodeId self, const std::vector<NodeId>& members,
             std::size_t max_frame_bytes);

  // The payload when the frame is acceptable, else nullopt with *why set.
  std::optional<OpenedFrame> open(ByteView frame, DropReason* why = nullptr);

  const GuardCounters& counters() const { return counters_; }

 private:
  std::optional<OpenedFrame> drop(DropReason r, DropReason* why);

  Channel channel_;
  KeyBytes key_;
  NodeId self_;
  std::size_t max_frame_;
  std::unordered_map<NodeId, ReplayWindow> windows_;  // one per configured peer
  GuardCounters counters_;
};

}  // namespace hactl::net
