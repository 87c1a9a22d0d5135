#include "net/stream_framing.h"

#include "net/byte_io.h"
#include "net/frame.h"

namespace hactl::net {

Bytes encode_stream_frame(ByteView sealed_frame) {
  Bytes out;
  out.reserve(kStreamPrefixBytes + sealed_frame.size());
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(sealed_frame.size()));
  w.raw(sealed_frame);
  return out;
}

bool StreamDecoder::feed(ByteView chunk) {
  if (failed_) return false;
  // Compact lazily so that a long stream of small frames stays O(total).
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  buffer_.insert(buffer_.end(), chunk.begin(), chunk.end());
  return true;
}

std::optional<Bytes> StreamDecoder::next() {
  if (failed_) return std::nullopt;
  const std::size_t avail = buffer_.size() - consumed_;
  if (avail < kStreamPrefixBytes) return std::nullopt;
  ByteReader r(ByteView(buffer_).subspan(consumed_, kStreamPrefixBytes));
  std::uint32_t len = 0;
  r.u32(len);
  if (len > max_frame_ || len < kFrameOverhead) {
    failed_ = true;
    return std::nullopt;
  }
  if (avail < kStreamPrefixBytes + len) return std::nullopt;
  const auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_ + kStreamPrefixBytes);
  Bytes frame(begin, begin + len);
  consumed_ += kStreamPrefixBytes + len;
  return frame;
}

}  // namespace hactl::net
