// Text formats of Pacemaker 2.1.5's status output as crm_simulate prints it
// (lib/pengine/pe_output.c node_list_text and node_text_status,
// lib/pengine/native.c pcmk__native_output_string, lib/pengine/group.c
// group_header), with every resource shown, inactive ones included.
#include "cmd/simulate_status.h"

#include <algorithm>
#include <string>

#include "core/scheduler/working_set.h"

#include "core/printable_text.h"

namespace hactl::cmd {
namespace {

// node_text_status: the state of a node listed on its own line.
std::string node_state_text(const core::NodeStatus& n) {
  if (n.unclean) return n.online ? "UNCLEAN (online)" : n.pending ? "UNCLEAN (pending)" : "UNCLEAN (offline)";
  if (n.pending) return "pending";
  if (n.standby_onfail && n.online) return "standby (on-fail)";
  if (n.standby) {
    if (!n.online) return "OFFLINE (standby)";
    return n.running_resources ? "standby (with active resources)" : "standby";
  }
  if (n.maintenance) return n.online ? "maintenance" : "OFFLINE (maintenance)";
  return n.online ? "online" : "OFFLINE";
}

// node_list_text: nodes in an unusual state get a line each, in name order,
// ahead of the "Online" and "OFFLINE" summaries.
void print_nodes(std::ostream& os, const std::vector<core::NodeStatus>& nodes) {
  std::string online, offline;
  os << "  * Node List:\n";
  for (const auto& n : nodes) {
    if (n.unclean || n.pending || n.standby || n.maintenance) {
      os << "    * Node " << core::printable(n.uname) << ": " << node_state_text(n) << "\n";
    } else {
      (n.online ? online : offline) += " " + core::printable(n.uname);
    }
  }
  if (!online.empty()) os << "    * Online: [" << online << " ]\n";
  if (!offline.empty()) os << "    * OFFLINE: [" << offline << " ]\n";
}

// native_pending_state: what a pending operation makes of the state.
const char* pending_state(const std::string& task) {
  if (task == "start") return "Starting";
  if (task == "stop") return "Stopping";
  if (task == "migrate_to" || task == "migrate_from") return "Migrating";
  if (task == "promote") return "Promoting";
  if (task == "demote") return "Demoting";
  return nullptr;
}

}  // namespace

std::string primitive_line(const core::PrimitiveStatus& p, const core::Cib& cib, bool show_pending) {
  const core::Primitive* prim = p.agent.empty() ? cib.find_primitive(p.id) : nullptr;
  std::string out = core::printable(p.id) + "	(" +
                    core::printable(!p.agent.empty() ? p.agent : prim ? prim->agent() : std::string("unknown")) + "):	";
  if (p.orphaned) out += " ORPHANED";
  const bool multiple = p.running_on.size() > 1;
  const bool active = !p.running_on.empty();
  // The role is Started for any active primitive; "FAILED" replaces it.
  const char* pending = show_pending ? pending_state(p.pending_task) : nullptr;
  // An active promotable instance shows its role instead of Started.
  const char* state = p.failed ? (p.role == "Promoted" ? "FAILED Promoted" : "FAILED")
                      : pending ? pending
                      : active ? (p.role.empty() ? "Started" : p.role.c_str())
                               : "Stopped";
  out.append(" ").append(state);
  // A multiply active resource lists its nodes at the end instead.
  const std::string node = multiple ? std::string() : p.node;
  if (!node.empty()) out += " " + core::printable(node);
  if (!active && !p.failed_probe.empty()) out += " (" + core::printable(p.failed_probe) + ") ";
  std::vector<std::string> flags;
  if (!node.empty() && p.node_unclean) flags.push_back("UNCLEAN");
  if (show_pending && p.pending_task == "monitor") flags.push_back("Monitoring");
  if (p.disabled) flags.push_back("disabled");
  if (p.blocked) flags.push_back("blocked");
  else if (!p.managed) flags.push_back("unmanaged");
  if (p.failure_ignored) flags.push_back("failure ignored");
  for (size_t i = 0; i < flags.size(); ++i) out += (i == 0 ? " (" : ", ") + flags[i];
  if (!flags.empty()) out += ")";
  if (multiple) {
    out += " [";
    for (const auto& n : p.running_on) out += " " + core::printable(n);
    out += " ]";
  }
  return out;
}

std::string group_line(const core::TopLevelStatus& group) {
  std::string attrs;
  if (!group.managed) attrs = "unmanaged";
  if (group.disabled) attrs += attrs.empty() ? "disabled" : ", disabled";
  return "Resource Group: " + core::printable(group.group) + (attrs.empty() ? "" : " (" + attrs + ")") + ":";
}

void print_clone(std::ostream& os, const core::TopLevelStatus& clone, const core::Cib& cib, bool show_pending,
                 const std::string& pad) {
  std::vector<std::string> attrs;
  if (clone.promotable) attrs.push_back("promotable");
  if (clone.unique) attrs.push_back("unique");
  if (!clone.managed) attrs.push_back("unmanaged");
  if (clone.disabled) attrs.push_back("disabled");
  std::string header = "Clone Set: " + core::printable(clone.clone) + " [" + core::printable(clone.clone_child) + "]";
  for (size_t i = 0; i < attrs.size(); ++i) header += (i == 0 ? " (" : ", ") + attrs[i];
  if (!attrs.empty()) header += ")";
  os << pad << "* " << header << ":\n";
  std::vector<std::string> started, promoted;
  for (const auto& p : clone.primitives) {
    const bool active = !p.running_on.empty();
    const bool pending = show_pending && !p.pending_task.empty() && p.pending_task != "probe";
    // A unique clone lists every instance, stopped ones too.
    bool full = clone.unique ? (active || !p.orphaned) : pending;
    if (!clone.unique && !pending && active)
      full = p.orphaned || !p.managed || p.failed || p.running_on.size() > 1 || p.node_unclean;
    if (full) {
      os << pad << "  * " << primitive_line(p, cib, show_pending) << "\n";
    } else if (active && !clone.unique) {
      (p.role == "Promoted" ? promoted : started).push_back(p.running_on.front());
    }
  }
  std::sort(started.begin(), started.end(), core::sched::node_name_less);
  std::sort(promoted.begin(), promoted.end(), core::sched::node_name_less);
  auto list = [&](const char* what, const std::vector<std::string>& nodes) {
    if (nodes.empty()) return;
    os << pad << "  * " << what << ": [";
    for (const auto& n : nodes) os << " " << core::printable(n);
    os << " ]\n";
  };
  list("Promoted", promoted);
  list(clone.promotable ? "Unpromoted" : "Started", started);
  list(clone.disabled ? "Stopped (disabled)" : "Stopped", clone.stopped_on);
}

void print_cluster_status(std::ostream& os, const core::ClusterStatus& status, const core::Cib& cib,
                          bool show_pending) {
  print_nodes(os, status.nodes);
  os << "\n  * Full List of Resources:\n";
  if (status.resources.empty()) os << "    * No resources\n";
  for (const auto& t : status.resources) {
    if (!t.clone.empty()) {
      print_clone(os, t, cib, show_pending, "    ");
      continue;
    }
    if (t.group.empty()) {
      for (const auto& p : t.primitives) os << "    * " << primitive_line(p, cib, show_pending) << "\n";
      continue;
    }
    if (t.primitives.empty()) continue;  // an empty group prints nothing
    os << "    * " << group_line(t) << "\n";
    for (const auto& p : t.primitives) os << "      * " << primitive_line(p, cib, show_pending) << "\n";
  }
}

}  // namespace hactl::cmd
