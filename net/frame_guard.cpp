#include "net/frame_guard.h"

#include <numeric>

namespace hactl::net {

FrameSealer::FrameSealer(Channel channel, const KeyBytes& cluster_key, NodeId self, std::uint64_t boot,
                         std::uint32_t salt)
    : key_(derive_channel_key(cluster_key, channel)) {
  header_.channel = channel;
  header_.sender = self;
  header_.boot = boot;
  header_.salt = salt;
}

Bytes FrameSealer::seal(ByteView payload) {
  header_.seq = next_seq_++;
  return seal_frame(header_, payload, key_);
}

std::string_view drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::truncated: return "truncated";
    case DropReason::oversized: return "oversized";
    case DropReason::bad_version: return "bad_version";
    case DropReason::bad_channel: return "bad_channel";
    case DropReason::bad_header: return "bad_header";
    case DropReason::unknown_sender: return "unknown_sender";
    case DropReason::from_self: return "from_self";
    case DropReason::bad_auth: return "bad_auth";
    case DropReason::replayed: return "replayed";
    case DropReason::stale_boot: return "stale_boot";
    case DropReason::count_: break;
  }
  return "?";
}

std::uint64_t GuardCounters::dropped_total() const {
  return std::accumulate(dropped.begin(), dropped.end(), std::uint64_t{0});
}

FrameGuard::FrameGuard(Channel channel, const KeyBytes& cluster_key, NodeId self, const std::vector<NodeId>& members,
                       std::size_t max_frame_bytes)
    : channel_(channel), key_(derive_channel_key(cluster_key, channel)), self_(self), max_frame_(max_frame_bytes) {
  for (NodeId id : members)
    if (id != self) windows_[id];
}

std::optional<OpenedFrame> FrameGuard::drop(DropReason r, DropReason* why) {
  ++counters_.dropped[static_cast<std::size_t>(r)];
  if (why) *why = r;
  return std::nullopt;
}

std::optional<OpenedFrame> FrameGuard::open(ByteView frame, DropReason* why) {
  // Cheapest checks first; authentication (the only costly step) runs last,
  // and the replay window only moves after it succeeded.
  if (frame.size() > max_frame_) return drop(DropReason::oversized, why);
  FrameError err{};
  auto header = peek_frame_header(frame, &err);
  if (!header) {
    switch (err) {
      case FrameError::truncated: return drop(DropReason::truncated, why);
      case FrameError::bad_version: return drop(DropReason::bad_version, why);
      case FrameError::bad_channel: return drop(DropReason::bad_channel, why);
      default: return drop(DropReason::bad_header, why);
    }
  }
  if (header->channel != channel_) return drop(DropReason::bad_channel, why);
  if (header->sender == self_) return drop(DropReason::from_self, why);
  auto it = windows_.find(header->sender);
  if (it == windows_.end()) return drop(DropReason::unknown_sender, why);
  switch (it->second.check(header->boot, header->seq)) {
    case ReplayVerdict::fresh: break;
    case ReplayVerdict::stale_boot: return drop(DropReason::stale_boot, why);
    case ReplayVerdict::replayed:
    case ReplayVerdict::too_old: return drop(DropReason::replayed, why);
  }
  auto payload = open_frame(frame, key_, &err);
  if (!payload) return drop(DropReason::bad_auth, why);
  it->second.commit(header->boot, header->seq);
  ++counters_.accepted;
  return OpenedFrame{header->sender, header->boot, std::move(*payload)};
}

}  // namespace hactl::net
