// `cluster stop|start NODE...`: the named nodes, not this one, are the ones
// acted on. Every name is checked against cluster.conf before anything is done.
#pragma once

#include <functional>

#include "cmd/cli.h"

namespace hactl::cmd {

// Stops each named node (this one last, through `stop_self`), waiting until
// every other named node has left the membership.
int stop_named_nodes(const Invocation& inv, const Args& names, const std::function<int()>& stop_self);
// Starts this node when it is named; another node's agent can only be started there.
int start_named_nodes(const Invocation& inv, const Args& names, const std::function<int()>& start_self);

}  // namespace hactl::cmd
