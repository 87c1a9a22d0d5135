// Small helpers shared by the built-in agents (they run in a forked child, so
// blocking here is fine): running a helper program and reading its output.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "agents/builtin_agents.h"

namespace hactl::agents {

struct CommandOutput {
  int exit_code = -1;  // -1: could not run or did not exit normally
  std::string out, err;
};

// First executable among `candidates` (absolute paths, looked up under the call's root).
std::string find_program(const BuiltinCall& call, std::initializer_list<const char*> candidates);
// Runs argv (argv[0] an absolute path) with a plain PATH, waiting at most timeout_ms.
CommandOutput run_command(const std::vector<std::string>& argv, int64_t timeout_ms = 10000);
std::vector<std::string> split_words(const std::string& text);

}  // namespace hactl::agents
