#include "net/suspicion.h"

#include <algorithm>
#include <cmath>

namespace hactl::net {

Millis suspicion_min_timeout(Millis base, std::size_t n) {
  const double scale = std::max(1.0, std::log10(std::max<double>(1.0, static_cast<double>(n))));
  return Millis(static_cast<Millis::rep>(std::floor(static_cast<double>(base.count()) * scale)));
}

int retransmit_limit(int mult, std::size_t n) {
  return mult * static_cast<int>(std::ceil(std::log10(static_cast<double>(n) + 1.0)));
}

int expected_confirmations(int k, std::size_t n) {
  return static_cast<long>(n) - 2 < k ? 0 : k;
}

Millis suspicion_timeout(int confirmations, int k, Millis min, Millis max) {
  if (k <= 0) return min;
  const double frac = std::log(confirmations + 1.0) / std::log(k + 1.0);
  const double raw = static_cast<double>(max.count()) - frac * static_cast<double>((max - min).count());
  const auto ms = Millis(static_cast<Millis::rep>(std::floor(raw)));
  return std::max(ms, min);
}

Suspicion::Suspicion(NodeId accuser, int k, Millis min, Millis max, TimePoint start)
    : k_(k), min_(min), max_(std::max(min, max)), start_(start), seen_{accuser} {}

bool Suspicion::confirm(NodeId from) {
  if (confirmations_ >= k_) return false;
  if (std::find(seen_.begin(), seen_.end(), from) != seen_.end()) return false;
  seen_.push_back(from);
  ++confirmations_;
  return true;
}

}  // namespace hactl::net
