// The invariants a simulated run is judged by.
//
// 1. Never active twice without a false death (checked at every simulated
//    millisecond, SimCluster::observe): no resource really runs (the fake
//    executors' ground truth) on two machines at once, until the first
//    *false death*: a node dropped from a live node's membership view while
//    its machine is up and its agent runs, or its agent is down but a
//    resource it started still runs. Partitions, one-way cuts, pauses past
//    the failure timeout, packet loss high enough to miss every probe of a
//    suspicion period, and agent restarts that outlast the failure timeout
//    all cause one; without fencing (stonith-enabled=false here, as in the
//    loopback tests) two sides then legitimately start the same resource,
//    and only convergence (2) can be asked of them.
// 2. Convergence after the faults stop (check_converged): within the bound,
//    every node up in every view, one DC in its term with nothing in flight,
//    nothing pending, CIB replication in sync (one version everywhere), the
//    DC's scheduler on that CIB asking for no action, and every resource
//    really running exactly where the scheduler places it (on one node, or
//    nowhere when stopped; a blocked resource nowhere but where the status
//    says it may be),
//    nothing running that the status does not know.
// 3. No acknowledged write lost (check_writes): every configuration write
//    answered 0 is in the final CIB (a created resource exists, a deleted
//    one does not), except those the merge rule drops
//    (docs/configuration-merge.md: when two DC lineages meet, the highest
//    version wins): a write is excused, and counted, when after it was sent
//    two nodes were DC at once (a split), or the node that was DC when it was
//    answered stopped being DC before the cluster converged.
// 4. No node throws (SimCluster::guard): any exception out of a node's code
//    is a violation.
#pragma once

#include <string>

#include "test/sim/sim_cluster.h"

namespace hactl::test::sim {

// Empty when converged, else what is not yet.
std::string check_converged(const SimCluster& c);

struct WriteCounts {
  int sent = 0, acked = 0, refused = 0, unanswered = 0;
  int dropped_by_merge_rule = 0;  // acknowledged, lost, excused
  int lost = 0;                   // acknowledged, lost, not excused: violations
};
WriteCounts check_writes(SimCluster& c);

}  // namespace hactl::test::sim
