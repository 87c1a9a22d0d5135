// Frames before authentication: bytes as they arrive from the network. The
// input is read as a bulk TCP stream (length-prefixed frames, delivered in
// chunks whose sizes come from the input) and, separately, as one membership
// datagram. Every frame goes through FrameGuard, the single gate; whatever it
// accepts (only seeds sealed with the fuzz key) is decoded as the daemon would.
#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "net/cib_replication.h"
#include "net/frame.h"
#include "net/frame_guard.h"
#include "net/membership_messages.h"
#include "net/stream_framing.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_frame_support.h"

using namespace hactl;
using namespace hactl::net;

namespace {
// Every frame offered to the guard is either accepted or counted as a drop.
void check_counted(const FrameGuard& g, std::uint64_t offered) {
  const GuardCounters& c = g.counters();
  FUZZ_CHECK(c.accepted + c.dropped_total() == offered);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const KeyBytes key = fuzz::fuzz_cluster_key();
  ByteView input(data, size);

  // As a datagram on the membership channel.
  FrameGuard udp(Channel::membership, key, fuzz::kSelf, fuzz::kMembers, kMaxDatagramBytes);
  FrameError ferr{};
  (void)peek_frame_header(input, &ferr);
  DropReason why{};
  auto opened = udp.open(input, &why);
  check_counted(udp, 1);
  if (opened) {
    FUZZ_CHECK(opened->sender != fuzz::kSelf);
    if (auto m = decode_message(opened->payload)) FUZZ_CHECK(decode_message(encode_message(*m)) == m);
  }

  // As a bulk stream: the first byte picks the chunk size, the rest is the stream.
  if (size < 1) return 0;
  std::size_t chunk = 1 + data[0] % 64;
  FrameGuard bulk(Channel::bulk, key, fuzz::kSelf, fuzz::kMembers, 1 << 20);
  StreamDecoder stream(1 << 20);
  std::uint64_t offered = 0;
  for (std::size_t off = 1; off < size && !stream.failed(); off += chunk) {
    std::size_t n = std::min(chunk, size - off);
    if (!stream.feed(input.subspan(off, n))) break;
    while (auto frame = stream.next()) {
      auto f = bulk.open(*frame, &why);
      check_counted(bulk, ++offered);
      if (f) {
        auto msg = decode_cib_message(f->payload);
        if (msg) FUZZ_CHECK(decode_cib_message(encode_cib_message(*msg)) == msg);
      }
    }
  }
  return 0;
}
