// Stream framing for the bulk channel (TCP): each sealed frame is sent as a
// 4-byte big-endian length followed by the frame. StreamDecoder reassembles
// frames from arbitrary read chunks; a declared length above the limit (or
// below the smallest possible frame) poisons the stream, and the connection
// must then be closed — nothing after a bad length can be trusted.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "net/net_types.h"

namespace hactl::net {

// Large enough for big CIBs with status sections; anything larger is refused.
inline constexpr std::size_t kMaxBulkFrameBytes = 64u << 20;
inline constexpr std::size_t kStreamPrefixBytes = 4;

Bytes encode_stream_frame(ByteView sealed_frame);

class StreamDecoder {
 public:
  explicit StreamDecoder(std::size_t max_frame = kMaxBulkFrameBytes) : max_frame_(max_frame) {}
  // Appends received bytes; returns false once the stream is poisoned.
  bool feed(ByteView chunk);
  // The next complete frame (without its length prefix), if any.
  std::optional<Bytes> next();
  bool failed() const { return failed_; }
  // Applies to length prefixes not yet read (raised once a stream authenticates).
  void set_max_frame(std::size_t max_frame) { max_frame_ = max_frame; }

 private:
  std::size_t max_frame_;
  Bytes buffer_;
  std::size_t consumed_ = 0;  // bytes of buffer_ already returned
  bool failed_ = false;
};

}  // namespace hactl::net
