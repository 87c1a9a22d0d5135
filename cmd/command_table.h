// The command table: every command group with its handler, and every command
// of a group with its usage, options and an example. Dispatch of the groups,
// the refusal of unknown commands (with "did you mean"), `--help` at every
// level, the man page and the bash completion all read this one table, so a
// command cannot exist without its help.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cmd/cli.h"

namespace hactl::cmd {

struct CommandHelp {
  std::string_view names;    // "delete|remove": the first is the name, the others aliases
  std::string_view usage;    // the arguments after "hactl GROUP NAME"
  std::string_view summary;  // what it does, one or a few sentences
  std::string_view options;  // "--opt: meaning" lines, may be empty
  std::string_view example;  // one command line, without "hactl "
};

using GroupFn = int (*)(Invocation&, Args);

struct CommandGroup {
  std::string_view name;
  GroupFn run;
  std::string_view summary;
  std::vector<CommandHelp> commands;  // empty: the group is itself one command
  CommandHelp self;                   // the group's own usage (what it does without a command word)
  bool takes_wait = false;            // --wait after changes made on a running cluster
};

const std::vector<CommandGroup>& command_groups();
const CommandGroup* find_group(std::string_view name);
const CommandHelp* find_command(const CommandGroup& g, std::string_view name);
// The names of a command (name first, then its aliases).
std::vector<std::string> names_of(const CommandHelp& c);

}  // namespace hactl::cmd
