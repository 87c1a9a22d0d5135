// The names of the failure attributes Pacemaker keeps per node and resource
// operation: "fail-count-RSC#OP_INTERVAL" and "last-failure-RSC#OP_INTERVAL"
// (legacy: no "#OP_INTERVAL"; clone instances: "RSC:N#..."). Parsed here only,
// for every reader: the scheduler, cleanup, status and crm_mon.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hactl::core {

struct FailAttribute {
  bool is_count = false;  // fail-count-* (else last-failure-*)
  std::string rsc;        // without the instance number
  std::string instance;   // ":N" of a clone instance, or empty
  std::string op_key;     // "monitor_10000", empty for the legacy form
};

// nullopt: not a failure attribute (or a malformed one: "#" without "_").
std::optional<FailAttribute> parse_fail_attribute(std::string_view name);

}  // namespace hactl::core
