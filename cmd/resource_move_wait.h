// `resource move` on a running cluster (pcs 0.11): the constraint that moves
// the resource is temporary; once the resource runs where it was sent (and
// the cluster has settled), the constraint is removed again.
#pragma once

#include <string>
#include <vector>

#include "cmd/cli.h"

namespace hactl::cmd {

// `target`: the node asked for, or empty (moved off `before`, where it ran).
int finish_move(const Invocation& inv, const std::string& rsc, const std::string& target,
                const std::vector<std::string>& before, const std::string& constraint_id);

}  // namespace hactl::cmd
