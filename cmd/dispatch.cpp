#include "cmd/dispatch.h"

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "agents/builtin_exec.h"
#include "cmd/cli.h"
#include "cmd/command_help.h"
#include "cmd/crm_tools.h"
#include "cmd/live_controller.h"
#include "core/utf8.h"

namespace hactl::cmd {

namespace {

std::string base_name(const char* argv0) {
  const char* slash = std::strrchr(argv0, '/');
  return slash ? slash + 1 : argv0;
}

// Arguments reach ids, XML and JSON: bytes that are not UTF-8 are refused
// here, once, naming the argument, rather than stored or half-printed.
core::Status check_arguments_utf8(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (auto bad = core::first_invalid_utf8(argv[i]))
      return core::Status::invalid("argument " + std::to_string(i) + " is not valid UTF-8 (byte " +
                                   std::to_string(*bad + 1) + "): " + core::to_valid_utf8(argv[i]));
  return {};
}

int run_main_checked(int argc, char** argv);

}  // namespace

// A library exception that escaped its edge is a bug, but it must end as an
// Error line and an exit code, never as an abort with a core dump.
int run_main(int argc, char** argv) {
  try {
    return run_main_checked(argc, argv);
  } catch (const std::exception& e) {
    return fail(core::Status::error(core::ExitCode::software, std::string("internal error: ") + e.what()));
  }
}

namespace {

int run_main_checked(int argc, char** argv) {
  if (core::Status s = check_arguments_utf8(argc, argv); !s) return fail(s);
  std::string self = argc > 0 ? base_name(argv[0]) : "hactl";
  if (is_personality(self)) return run_crm_tool(self, argc, argv);

  std::vector<std::string> raw(argv + 1, argv + argc);
  if (!raw.empty() && raw[0] == agents::kBuiltinAgentVerb) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    return agents::run_builtin_exec({raw.begin() + 1, raw.end()}, env);
  }
  if (raw.empty()) {
    print_summary(std::cerr);
    return core::to_int(core::ExitCode::usage);
  }
  if (raw[0] == "help") return print_help_for({raw.begin() + 1, raw.end()});
  // Hidden: the man page and the bash completion, generated at build time for the packages.
  if (raw[0] == "__man" || raw[0] == "__complete") {
    raw[0] == "__man" ? print_man_page(std::cout) : print_bash_completion(std::cout);
    return 0;
  }
  if (raw[0] == "--version") {
    std::cout << "hactl 0.1.0\n";
    return 0;
  }
  if (raw[0] == "simulate" && raw.size() == 2 && (raw[1] == "--help" || raw[1] == "-h")) return print_help_for({"simulate"});
  if (raw[0] == "simulate") {
    // crm_simulate's own options follow; hand over untouched.
    std::vector<char*> sub = {argv[0]};
    for (int i = 2; i < argc; ++i) sub.push_back(argv[i]);
    return run_crm_tool("crm_simulate", static_cast<int>(sub.size()), sub.data());
  }
  auto inv = parse_invocation(raw);
  if (!inv) return fail(inv.status());
  if (inv->help) return print_help_for(inv->args);
  if (inv->args.empty()) {
    print_summary(std::cerr);
    return core::to_int(core::ExitCode::usage);
  }
  std::string group = inv->args[0];
  if (group == "daemon") return run_daemon_entry(*inv);
  Args rest(inv->args.begin() + 1, inv->args.end());
  const CommandGroup* g = find_group(group);
  if (!g) return unknown_command(nullptr, group);
  // A command word the table does not know is refused here, with a guess.
  if (!rest.empty() && !g->commands.empty() && !find_command(*g, rest[0])) return unknown_command(g, rest[0]);
  // Commands that change placement accept --wait when they talk to the cluster.
  if (g->takes_wait) return run_with_wait(*inv, [&] { return g->run(*inv, std::move(rest)); });
  return g->run(*inv, std::move(rest));
}

}  // namespace

}  // namespace hactl::cmd
