#include "cmd/crm_tool_support.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/sys/ipc_client.h"
#include "core/printable_text.h"

namespace hactl::cmd {

using core::ExitCode;

Invocation tool_invocation(const std::string& output) {
  auto inv = parse_invocation({});
  Invocation out = inv ? *inv : Invocation{};
  if (output == "xml" || output == "json") out.output = output;
  return out;
}

// CLI11 reports usage errors by exception; Pacemaker's tools exit 64 for them.
int parse_tool(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << app.get_name() << ": " << e.what() << "\n";
    return core::to_int(ExitCode::usage);
  }
  return -1;
}

std::string local_node_name(const Invocation& inv) {
  if (const char* n = std::getenv("HACTL_NODE"); n && *n) return n;
  if (inv.cib_file.empty())
    if (auto live = ipc_call(paths_of(inv).socket(), nlohmann::json{{"op", "ping"}}, 2000))
      if (std::string n = live->value("node", std::string()); !n.empty()) return n;
  struct utsname u{};
  if (uname(&u) != 0) return "";
  std::string host = u.nodename;
  return host.substr(0, host.find('.'));
}

std::string request_line(const std::string& tool, int argc, char** argv) {
  std::string out = tool;
  for (int i = 1; i < argc; ++i) out += std::string(" ") + argv[i];
  return out;
}

int tool_error(const std::string& tool, const core::Status& s) {
  ExitCode code = s.code() == ExitCode::ok ? ExitCode::error : s.code();
  std::cerr << tool << ": " << core::printable(s.message()) << "\n";
  if (code != ExitCode::usage) std::cerr << "Error performing operation: " << core::describe(code) << "\n";
  return core::to_int(code);
}

bool check_output_format(const std::string& tool, const std::string& output) {
  if (output == "text" || output == "xml") return true;
  std::cerr << tool << ": Invalid --output-as value: " << output << " (text or xml)\n";
  return false;
}

}  // namespace hactl::cmd
