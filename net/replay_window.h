// ReplayWindow: which (boot, seq) pairs of one sender were already accepted.
// Like IPsec's anti-replay window: the highest seq seen plus a bitmap of the
// kWindow seqs below it, so datagrams reordered by up to kWindow positions are
// still accepted once, and anything older or repeated is refused. A frame
// from a newer boot (the sender restarted) starts a fresh window; a frame from
// an older boot is always refused.
//
// check() is side-effect free; commit() must only be called after the frame
// authenticated, so forged frames can never move the window.
#pragma once

#include <bitset>
#include <cstdint>

namespace hactl::net {

enum class ReplayVerdict : std::uint8_t { fresh, replayed, too_old, stale_boot };

class ReplayWindow {
 public:
  static constexpr std::uint64_t kWindow = 256;

  ReplayVerdict check(std::uint64_t boot, std::uint64_t seq) const;
  void commit(std::uint64_t boot, std::uint64_t seq);

  std::uint64_t boot() const { return boot_; }
  std::uint64_t highest() const { return highest_; }

 private:
  std::uint64_t boot_ = 0;
  std::uint64_t highest_ = 0;      // 0: nothing accepted in this boot yet
  std::bitset<kWindow> seen_;      // bit i: seq (highest_ - i) was accepted
};

}  // namespace hactl::net
