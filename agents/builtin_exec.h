// Built-in agents run as their own program: `hactl __builtin-agent ROOT
// PROVIDER TYPE ACTION` with the OCF environment an on-disk agent would get.
// The executor starts them with posix_spawn like any script (see
// ExecutorEnv::builtin_exec), so starting one never copies the node agent's
// memory the way fork() does (page tables of a few hundred MB, on the loop).
#pragma once

#include <string>
#include <vector>

#include "agents/builtin_agents.h"

namespace hactl::agents {

// argv[1] of the hidden entry; never listed in the CLI's help.
inline constexpr const char* kBuiltinAgentVerb = "__builtin-agent";

// The argv that runs `call` of `provider:type` through `program` (the hactl binary).
std::vector<std::string> builtin_exec_argv(const std::string& program, const std::string& provider,
                                           const std::string& type, const BuiltinCall& call);

// The call an exec'd built-in sees: action and root from `args` (ROOT PROVIDER
// TYPE ACTION), instance, params and meta from the OCF variables of `env`.
BuiltinCall builtin_call_from(const std::vector<std::string>& args, const std::vector<std::string>& env);

// The hidden entry: `args` as above; runs the built-in, returns its OCF rc
// (or OCF_ERR_INSTALLED, 5, with a message on stderr for an unknown agent).
int run_builtin_exec(const std::vector<std::string>& args, const std::vector<std::string>& env);

}  // namespace hactl::agents
