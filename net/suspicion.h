// Suspicion timing, after Lifeguard ("local health aware suspicion"): a
// suspicion starts at its maximum length and shrinks logarithmically towards
// the minimum as other nodes independently confirm it, so a well-confirmed
// failure is declared fast while a lone (possibly unhealthy) accuser waits long.
// The arithmetic is pure; Suspicion holds one node's timer as a deadline.
#pragma once

#include <cstdint>
#include <vector>

#include "net/net_types.h"

namespace hactl::net {

// min suspicion: base * max(1, log10(n)) for a cluster of n up members.
Millis suspicion_min_timeout(Millis base, std::size_t n);

// Number of times a gossiped update is sent: mult * ceil(log10(n + 1)).
int retransmit_limit(int mult, std::size_t n);

// Expected confirmations for a cluster of n: k, or 0 when fewer than k other
// nodes could confirm (n - 2 < k), so small clusters use the minimum at once.
int expected_confirmations(int k, std::size_t n);

// Total suspicion length after `confirmations` of `k` expected:
// max - (max - min) * ln(c + 1) / ln(k + 1), never below min, truncated to ms.
Millis suspicion_timeout(int confirmations, int k, Millis min, Millis max);

class Suspicion {
 public:
  Suspicion(NodeId accuser, int k, Millis min, Millis max, TimePoint start);
  // Records an independent confirmation; false if `from` already counted or
  // enough confirmations were seen (then nothing changes).
  bool confirm(NodeId from);
  TimePoint deadline() const { return start_ + suspicion_timeout(confirmations_, k_, min_, max_); }
  int confirmations() const { return confirmations_; }

 private:
  int k_;
  Millis min_, max_;
  TimePoint start_;
  int confirmations_ = 0;
  std::vector<NodeId> seen_;  // the accuser and every confirmer, counted once
};

// Lifeguard local health: a score raised by signs that *this* node is slow
// (missed acks and nacks, having to refute suspicions of itself), lowered by
// successful probes. Timeouts are multiplied by (score + 1), so an overloaded
// node probes more patiently instead of accusing healthy peers.
class Awareness {
 public:
  explicit Awareness(int max) : max_(max < 1 ? 1 : max) {}
  void apply(int delta) {
    score_ += delta;
    if (score_ < 0) score_ = 0;
    if (score_ > max_ - 1) score_ = max_ - 1;
  }
  int score() const { return score_; }
  Millis scale(Millis d) const { return d * (score_ + 1); }

 private:
  int max_;
  int score_ = 0;
};

}  // namespace hactl::net
