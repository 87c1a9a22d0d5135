#include <doctest/doctest.h>

#include <algorithm>

#include "net/frame_guard.h"

using namespace hactl::net;

namespace {

KeyBytes key_of(std::uint8_t fill) {
  KeyBytes k{};
  k.fill(fill);
  return k;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

struct Pair {
  KeyBytes key = key_of(7);
  FrameSealer sealer{Channel::membership, key, 2, 1000, 0xabcdef};
  FrameGuard guard{Channel::membership, key, 1, {1, 2, 3}, kMaxDatagramBytes};
};

}  // namespace

TEST_CASE("frame: seal then open round-trips header and payload") {
  REQUIRE(ensure_sodium().is_ok());
  const KeyBytes key = derive_channel_key(key_of(1), Channel::bulk);
  FrameHeader h{kWireVersion, Channel::bulk, 42, 77, 9, 5};
  const Bytes frame = seal_frame(h, text("hello"), key);
  CHECK(frame.size() == kFrameOverhead + 5);
  auto peeked = peek_frame_header(frame);
  REQUIRE(peeked);
  CHECK(*peeked == h);
  auto plain = open_frame(frame, key);
  REQUIRE(plain);
  CHECK(*plain == text("hello"));
  // The payload is encrypted, not only signed.
  CHECK(std::search(frame.begin(), frame.end(), plain->begin(), plain->end()) == frame.end());
}

TEST_CASE("frame: every single-bit flip is rejected") {
  REQUIRE(ensure_sodium().is_ok());
  const KeyBytes key = derive_channel_key(key_of(1), Channel::membership);
  const Bytes frame = seal_frame(FrameHeader{kWireVersion, Channel::membership, 3, 1, 1, 0}, text("ping"), key);
  for (std::size_t i = 0; i < frame.size() * 8; ++i) {
    CAPTURE(i);
    Bytes bad = frame;
    bad[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
    CHECK_FALSE(open_frame(bad, key));
  }
}

TEST_CASE("frame: channel keys differ and differ from the cluster key") {
  REQUIRE(ensure_sodium().is_ok());
  const KeyBytes k = key_of(9);
  CHECK(derive_channel_key(k, Channel::membership) != derive_channel_key(k, Channel::bulk));
  CHECK(derive_channel_key(k, Channel::membership) != k);
  CHECK(derive_channel_key(k, Channel::membership) == derive_channel_key(k, Channel::membership));
  CHECK(key_from_bytes(Bytes(31, 0)).status().code() == hactl::core::ExitCode::config);
  CHECK(key_from_bytes(Bytes(32, 1)).is_ok());
}

TEST_CASE("frame guard: accepts a good frame once and counts every drop by reason") {
  REQUIRE(ensure_sodium().is_ok());
  Pair p;
  const Bytes good = p.sealer.seal(text("a"));
  DropReason why{};
  auto ok = p.guard.open(good, &why);
  REQUIRE(ok);
  CHECK(ok->sender == 2);
  CHECK(ok->payload == text("a"));
  CHECK_FALSE(p.guard.open(good, &why));
  CHECK(why == DropReason::replayed);

  struct Case {
    const char* name;
    Bytes frame;
    DropReason expect;
  };
  // A newer boot, so the frame reaches authentication (an old seq is refused earlier).
  FrameSealer wrong_key(Channel::membership, key_of(8), 2, 2000, 1);
  FrameSealer stranger(Channel::membership, p.key, 99, 1, 1);
  FrameSealer myself(Channel::membership, p.key, 1, 1, 1);
  FrameSealer bulk(Channel::bulk, p.key, 2, 1000, 1);
  FrameSealer old_boot(Channel::membership, p.key, 2, 999, 1);
  Bytes truncated = p.sealer.seal(text("b"));
  truncated.resize(kFrameOverhead - 1);
  Bytes versioned = p.sealer.seal(text("c"));
  versioned[0] = 2;
  Bytes flagged = p.sealer.seal(text("d"));
  flagged[3] = 1;
  Bytes tampered = p.sealer.seal(text("e"));
  tampered.back() ^= 1;
  std::vector<Case> cases;
  cases.push_back({"truncated", truncated, DropReason::truncated});
  cases.push_back({"oversized", p.sealer.seal(Bytes(kMaxDatagramBytes, 0)), DropReason::oversized});
  cases.push_back({"version", versioned, DropReason::bad_version});
  cases.push_back({"flags", flagged, DropReason::bad_header});
  cases.push_back({"channel", bulk.seal(text("f")), DropReason::bad_channel});
  cases.push_back({"stranger", stranger.seal(text("g")), DropReason::unknown_sender});
  cases.push_back({"self", myself.seal(text("h")), DropReason::from_self});
  cases.push_back({"wrong key", wrong_key.seal(text("i")), DropReason::bad_auth});
  cases.push_back({"tampered", tampered, DropReason::bad_auth});
  cases.push_back({"old boot", old_boot.seal(text("j")), DropReason::stale_boot});
  cases.push_back({"empty", Bytes{}, DropReason::truncated});
  for (const auto& c : cases) {
    CAPTURE(c.name);
    why = DropReason::count_;
    CHECK_FALSE(p.guard.open(c.frame, &why));
    CHECK(why == c.expect);
  }
  const auto& n = p.guard.counters();
  CHECK(n.accepted == 1);
  CHECK(n[DropReason::bad_auth] == 2);
  CHECK(n[DropReason::truncated] == 2);
  CHECK(n[DropReason::replayed] == 1);
  CHECK(n.dropped_total() == cases.size() + 1);
  // A forged frame must not have moved the window: the next genuine frame passes.
  CHECK(p.guard.open(p.sealer.seal(text("k"))));
}

TEST_CASE("frame guard: a forged frame with a huge seq cannot lock out the sender") {
  REQUIRE(ensure_sodium().is_ok());
  Pair p;
  FrameHeader forged{kWireVersion, Channel::membership, 2, 5000, 1'000'000, 0};
  CHECK_FALSE(p.guard.open(seal_frame(forged, text("x"), derive_channel_key(key_of(3), Channel::membership))));
  CHECK(p.guard.open(p.sealer.seal(text("y"))));
}

TEST_CASE("frame guard: random garbage never crashes and is never accepted") {
  REQUIRE(ensure_sodium().is_ok());
  Pair p;
  std::uint64_t x = 12345;
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    Bytes junk((x >> 33) % 200);
    for (auto& b : junk) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      b = static_cast<std::uint8_t>(x >> 56);
    }
    if (junk.size() > 4) junk[0] = kWireVersion, junk[1] = 1, junk[2] = junk[3] = 0;
    CHECK_FALSE(p.guard.open(junk));
  }
  CHECK(p.guard.counters().dropped_total() == 2000);
}
