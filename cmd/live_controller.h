// CLI side of the controller's live requests: cleanup through the DC,
// `stonith fence`, `resource restart`, and `--wait[=SECONDS]` (poll the DC
// until the transition after a change has settled).
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"

namespace hactl::cmd {

// refresh: forget all history of the resource, not only that of its failures.
int live_cleanup(const Invocation& inv, const std::string& rsc, const std::string& node, bool refresh = false);
int live_fence(const Invocation& inv, const std::string& node);
int live_restart(Invocation& inv, const Args& args);
// Runs `command`; with --wait and no -f, then waits until the DC has scheduled
// the change and every action completed. Exit 124 when applied but not settled in time.
int run_with_wait(const Invocation& inv, const std::function<int()>& command);
// The DC's controller state (ctl_state), or nullopt when no agent / DC answers.
std::optional<nlohmann::json> controller_state(const Invocation& inv);

}  // namespace hactl::cmd
