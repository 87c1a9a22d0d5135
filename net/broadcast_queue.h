// BroadcastQueue: membership updates waiting to be piggybacked, after
// memberlist's TransmitLimitedQueue. At most one update per subject node is
// queued (a newer fact replaces the older one: callers only enqueue updates
// they accepted as news); each is sent a bounded number of times, the least
// sent first, which is what spreads news epidemically in O(log n) rounds.
#pragma once

#include <vector>

#include "net/membership_messages.h"

namespace hactl::net {

class BroadcastQueue {
 public:
  void enqueue(const Update& u);
  // Up to `max` updates, least transmitted first; each counts as sent once,
  // and leaves the queue after `limit` transmissions.
  std::vector<Update> take(std::size_t max, int limit);
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Update update;
    int transmits = 0;
    std::uint64_t order = 0;  // enqueue order: among equals, newest first
  };
  std::vector<Entry> entries_;
  std::uint64_t next_order_ = 0;
};

}  // namespace hactl::net
