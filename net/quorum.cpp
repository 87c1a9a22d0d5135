#include "net/quorum.h"

#include <algorithm>

namespace hactl::net {

QuorumConfig QuorumConfig::defaults_for(const std::vector<NodeId>& nodes) {
  QuorumConfig c;
  for (NodeId id : nodes) c.votes[id] = 1;
  c.two_node = c.votes.size() == 2;
  c.wait_for_all = c.two_node;
  return c;
}

QuorumState compute_quorum(const QuorumConfig& config, const std::vector<NodeId>& up, bool seen_all) {
  QuorumState s;
  for (const auto& [id, v] : config.votes) {
    s.total_votes += v;
    if (std::find(up.begin(), up.end(), id) != up.end()) s.present_votes += v;
  }
  s.needed = s.total_votes / 2 + 1;
  // two_node only applies to what it was made for: two nodes of one vote.
  if (config.two_node && config.votes.size() == 2 && s.total_votes == 2) s.needed = 1;
  const bool wait = config.wait_for_all || config.two_node;
  const bool enough = s.total_votes > 0 && s.present_votes >= s.needed;
  s.waiting_for_all = wait && !seen_all && enough;
  s.quorate = enough && !s.waiting_for_all;
  return s;
}

QuorumState QuorumTracker::update(const std::vector<NodeId>& up) {
  if (!seen_all_) {
    seen_all_ = std::all_of(config_.votes.begin(), config_.votes.end(), [&](const auto& kv) {
      return std::find(up.begin(), up.end(), kv.first) != up.end();
    });
  }
  return compute_quorum(config_, up, seen_all_);
}

}  // namespace hactl::net
