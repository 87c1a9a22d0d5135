// What every crm_* personality shares: CLI11 parsing with Pacemaker's usage
// exit code, the invocation (CIB_file or the local agent), the local node's
// name, and Pacemaker's error layout ("tool: why\nError performing operation: ...").
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cmd/cli.h"

namespace hactl::cmd {

Invocation tool_invocation(const std::string& output);
// -1: parsed, go on; otherwise the exit code (0 after --help, 64 on bad usage).
int parse_tool(CLI::App& app, int argc, char** argv);
// HACTL_NODE, else the running agent's own name, else the host name.
std::string local_node_name(const Invocation& inv);
// The command line as pacemaker-result's request attribute echoes it.
std::string request_line(const std::string& tool, int argc, char** argv);
// "tool: message" then "Error performing operation: <code text>"; returns the code.
int tool_error(const std::string& tool, const core::Status& s);
// Text or xml; anything else is a usage error (printed), returned as false.
bool check_output_format(const std::string& tool, const std::string& output);

}  // namespace hactl::cmd
