// Frames after authentication: a peer holding the cluster key may still send
// any payload (a bug, another version, a compromised node). The input is
// sealed by a legitimate sealer, must pass the guard unchanged, and is then
// decoded as a membership message and as a CIB replication message. Anything
// that decodes must re-encode to something that decodes to the same value.
#include <cstddef>
#include <cstdint>

#include "net/cib_replication.h"
#include "net/frame.h"
#include "net/frame_guard.h"
#include "net/membership_messages.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_frame_support.h"

using namespace hactl;
using namespace hactl::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const KeyBytes key = fuzz::fuzz_cluster_key();
  ByteView payload(data, size);

  FrameSealer sealer(Channel::bulk, key, fuzz::kPeer, fuzz::kPeerBoot, fuzz::kPeerSalt);
  FrameGuard guard(Channel::bulk, key, fuzz::kSelf, fuzz::kMembers, 1 << 20);
  Bytes frame = sealer.seal(payload);
  auto opened = guard.open(frame);
  FUZZ_CHECK(opened.has_value());
  FUZZ_CHECK(opened->sender == fuzz::kPeer);
  FUZZ_CHECK(Bytes(payload.begin(), payload.end()) == opened->payload);
  FUZZ_CHECK(!guard.open(frame).has_value());  // the same frame again is a replay

  if (auto m = decode_message(opened->payload)) {
    Bytes again = encode_message(*m);
    FUZZ_CHECK(decode_message(again) == m);
  }
  if (auto c = decode_cib_message(opened->payload)) {
    Bytes again = encode_cib_message(*c);
    FUZZ_CHECK(decode_cib_message(again) == c);
  }
  return 0;
}
