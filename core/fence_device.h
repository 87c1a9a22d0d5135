// Which fence devices may fence a node, and what each one's agent is given:
// Pacemaker's fencer rules (pcmk_host_list, pcmk_host_map, pcmk_host_check,
// pcmk_host_argument, pcmk_<action>_action / _timeout, stonith-action,
// stonith-timeout) as pure functions of the CIB. The DC carries out the plan
// (cmd/daemon/fence_runner.h); nothing here does I/O.
//
// Differences from Pacemaker, on purpose or not yet done: without
// pcmk_host_list / pcmk_host_map / pcmk_host_check a device is taken to fence
// every node (Pacemaker would ask the agent's `list` first when its metadata
// has one); fencing levels (topology), pcmk_<action>_retries and location
// constraints on devices are not interpreted; devices are tried in CIB order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cib_model.h"
#include "core/fence_delay.h"

namespace hactl::core {

// Parameters the cluster interprets itself; they never reach a fence agent
// (Pacemaker's pcmk_stonith_param(): pcmk_host_*, pcmk_delay_*, pcmk_action_limit,
// pcmk_<action>_action / _timeout / _retries, provides, stonith-timeout).
bool is_fencing_param(std::string_view name);
// The standard ones, for `stonith create` (pcs accepts them on every fence agent).
const std::vector<std::string>& standard_fencing_params();

// pcmk_host_list, and a fence agent's `list` output: names separated by
// spaces, commas, semicolons or new lines; a `list` line "name,alias" gives
// both. Lines saying "invalid" or "variable" (agent complaints) are skipped.
std::vector<std::string> parse_host_list(std::string_view text);

// pcmk_host_map: "node1:port1;node2:port2" (';', space or tab between entries;
// ':' or the legacy '=' inside). Malformed entries are listed, not fatal.
struct HostMap {
  std::vector<std::pair<std::string, std::string>> entries;  // node -> port, in order
  std::vector<std::string> malformed;
  std::optional<std::string> port_of(std::string_view node) const;  // case-insensitive
};
HostMap parse_host_map(std::string_view text);

// pcmk_host_check, or its default: static-list when pcmk_host_list or
// pcmk_host_map is set, else none (see the top of this file).
enum class HostCheck { static_list, dynamic_list, status, none, invalid };
HostCheck host_check(const Attributes& params);
std::string_view to_string(HostCheck c);

// Whether a device may fence `target`. For dynamic-list, `listed` is the
// agent's `list` output (parsed); for status, `known` is whether its `status`
// for the target answered on or off. Without that answer, `ask` is set: the
// caller runs the action and asks again.
struct Eligibility {
  bool can = false;
  bool ask = false;  // the device's own answer is needed (list or status)
  std::string why;   // for logs: "static-list", "not in pcmk_host_list", ...
};
Eligibility can_fence(const Attributes& params, std::string_view target,
                      const std::optional<std::vector<std::string>>& listed = std::nullopt,
                      std::optional<bool> known = std::nullopt);

// stonith-action: "reboot" or "off" (the legacy "poweroff" is "off"); anything
// else is reported and falls back to reboot, as Pacemaker's option check does.
std::string fence_action(std::string_view stonith_action);

// One device's try at fencing a target.
struct FenceAttempt {
  std::string device, type;  // the stonith primitive's id and agent
  std::string action;        // sent to the agent: pcmk_<action>_action, else the action
  Attributes args;           // the agent's name=value lines: no pcmk_*, nodename and the host argument set
  int64_t timeout_ms = 60000;  // pcmk_<action>_timeout, else stonith-timeout
  DelaySpec delay;           // pcmk_delay_base / pcmk_delay_max for this target
  HostCheck check = HostCheck::none;  // dynamic-list / status: ask the device before using it
  int64_t check_timeout_ms = 60000;   // pcmk_list_timeout / pcmk_status_timeout, else stonith-timeout
  Attributes params;         // the device's parameters, for can_fence() with the device's answer
  Attributes device_args;    // the agent's lines for `list` (no target)
};

struct FencePlan {
  std::string target, action;          // action: reboot | off
  std::vector<FenceAttempt> attempts;  // in the order to try
  std::vector<std::string> notes;      // devices left out and why, bad values (for the log)
};

// The agent's arguments for one action on `target` (action = what the agent is
// told: "reboot", "off", "list", "status"). The host argument (pcmk_host_argument,
// default "port"; "none" to omit) is set to the pcmk_host_map port or the node
// name unless the device sets it to something other than "dynamic".
Attributes fence_agent_args(const Attributes& params, std::string_view target);

// The devices able to fence `target`, in CIB order, skipping those with
// target-role=Stopped and those whose static list excludes it.
FencePlan plan_fence(const Cib& cib, std::string_view target);

}  // namespace hactl::core
