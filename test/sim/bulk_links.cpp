#include "test/sim/bulk_links.h"

namespace hactl::test::sim {

void BulkLinks::send(uint32_t from, uint32_t to, SimMessage m, int64_t now_us, bool connected) {
  ++sent_;
  if (!connected) {
    ++lost_;
    return;
  }
  int64_t at = now_us + delay_us_ + static_cast<int64_t>(rng_.below(static_cast<uint64_t>(jitter_us_) + 1));
  int64_t& last = last_at_[{from, to}];
  if (at < last) at = last;
  last = at;
  queue_.push(InFlight{at, order_++, gen(from, to), Delivery{from, to, std::move(m)}});
}

void BulkLinks::break_link(uint32_t a, uint32_t b) { ++gen(a, b); }

void BulkLinks::break_all_of(uint32_t node, uint32_t nodes) {
  for (uint32_t o = 1; o <= nodes; ++o)
    if (o != node) break_link(node, o);
}

std::vector<Delivery> BulkLinks::due(int64_t now_us, const std::function<int64_t(uint32_t)>& paused_until_us) {
  std::vector<Delivery> out;
  std::vector<InFlight> later;
  while (!queue_.empty() && queue_.top().at <= now_us) {
    InFlight f = std::move(const_cast<InFlight&>(queue_.top()));
    queue_.pop();
    if (f.gen != gen(f.d.from, f.d.to)) {
      ++lost_;
      continue;
    }
    const int64_t wake = paused_until_us(f.d.to);
    if (wake > now_us) {
      f.at = wake;  // waits in the socket buffer, in its order
      later.push_back(std::move(f));
      continue;
    }
    out.push_back(std::move(f.d));
  }
  for (auto& f : later) queue_.push(std::move(f));
  return out;
}

}  // namespace hactl::test::sim
