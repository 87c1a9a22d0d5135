// Fencing delays, the answer to a "death match" (two partitions fencing each
// other at once): a device's pcmk_delay_base / pcmk_delay_max, and the cluster
// property priority-fencing-delay. Pure: the random draw is an input.
//
// Pacemaker's rules (daemons/fenced schedule_stonith_command, lib/pengine
// node_priority_fencing_delay):
//   - pcmk_delay_max = 0 means max = base; base > max is cut to max; the delay
//     is base plus a uniform draw so that base <= delay <= max.
//   - pcmk_delay_base is one duration, or a per-target map "node1:1s;node2:5".
//   - priority-fencing-delay is added for the first device only, and only when
//     the target is a lost node, this partition holds at most half of the
//     nodes, the nodes' priorities differ, and the target's priority is the
//     highest: the node running the most important resources survives.
//   - A node's priority is the sum of the `priority` meta attribute (else
//     rsc-defaults) of the resources active there and not failed. (On a lost
//     node hactl's status reader forgets failures, as the node is unclean
//     anyway: a failed resource there still counts, where Pacemaker keeps the
//     failure for this sum.)
// Pacemaker works in whole seconds; hactl keeps milliseconds, so two random
// delays from the same range rarely tie.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cib_model.h"

namespace hactl::core {

struct DelaySpec {
  int64_t base_ms = 0, max_ms = 0;  // after Pacemaker's adjustments: 0 <= base <= max
  std::vector<std::string> problems;  // unparsable values (taken as 0)
};

// The delay parameters of a device with `params` when fencing `target`.
DelaySpec device_delay(const Attributes& params, std::string_view target);

// base + random % (max - base + 1): a value in [base, max].
int64_t pick_delay_ms(const DelaySpec& d, uint64_t random);

struct NodePriority {
  std::string name;
  bool online = false;
  int64_t priority = 0;
};

// priority-fencing-delay for `target` among `nodes` (every cluster node, as
// this partition sees it); 0 where it does not apply.
int64_t priority_fencing_delay_ms(int64_t property_ms, std::string_view target, const std::vector<NodePriority>& nodes);

// Each node's priority and whether it is online, from the CIB's status
// section (cluster_status): the input of priority_fencing_delay_ms().
std::vector<NodePriority> node_priorities(const Cib& cib, int64_t now);

}  // namespace hactl::core
