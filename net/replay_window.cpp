#include "net/replay_window.h"

namespace hactl::net {

ReplayVerdict ReplayWindow::check(std::uint64_t boot, std::uint64_t seq) const {
  if (boot < boot_) return ReplayVerdict::stale_boot;
  if (boot > boot_ || highest_ == 0) return seq == 0 ? ReplayVerdict::too_old : ReplayVerdict::fresh;
  if (seq == 0) return ReplayVerdict::too_old;  // senders start at 1
  if (seq > highest_) return ReplayVerdict::fresh;
  const std::uint64_t age = highest_ - seq;
  if (age >= kWindow) return ReplayVerdict::too_old;
  return seen_.test(age) ? ReplayVerdict::replayed : ReplayVerdict::fresh;
}

void ReplayWindow::commit(std::uint64_t boot, std::uint64_t seq) {
  if (boot > boot_) {
    boot_ = boot;
    highest_ = 0;
    seen_.reset();
  }
  if (seq > highest_) {
    const std::uint64_t shift = seq - highest_;
    seen_ = shift >= kWindow ? std::bitset<kWindow>{} : (seen_ << shift);
    highest_ = seq;
    seen_.set(0);
  } else {
    seen_.set(highest_ - seq);
  }
}

}  // namespace hactl::net
