#include "cmd/dispatch.h"

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "agents/builtin_exec.h"
#include "cmd/cli.h"
#include "cmd/crm_tools.h"
#include "cmd/live_controller.h"
#include "core/utf8.h"

namespace hactl::cmd {

namespace {

using GroupFn = int (*)(Invocation&, Args);

const std::map<std::string, GroupFn>& groups() {
  static const std::map<std::string, GroupFn> table = {
      {"cluster", run_cluster},       {"property", run_property}, {"resource", run_resource},
      {"constraint", run_constraint}, {"node", run_node},         {"config", run_config},
      {"status", run_status},         {"stonith", run_stonith},
  };
  return table;
}

void print_usage(std::ostream& os) {
  os << "Usage: hactl [-f FILE] [--root DIR] [--force] [--output-as text|json] COMMAND ...\n"
        "High availability cluster manager with pcs's command grammar.\n\n"
        "Commands:\n"
        "  cluster     setup, start, stop, status, destroy, cib, cib-push, verify\n"
        "  property    config, set, unset, defaults, describe\n"
        "  resource    create, delete, update, meta, op, defaults, group, clone, promotable,\n"
        "              unclone, enable, disable,\n"
        "              config, status, move, ban, clear, cleanup, failcount,\n"
        "              standards, providers, agents, describe\n"
        "  constraint  [config], location, colocation, order, remove, ref\n"
        "  node        standby, unstandby, maintenance, unmaintenance, attribute\n"
        "  stonith     create, config, list, fence\n"
        "  status      cluster status (like pcs status)\n"
        "  config      the whole configuration\n"
        "  simulate    the scheduler on a CIB file (crm_simulate's options)\n\n"
        "Invoked as crm_resource, crm_node, crm_verify, crm_mon, crm_simulate or\n"
        "crm_attribute, hactl takes that tool's options instead.\n";
}

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
  if (self.rfind("crm_", 0) == 0 || self == "cibadmin") return run_crm_tool(self, argc, argv);

  std::vector<std::string> raw(argv + 1, argv + argc);
  if (!raw.empty() && raw[0] == agents::kBuiltinAgentVerb) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    return agents::run_builtin_exec({raw.begin() + 1, raw.end()}, env);
  }
  if (raw.empty() || raw[0] == "-h" || raw[0] == "--help" || raw[0] == "help") {
    print_usage(raw.empty() ? std::cerr : std::cout);
    return raw.empty() ? core::to_int(core::ExitCode::usage) : 0;
  }
  if (raw[0] == "--version") {
    std::cout << "hactl 0.1.0\n";
    return 0;
  }
  if (raw[0] == "simulate") {
    // crm_simulate's own options follow; hand over untouched.
    std::vector<char*> sub = {argv[0]};
    for (int i = 2; i < argc; ++i) sub.push_back(argv[i]);
    return run_crm_tool("crm_simulate", static_cast<int>(sub.size()), sub.data());
  }
  auto inv = parse_invocation(raw);
  if (!inv) return fail(inv.status());
  if (inv->help) {
    print_usage(std::cout);
    return 0;
  }
  if (inv->args.empty()) {
    print_usage(std::cerr);
    return core::to_int(core::ExitCode::usage);
  }
  std::string group = inv->args[0];
  if (group == "daemon") return run_daemon_entry(*inv);
  Args rest(inv->args.begin() + 1, inv->args.end());
  auto it = groups().find(group);
  if (it == groups().end()) return usage_error("unknown command '" + group + "', see 'hactl --help'");
  // Commands that change placement accept --wait when they talk to the cluster.
  if (group == "resource" || group == "node" || group == "constraint")
    return run_with_wait(*inv, [&] { return it->second(*inv, std::move(rest)); });
  return it->second(*inv, std::move(rest));
}

}  // namespace

}  // namespace hactl::cmd
