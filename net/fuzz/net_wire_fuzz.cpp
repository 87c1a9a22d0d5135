// libFuzzer target for everything net/ parses from the network: frames
// through FrameGuard (both channels), membership payloads through a live
// Membership, CIB messages, and the TCP stream decoder. Not part of the
// hactl_net library (fuzz/ folders are excluded); build with clang:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I<src> \
//     net/fuzz/net_wire_fuzz.cpp <the net/*.cpp files> -lsodium
// The first input byte selects the parser, the rest is its input.
#include <cstddef>
#include <cstdint>

#include "net/cib_replication.h"
#include "net/frame_guard.h"
#include "net/membership.h"
#include "net/stream_framing.h"

using namespace hactl::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const bool sodium_ok = ensure_sodium().is_ok();
  if (!sodium_ok) return 0;
  const ByteView in(data + 1, size - 1);
  static KeyBytes key{};
  switch (data[0] % 5) {
    case 0: {
      static FrameGuard guard(Channel::membership, key, 1, {1, 2, 3}, kMaxDatagramBytes);
      (void)guard.open(in);
      break;
    }
    case 1: {
      static Membership m(1, {1, 2, 3}, MembershipConfig{}, 1);
      static TimePoint now = TimePoint{} + std::chrono::hours(1);
      static bool started = false;
      Effects fx;
      if (!started) m.start(now, fx), started = true;
      now += Millis(7);
      m.on_message(2, in, now, fx);
      m.on_tick(now, fx);
      break;
    }
    case 2: (void)decode_cib_message(in); break;
    case 3: {
      StreamDecoder d(1 << 16);
      d.feed(in);
      while (d.next()) {
      }
      break;
    }
    case 4: (void)decode_message(in); break;
  }
  return 0;
}
