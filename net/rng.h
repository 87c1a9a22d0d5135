// Rng: a small seeded generator (splitmix64). Randomness is an input of the
// protocol code, like time: every node gets its own seed so a simulated run is
// reproducible, and the output does not depend on the standard library's
// distributions (which differ between implementations).
#pragma once

#include <cstdint>

namespace hactl::net {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound); bound > 0. The modulo bias is < 2^-32 for the
  // bounds used here (node counts), which is irrelevant for peer selection.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  // True with probability p (0..1).
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

}  // namespace hactl::net
