// Frame: the authenticated envelope of every message between nodes
// (layout in net/PROTOCOL.md). Sealing is XChaCha20-Poly1305 (IETF AEAD) with
// the channel's key; the clear header is the associated data, so sender, boot
// and sequence number cannot be altered without failing authentication.
//
// These are pure functions; replay protection and counters are FrameGuard's.
#pragma once

#include <cstdint>
#include <optional>

#include "net/cluster_key.h"
#include "net/net_types.h"

namespace hactl::net {

inline constexpr std::uint8_t kWireVersion = 1;
inline constexpr std::size_t kFrameHeaderBytes = 28;
inline constexpr std::size_t kFrameTagBytes = 16;
inline constexpr std::size_t kFrameOverhead = kFrameHeaderBytes + kFrameTagBytes;
// A membership datagram must fit one Ethernet frame without IP fragmentation.
inline constexpr std::size_t kMaxDatagramBytes = 1400;

struct FrameHeader {
  std::uint8_t version = kWireVersion;
  Channel channel = Channel::membership;
  NodeId sender = kNoNode;
  // Start time of the sender's process (chosen by the daemon, must grow from
  // one start to the next); a frame from an older boot is a replay.
  std::uint64_t boot = 0;
  std::uint64_t seq = 0;   // per (sender, boot, channel), starts at 1, +1 per frame
  std::uint32_t salt = 0;  // random per process: keeps nonces unique if a boot value repeats
  bool operator==(const FrameHeader&) const = default;
};

enum class FrameError : std::uint8_t { truncated, bad_version, bad_channel, bad_flags, bad_auth };

// header + sealed payload; never fails.
Bytes seal_frame(const FrameHeader& header, ByteView payload, const KeyBytes& channel_key);

// Parses the clear header without authenticating it (for cheap early checks).
std::optional<FrameHeader> peek_frame_header(ByteView frame, FrameError* why = nullptr);

// Authenticates and decrypts. On success returns the payload; the header is
// the one peek_frame_header returns.
std::optional<Bytes> open_frame(ByteView frame, const KeyBytes& channel_key, FrameError* why = nullptr);

}  // namespace hactl::net
