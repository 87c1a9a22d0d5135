// Help printed from the command table: the top-level summary, a group's
// commands, one command's usage, options and example; "did you mean" for a
// mistyped command; the man page hactl(8) and the bash completion script.
#pragma once

#include <iosfwd>
#include <string>

#include "cmd/command_table.h"

namespace hactl::cmd {

void print_summary(std::ostream& os);
// `hactl [GROUP [COMMAND]] --help`: words are the command words given.
int print_help_for(const Args& words);
// The error for a word that is no command (of `group`, or no group when null).
int unknown_command(const CommandGroup* group, const std::string& word);
void print_man_page(std::ostream& os);
void print_bash_completion(std::ostream& os);

}  // namespace hactl::cmd
