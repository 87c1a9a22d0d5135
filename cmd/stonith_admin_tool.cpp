// The stonith_admin personality: the fencing devices configured (-L), a
// fence or reboot of a node through the DC's fencer (-F / -B), and the
// DC's fencing history (-H). Pacemaker 2.1's text layout and exit codes.
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/crm_tool_support.h"
#include "cmd/sys/ipc_client.h"
#include "cmd/live_controller.h"
#include "core/cib_model.h"
#include "core/cib_write_stamp.h"

namespace hactl::cmd {

using core::ExitCode;
using core::Status;

namespace {
const char* kTool = "stonith_admin";

int list_registered(const Invocation& inv) {
  auto doc = load_cib(inv);
  if (!doc) return tool_error(kTool, doc.status());
  core::Cib cib = core::read_cib(*doc);
  int count = 0;
  for (const auto& p : cib.primitives)
    if (p.cls == "stonith") {
      std::cout << " " << p.id << "\n";
      ++count;
    }
  std::cout << count << " fence device" << (count == 1 ? "" : "s") << " found\n";
  return 0;
}

int fence(const Invocation& inv, const std::string& node) {
  if (!inv.cib_file.empty()) return tool_error(kTool, Status::invalid("fencing needs a running cluster, not CIB_file"));
  auto r = ipc_call(paths_of(inv).socket(), nlohmann::json{{"op", "ctl_fence"}, {"node", node}}, 120000);
  if (!r) return tool_error(kTool, Status::error(r.status().code(), "Couldn't fence " + node + ": " + r.status().message()));
  return 0;
}

int history(const Invocation& inv, const std::string& node, bool quiet) {
  auto st = controller_state(inv);
  if (!st) return tool_error(kTool, Status::error(ExitCode::disconnect, "Could not connect to the fencer (no DC answers)"));
  int shown = 0;
  for (const auto& e : st->value("fencing", nlohmann::json::array())) {
    std::string target = e.value("target", "");
    if (node != "*" && node != target) continue;
    ++shown;
    if (quiet) continue;
    std::string when = core::cib_time_text(static_cast<std::time_t>(e.value("when", 0LL)));
    std::cout << "reboot of " << target << (e.value("ok", false) ? " successful" : " failed") << ": delegate="
              << st->value("dc", "") << ", client=pacemaker-controld, origin=" << st->value("dc", "") << ", "
              << (e.value("ok", false) ? "completed" : "last-failed") << "='" << when << "'\n";
  }
  if (shown == 0 && !quiet) std::cout << "No fencing history for " << (node == "*" ? "any node" : node) << "\n";
  return 0;
}
}  // namespace

int run_stonith_admin(int argc, char** argv) {
  CLI::App app{"Access the Pacemaker fencing API", kTool};
  bool registered = false, installed = false, quiet = false;
  std::string fence_node, reboot_node, history_node, ignored;
  app.add_flag("-L,--list-registered", registered, "List the fencing devices configured");
  app.add_flag("-I,--list-installed", installed, "List the fence agents this node can run");
  app.add_option("-F,--fence", fence_node, "Fence the named host");
  app.add_option("-B,--reboot", reboot_node, "Reboot (fence) the named host");
  app.add_option("-H,--history", history_node, "Fencing history of the node ('*' for all)");
  app.add_option("-t,--timeout,--tolerance,--delay", ignored, "Accepted for compatibility");
  app.add_flag("-q,--quiet", quiet, "Be less descriptive in output");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  Invocation inv = tool_invocation("text");
  if (registered) return list_registered(inv);
  if (!fence_node.empty()) return fence(inv, fence_node);
  if (!reboot_node.empty()) return fence(inv, reboot_node);
  if (!history_node.empty()) return history(inv, history_node, quiet);
  if (installed) return run_stonith(inv, {"list"});
  return tool_error(kTool, Status::usage("Please specify a valid command (e.g. --list-registered, --fence, --history)"));
}

}  // namespace hactl::cmd
