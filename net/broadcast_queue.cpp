#include "net/broadcast_queue.h"

#include <algorithm>

namespace hactl::net {

void BroadcastQueue::enqueue(const Update& u) {
  for (auto& e : entries_) {
    if (e.update.node == u.node) {
      e = Entry{u, 0, next_order_++};
      return;
    }
  }
  entries_.push_back(Entry{u, 0, next_order_++});
}

std::vector<Update> BroadcastQueue::take(std::size_t max, int limit) {
  std::vector<Update> out;
  if (entries_.empty() || max == 0) return out;
  // Fresh news first: fewest transmissions, then most recently enqueued.
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return a.transmits != b.transmits ? a.transmits < b.transmits : a.order > b.order;
  });
  const std::size_t n = std::min(max, entries_.size());
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(entries_[i].update);
    ++entries_[i].transmits;
  }
  std::erase_if(entries_, [limit](const Entry& e) { return e.transmits >= limit; });
  return out;
}

}  // namespace hactl::net
