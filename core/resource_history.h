// The fail counts the status section's transient node attributes record.
// Where resources are active, and whether they failed, is the scheduler's
// reading of the operation history (core/scheduler/cluster_status.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/cib_model.h"

namespace hactl::core {

// Fail counts: name "fail-count-<rsc>#<op>_<interval>" (or legacy "fail-count-<rsc>").
struct FailCount {
  std::string rsc, node, op_key;  // op_key "monitor_60000", or empty for the legacy form
  Score count = 0;
  int64_t last_failure = 0;
};
std::vector<FailCount> fail_counts(const Cib& cib);

}  // namespace hactl::core
