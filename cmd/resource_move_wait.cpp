#include "cmd/resource_move_wait.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "cmd/live_controller.h"
#include "core/constraint_edit.h"
#include "core/printable_text.h"

namespace hactl::cmd {

std::vector<std::string> active_nodes_of(const core::CibDocument& doc, const std::string& rsc);  // resource_state_cmds.cpp

namespace {

constexpr int kDefaultWaitSeconds = 60;

// Where the resource runs once the DC is idle; empty while it moves.
std::vector<std::string> settled_nodes(const Invocation& inv, const std::string& rsc) {
  auto ctl = controller_state(inv);
  if (!ctl || !ctl->value("settled", false)) return {};
  auto doc = load_cib(inv);
  if (!doc) return {};
  return active_nodes_of(*doc, rsc);
}

}  // namespace

int finish_move(const Invocation& inv, const std::string& rsc, const std::string& target,
                const std::vector<std::string>& before, const std::string& constraint_id) {
  int seconds = kDefaultWaitSeconds;
  if (inv.wait && !inv.wait->empty()) seconds = std::max(1, std::atoi(inv.wait->c_str()));
  std::cerr << "Location constraint to move resource '" << core::printable(rsc) << "' has been created\n"
            << "Waiting for the cluster to apply configuration changes...\n";
  auto moved = [&](const std::vector<std::string>& now) {
    if (now.size() != 1) return false;
    if (!target.empty()) return now[0] == target;
    return std::find(before.begin(), before.end(), now[0]) == before.end();
  };
  std::vector<std::string> now;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!moved(now = settled_nodes(inv, rsc)) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  if (!moved(now))
    return fail(core::Status::error(core::ExitCode::timeout,
                                    "resource '" + core::printable(rsc) + "' has not moved within " + std::to_string(seconds) +
                                        " s; the constraint '" + core::printable(constraint_id) +
                                        "' stays, 'hactl resource clear " + core::printable(rsc) + "' removes it"));
  int rc = edit_cib(inv, [&](core::CibDocument& doc) { return core::remove_constraint(doc, constraint_id); });
  if (rc != 0) return rc;
  std::cerr << "Location constraint created to move resource '" << core::printable(rsc) << "' has been removed\n"
            << "resource '" << core::printable(rsc) << "' is running on node '" << core::printable(now[0]) << "'\n";
  return 0;
}

}  // namespace hactl::cmd
