// BulkLinks: the simulated bulk channel, one reliable ordered stream per
// ordered node pair (as the daemon's TCP connections are). A message arrives
// after a seeded delay, never before one sent earlier on the same pair. A
// link that breaks (partition, one-way cut, either side's process gone)
// loses what is in flight on it; messages sent while it is broken are lost.
// A receiver that is paused gets its messages when it wakes, in order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <vector>

#include "net/rng.h"
#include "test/sim/sim_messages.h"

namespace hactl::test::sim {

struct Delivery {
  uint32_t from = 0, to = 0;
  SimMessage message;
};

class BulkLinks {
 public:
  BulkLinks(uint64_t seed, int64_t delay_us, int64_t jitter_us) : rng_(seed), delay_us_(delay_us), jitter_us_(jitter_us) {}

  // `connected` is checked now; a broken link drops the message.
  void send(uint32_t from, uint32_t to, SimMessage m, int64_t now_us, bool connected);
  // The link between a and b (both directions) broke: what is in flight is lost.
  void break_link(uint32_t a, uint32_t b);
  void break_all_of(uint32_t node, uint32_t nodes);
  // Messages due by now whose link did not break; those for a paused node
  // (paused_until(to) > now) wait.
  std::vector<Delivery> due(int64_t now_us, const std::function<int64_t(uint32_t)>& paused_until_us);

  uint64_t sent() const { return sent_; }
  uint64_t lost() const { return lost_; }

 private:
  struct InFlight {
    int64_t at = 0;
    uint64_t order = 0;
    uint64_t gen = 0;
    Delivery d;
    bool operator>(const InFlight& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  uint64_t& gen(uint32_t a, uint32_t b) { return gens_[{std::min(a, b), std::max(a, b)}]; }

  net::Rng rng_;
  int64_t delay_us_, jitter_us_;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> queue_;
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> gens_;
  std::map<std::pair<uint32_t, uint32_t>, int64_t> last_at_;  // FIFO per ordered pair
  uint64_t order_ = 0, sent_ = 0, lost_ = 0;
};

}  // namespace hactl::test::sim
