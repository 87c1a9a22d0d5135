// Pure edits of a CIB document's status section from action results, as the
// controller records them and as `crm_simulate -S` shows the revised status:
// node membership, lrm_rsc_op history (last_0, last_failure_0, recurring ops)
// and fail-count / last-failure transient attributes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

struct OpResult {
  std::string node, rsc, cls, provider, type;
  std::string operation;  // start, stop, monitor...
  int64_t interval_ms = 0;
  int rc = 0;
  int expected_rc = 0;
  int call_id = 0;   // negative: one above the highest call-id in the resource's history on that node
  int64_t when = 0;  // epoch seconds
};

// Marks a node up (member of the cluster) or cleanly down; `fail` leaves it
// lost but expected (unclean), as crm_simulate's -u/-d/-f do.
void set_node_membership(CibDocument& doc, const std::string& node_id, const std::string& uname, bool up,
                         bool fail = false);

// Records an operation result in the node's lrm history; a failure also
// bumps fail-count-RSC#OP_INTERVAL (INFINITY for a failed start) and sets
// last-failure-RSC#OP_INTERVAL.
void record_op_result(CibDocument& doc, const std::string& node_id, const OpResult& r);
// The same for many results, in order (a simulated transition): each node's
// history is indexed once instead of searched for every result.
void record_op_results(CibDocument& doc, const std::vector<std::pair<std::string, OpResult>>& results);

// A node fenced (or shut off) by crm_simulate: cleanly down, its operation
// history and transient attributes gone.
void record_node_fenced(CibDocument& doc, const std::string& node_id, const std::string& uname);

}  // namespace hactl::core
