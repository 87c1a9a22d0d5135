// ClusterKey: the 32-byte authkey shared by every node, and the per-purpose
// subkeys derived from it. Each channel (membership datagrams, bulk streams)
// gets its own subkey, so a frame captured on one channel can never be
// accepted on the other, even before the channel byte is checked.
#pragma once

#include <array>
#include <cstdint>

#include "core/status.h"
#include "net/net_types.h"

namespace hactl::net {

inline constexpr std::size_t kKeyBytes = 32;
using KeyBytes = std::array<std::uint8_t, kKeyBytes>;

// Channel numbers are part of the wire format (PROTOCOL.md): never reuse one.
enum class Channel : std::uint8_t {
  membership = 1,  // UDP datagrams: SWIM probes and gossip
  bulk = 2,        // TCP stream frames: CIB replication, forwarded commands
};

// Initialises libsodium once per process; safe to call from anywhere, any
// number of times. Fails only when the CPU/OS lacks what libsodium needs.
core::Status ensure_sodium();

// The key for one channel, derived with crypto_kdf from the cluster key.
// Requires ensure_sodium() to have succeeded.
KeyBytes derive_channel_key(const KeyBytes& cluster_key, Channel channel);

// Reads a key given as raw bytes (the authkey file's content). Exactly 32 bytes.
core::Result<KeyBytes> key_from_bytes(ByteView raw);

}  // namespace hactl::net
