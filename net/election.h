// Coordinator (DC) election: a pure function of the membership view. Every
// node of a partition holds the same view once membership has converged, so
// all of them name the same DC without any extra message round; different
// partitions each name their own.
//
// Rule: the lowest node id among the up members (alive or suspect). A node
// that rejoins with a lower id takes the DC role back; that costs one
// hand-over, and keeps the rule free of history, which is what makes it
// agree everywhere.
#pragma once

#include <optional>
#include <vector>

#include "net/net_types.h"

namespace hactl::net {

std::optional<NodeId> elect(const std::vector<NodeId>& up_members);

}  // namespace hactl::net
