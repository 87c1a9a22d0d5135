#include "core/cluster_properties.h"

#include <algorithm>
#include <charconv>

#include "core/cib_model.h"
#include "core/duration.h"

namespace hactl::core {

namespace {
using T = PropertyType;
}

const std::vector<PropertyInfo>& cluster_properties() {
  static const std::vector<PropertyInfo> table = {
      {"batch-limit", T::integer, "0", {}, "Maximum number of jobs the cluster may execute in parallel"},
      {"cluster-delay", T::duration, "60s", {}, "Maximum time for node-to-node communication"},
      {"cluster-infrastructure", T::string, "", {}, "The messaging stack on which the cluster runs", true},
      {"cluster-ipc-limit", T::integer, "500", {}, "Maximum IPC message backlog before disconnecting a client"},
      {"cluster-name", T::string, "", {}, "An arbitrary name for the cluster"},
      {"cluster-recheck-interval", T::duration, "15min", {}, "Polling interval for time-based changes"},
      {"concurrent-fencing", T::boolean, "false", {}, "Allow performing fencing operations in parallel"},
      {"dc-deadtime", T::duration, "20s", {}, "How long to wait for a response from other nodes during start-up"},
      {"dc-version", T::string, "", {}, "Version of the coordinator's software", true},
      {"election-timeout", T::duration, "2min", {}, "Declare an election failed if not decided within this time"},
      {"enable-acl", T::boolean, "false", {}, "Enable access control lists"},
      {"enable-startup-probes", T::boolean, "true", {}, "Whether the cluster should check for active resources during start-up"},
      {"fence-reaction", T::select, "stop", {"stop", "panic"}, "How a node reacts if notified of its own fencing"},
      {"have-watchdog", T::boolean, "false", {}, "Whether watchdog integration is enabled", true},
      {"join-finalization-timeout", T::duration, "30min", {}, "How long to wait for a node to finish joining"},
      {"join-integration-timeout", T::duration, "3min", {}, "How long to wait for nodes to start joining"},
      {"last-lrm-refresh", T::string, "", {}, "Time of the last full resource refresh", true},
      {"load-threshold", T::percentage, "80%", {}, "Maximum amount of system load that should be used by cluster nodes"},
      {"maintenance-mode", T::boolean, "false", {}, "Whether the cluster should refrain from monitoring, starting, and stopping resources"},
      {"migration-limit", T::integer, "-1", {}, "Maximum number of live migrations per node in parallel"},
      {"no-quorum-policy", T::select, "stop", {"stop", "freeze", "ignore", "demote", "suicide"}, "What to do when the cluster does not have quorum"},
      {"node-action-limit", T::integer, "0", {}, "Maximum number of jobs that can be scheduled per node"},
      {"node-health-base", T::integer, "0", {}, "Base health score for the progressive strategy"},
      {"node-health-green", T::integer, "0", {}, "Score for node health attributes with value green"},
      {"node-health-red", T::integer, "-INFINITY", {}, "Score for node health attributes with value red"},
      {"node-health-strategy", T::select, "none", {"none", "migrate-on-red", "only-green", "progressive", "custom"}, "How the cluster reacts to node health attributes"},
      {"node-health-yellow", T::integer, "0", {}, "Score for node health attributes with value yellow"},
      {"pe-error-series-max", T::integer, "-1", {}, "Number of scheduler inputs resulting in errors to save"},
      {"pe-input-series-max", T::integer, "4000", {}, "Number of scheduler inputs without actions to save"},
      {"pe-warn-series-max", T::integer, "5000", {}, "Number of scheduler inputs resulting in warnings to save"},
      {"placement-strategy", T::select, "default", {"default", "utilization", "minimal", "balanced"}, "How the cluster distributes resources by utilization"},
      {"priority-fencing-delay", T::duration, "0", {}, "Delay fencing of the node holding higher-priority resources"},
      {"remove-after-stop", T::boolean, "false", {}, "Remove resources from the executor after they are stopped"},
      {"shutdown-escalation", T::duration, "20min", {}, "Time after which a graceful shutdown is forced"},
      {"shutdown-lock", T::boolean, "false", {}, "Lock resources of a cleanly shut down node to it"},
      {"shutdown-lock-limit", T::duration, "0", {}, "Release shutdown locks after this long"},
      {"start-failure-is-fatal", T::boolean, "true", {}, "Whether a start failure prevents a resource from starting again on that node"},
      {"startup-fencing", T::boolean, "true", {}, "Whether to fence nodes that have not been seen"},
      {"stonith-action", T::select, "reboot", {"reboot", "off", "poweroff"}, "Action to send to fence device when a node needs to be fenced"},
      {"stonith-enabled", T::boolean, "true", {}, "Whether nodes may be fenced as part of recovery"},
      {"stonith-max-attempts", T::integer, "10", {}, "How many times fencing can fail before it will no longer be immediately re-attempted"},
      {"stonith-timeout", T::duration, "60s", {}, "How long to wait for on, off, and reboot fence actions to complete"},
      {"stonith-watchdog-timeout", T::duration, "0", {}, "How long before nodes can be assumed safely down when watchdog-based self-fencing is used"},
      {"stop-all-resources", T::boolean, "false", {}, "Whether the cluster should stop all active resources"},
      {"stop-orphan-actions", T::boolean, "true", {}, "Whether to cancel recurring actions removed from the configuration"},
      {"stop-orphan-resources", T::boolean, "true", {}, "Whether resources removed from the configuration should be stopped"},
      {"symmetric-cluster", T::boolean, "true", {}, "Whether resources can run on any node by default"},
      {"transition-delay", T::duration, "0s", {}, "Delay before executing a transition (for testing)"},
  };
  return table;
}

const PropertyInfo* find_property(std::string_view name) {
  for (const PropertyInfo& p : cluster_properties())
    if (p.name == name) return &p;
  return nullptr;
}

std::string_view property_type_name(PropertyType t) {
  switch (t) {
    case T::boolean: return "boolean";
    case T::duration: return "time";
    case T::integer: return "integer";
    case T::select: return "select";
    case T::string: return "string";
    case T::percentage: return "percentage";
  }
  return "string";
}

Status check_property_value(const PropertyInfo& p, std::string_view v) {
  auto bad = [&](std::string_view what) {
    return Status::invalid("'" + std::string(v) + "' is not a valid " + std::string(p.name) + " value, use " +
                           std::string(what));
  };
  switch (p.type) {
    case T::boolean: {
      static const std::vector<std::string_view> ok = {"true", "false", "on", "off", "yes", "no", "y", "n", "1", "0"};
      std::string lower;
      for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (std::find(ok.begin(), ok.end(), lower) == ok.end()) return bad("a pacemaker boolean value: '0', '1', 'false', 'n', 'no', 'off', 'on', 'true', 'y', 'yes'");
      return {};
    }
    case T::duration:
      if (!parse_duration_ms(v)) return bad("time interval (e.g. 1, 2s, 3m, 4h, ...)");
      return {};
    case T::integer: {
      if (v == "INFINITY" || v == "-INFINITY" || v == "+INFINITY") return {};
      long long x = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || end != v.data() + v.size()) return bad("an integer");
      return {};
    }
    case T::select:
      if (std::find(p.allowed.begin(), p.allowed.end(), v) == p.allowed.end()) {
        std::string list;
        for (auto a : p.allowed) list += (list.empty() ? "'" : ", '") + std::string(a) + "'";
        return bad(list);
      }
      return {};
    case T::percentage: {
      std::string_view num = v;
      if (!num.empty() && num.back() == '%') num.remove_suffix(1);
      long long x = 0;
      auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), x);
      if (num.empty() || ec != std::errc() || end != num.data() + num.size() || x < 0) return bad("a percentage (e.g. 80%)");
      return {};
    }
    case T::string:
      return {};
  }
  return {};
}

}  // namespace hactl::core
