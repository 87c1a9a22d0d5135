// `hactl resource clone|promotable|unclone` (pcs 0.11) and the pcs 0.9
// `resource master`, plus the checks `resource create ... clone|promotable`
// shares with them.
#pragma once

#include <string>

#include "agents/agent_metadata.h"
#include "cmd/cli.h"
#include "core/clone_edit.h"

namespace hactl::cmd {

bool is_clone_command(const std::string& sub);
int run_clone_command(Invocation& inv, const std::string& sub, const Args& args);

// pcs's check that promotable=true suits an OCF 1.1 agent: it must declare
// promote and demote. Refused unless --force (then a warning). `md` may be null
// (agent unknown: nothing to check); `rsc` empty while the resource is being created.
core::Status check_promotable_agent(const Invocation& inv, const agents::AgentMetadata* md, const std::string& agent,
                                    const std::string& rsc, const core::KeyValues& clone_meta);

// Role names in op definitions and constraints: the pcs 0.9 names Master/Slave
// become Promoted/Unpromoted, with the one-line note.
std::string modern_role_noted(const std::string& role);

}  // namespace hactl::cmd
