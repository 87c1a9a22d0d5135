// Quorum, after Corosync's votequorum: a partition is quorate when the votes
// of its up members are more than half of all configured votes.
//
// two_node: in a cluster of exactly two one-vote nodes, one vote is enough
// (as corosync's two_node: 1). It implies wait_for_all, so a node that boots
// alone never becomes quorate by itself: it must first have seen every node
// up at the same time since it started. After that a lone survivor keeps
// quorum, and fencing decides between the two halves of a split.
//
// wait_for_all (also available on its own): not quorate until all configured
// nodes have been up together once since this process started.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "net/net_types.h"

namespace hactl::net {

struct QuorumConfig {
  std::map<NodeId, std::uint32_t> votes;  // every configured node, usually 1 vote each
  bool two_node = false;
  bool wait_for_all = false;

  // One vote per node; two_node and wait_for_all on for exactly two nodes.
  static QuorumConfig defaults_for(const std::vector<NodeId>& nodes);
};

struct QuorumState {
  bool quorate = false;
  std::uint32_t total_votes = 0;
  std::uint32_t present_votes = 0;  // votes of the up members
  std::uint32_t needed = 0;         // votes needed for quorum
  bool waiting_for_all = false;     // blocked only by wait_for_all
  bool operator==(const QuorumState&) const = default;
};

// Pure: the quorum of a partition whose up members are `up`; `seen_all`
// says whether wait_for_all has been satisfied.
QuorumState compute_quorum(const QuorumConfig& config, const std::vector<NodeId>& up, bool seen_all);

// The wait_for_all memory: feed every new view; returns the quorum state.
class QuorumTracker {
 public:
  explicit QuorumTracker(QuorumConfig config) : config_(std::move(config)) {}
  QuorumState update(const std::vector<NodeId>& up);
  bool seen_all() const { return seen_all_; }

 private:
  QuorumConfig config_;
  bool seen_all_ = false;
};

}  // namespace hactl::net
