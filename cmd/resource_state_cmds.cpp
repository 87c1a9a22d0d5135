// Runtime state of resources as the scheduler reads the CIB's status section:
// `resource [status]`, `resource cleanup`, `resource failcount show|reset`.
#include <ctime>
#include <algorithm>
#include <iostream>
#include <set>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "agents/ocf_result.h"
#include "cmd/sys/json_text.h"
#include "cmd/cli.h"
#include "cmd/live_controller.h"
#include "cmd/simulate_status.h"
#include "core/status_edits.h"
#include "core/cib_model.h"
#include "core/printable_text.h"
#include "core/resource_history.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;
using json = nlohmann::json;

// Nodes the resource (a group: any of its members) is active on, as the
// scheduler reads the status section.
std::vector<std::string> active_nodes_of(const CibDocument& doc, const std::string& rsc) {
  core::Cib cib = core::read_cib(doc);
  core::ClusterStatus cs = core::cluster_status(cib, std::time(nullptr));
  std::vector<std::string> out;
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives) {
      if (p.id != rsc && t.group != rsc) continue;
      for (const auto& n : p.running_on)
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  return out;
}

bool is_resource_state_command(const std::string& sub) {
  return sub == "status" || sub == "cleanup" || sub == "refresh" || sub == "failcount";
}

namespace {

std::unordered_map<std::string_view, const core::PrimitiveStatus*> by_primitive(const core::ClusterStatus& cs) {
  std::unordered_map<std::string_view, const core::PrimitiveStatus*> out;
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives) out.emplace(p.id, &p);
  return out;
}

}  // namespace

json resources_json(const core::Cib& cib, const core::ClusterStatus& cs) {
  auto status = by_primitive(cs);
  json out = json::array();
  for (const core::Primitive& p : cib.primitives) {
    auto it = status.find(p.id);
    const core::PrimitiveStatus* st = it == status.end() ? nullptr : it->second;
    json nodes = st ? json(st->running_on) : json::array();
    out.push_back({{"id", p.id}, {"agent", p.agent()}, {"group", p.group.empty() ? json(nullptr) : json(p.group)},
                   {"role", nodes.empty() ? "Stopped" : "Started"}, {"failed", st && st->failed}, {"nodes", nodes},
                   {"disabled", st && st->disabled}, {"managed", !st || st->managed}, {"blocked", st && st->blocked}});
  }
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives)
      if (p.orphaned)
        out.push_back({{"id", p.id}, {"agent", p.agent}, {"group", nullptr}, {"role", "Started"}, {"failed", p.failed},
                       {"nodes", p.running_on}, {"disabled", false}, {"managed", p.managed}, {"blocked", p.blocked},
                       {"orphaned", true}});
  return out;
}

// crm_mon 2.1's "Failed Resource Actions" section (nothing when none failed).
void print_failed_actions(const core::ClusterStatus& cs, std::ostream& os) {
  if (!cs.failed_actions.empty()) os << "\nFailed Resource Actions:\n";
  for (const core::FailedAction& f : cs.failed_actions) {
    const core::LrmOp& op = *f.op;
    std::time_t t = op.last_rc_change;
    char at[64];
    std::strftime(at, sizeof at, "%a %b %e %H:%M:%S %Y", std::localtime(&t));
    os << "  * " << core::printable(f.rsc) << " " << (op.interval_ms ? std::to_string(op.interval_ms / 1000) + "s-interval " : "")
       << (op.operation == "monitor" && op.interval_ms == 0 ? "probe" : op.operation) << " on " << core::printable(f.node)
       << " returned '" << agents::describe(static_cast<agents::OcfRc>(op.rc_code)) << "'"
       << (op.exit_reason.empty() ? "" : " (" + core::printable(op.exit_reason) + ")") << " at " << at << "\n";
  }
}

// One line per resource, crm_mon's layout (tabs included), in configuration order.
void print_resource_lines(const core::Cib& cib, const core::ClusterStatus& cs, std::ostream& os, int indent) {
  std::unordered_map<std::string_view, const core::TopLevelStatus*> top;
  for (const auto& t : cs.resources)
    if (!t.clone.empty()) top.emplace(t.clone, &t);
    else if (!t.group.empty()) top.emplace(t.group, &t);
    else if (!t.primitives.empty()) top.emplace(t.primitives.front().id, &t);
  std::string pad(static_cast<size_t>(indent), ' ');
  if (cib.resources.empty() && cs.resources.empty()) os << pad << "* No resources\n";
  for (const core::ResourceRef& r : cib.resources) {
    if (r.kind == core::ResourceRef::Kind::other) {
      os << pad << "* " << core::printable(r.tag) << " " << core::printable(r.id) << " (not managed by this version of hactl)\n";
      continue;
    }
    auto it = top.find(r.id);
    if (it == top.end()) continue;
    const core::TopLevelStatus& t = *it->second;
    if (!t.clone.empty()) {
      print_clone(os, t, cib, true, pad);
      continue;
    }
    if (t.group.empty()) {
      os << pad << "* " << primitive_line(t.primitives.front(), cib, true) << "\n";
      continue;
    }
    if (t.primitives.empty()) continue;  // crm_mon lists nothing for an empty group
    os << pad << "* " << group_line(t) << "\n";
    for (const auto& p : t.primitives) os << pad << "  * " << primitive_line(p, cib, true) << "\n";
  }
  // Deleted but still active: crm_mon lists them after the configured ones.
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives)
      if (p.orphaned) os << pad << "* " << primitive_line(p, cib, true) << "\n";
}

int run_resource_state_command(Invocation& inv, const std::string& sub, const Args& a) {
  if (sub == "status") {
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    core::Cib cib = core::read_cib(*doc);
    core::ClusterStatus cs = core::cluster_status(cib, std::time(nullptr));
    if (inv.json()) std::cout << json_text(json{{"resources", resources_json(cib, cs)}}, 2) << "\n";
    else print_resource_lines(cib, cs, std::cout, 2);
    return 0;
  }
  if (sub == "failcount") {
    std::string action = a.empty() ? "show" : a[0];
    std::string rsc = a.size() > 1 ? a[1] : "", node;
    for (size_t i = 2; i < a.size(); ++i) node = a[i].rfind("node=", 0) == 0 ? a[i].substr(5) : a[i];
    if (action == "reset") {
      legacy_note("resource failcount reset", "resource cleanup");
      Args c;
      if (!rsc.empty()) c.push_back(rsc);
      if (!node.empty()) c.push_back("node=" + node);
      return run_resource_state_command(inv, "cleanup", c);
    }
    if (action != "show") return usage_error("resource failcount show [RESOURCE] [node=NODE]");
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    auto counts = core::fail_counts(core::read_cib(*doc));
    json out = json::array();
    bool any = false;
    for (auto& fc : counts) {
      if ((!rsc.empty() && fc.rsc != rsc) || (!node.empty() && fc.node != node)) continue;
      any = true;
      if (inv.json()) {
        out.push_back({{"resource", fc.rsc}, {"node", fc.node}, {"operation", fc.op_key}, {"count", core::score_to_string(fc.count)}});
        continue;
      }
      std::cout << "Failcounts for resource '" << core::printable(fc.rsc) << "'\n  " << core::printable(fc.node) << ": " << core::score_to_string(fc.count)
                << (fc.op_key.empty() ? "" : " (" + core::printable(fc.op_key) + ")") << "\n";
    }
    if (inv.json()) std::cout << json_text(out, 2) << "\n";
    else if (!any) std::cout << "No failcounts\n";
    return 0;
  }
  // cleanup / refresh on a CIB file: forget failures (cleanup) or all history
  // (refresh) of the resource, so that the next scheduler run re-probes it.
  std::string rsc, node;
  for (auto& x : a) {
    if (x.rfind("node=", 0) == 0) node = x.substr(5);
    else if (x.find('=') == std::string::npos) rsc = x;
  }
  if (!inv.value("node").empty()) node = inv.value("node");
  // Live: the DC clears fail counts and history and re-probes.
  if (inv.cib_file.empty()) return live_cleanup(inv, rsc, node, sub == "refresh");
  bool refresh = sub == "refresh";
  int cleaned = 0;
  int rc = edit_cib(inv, [&](CibDocument& doc) {
    core::Cib cib = core::read_cib(doc);
    if (!rsc.empty() && !cib.find_primitive(rsc) && !cib.find_group(rsc))
      return Status::not_found("Resource '" + rsc + "' not found");
    std::vector<std::string> targets;
    if (const core::Group* g = cib.find_group(rsc)) targets = g->members;
    else if (!rsc.empty()) targets.push_back(rsc);
    if (targets.empty()) targets.push_back("");
    // The same forgetting as the coordinator's cleanup of a running cluster.
    for (const auto& t : targets) cleaned += core::clear_failures(doc, t, node, true, !refresh);
    return Status::ok();
  });
  if (rc == 0) std::cout << "Cleaned up " << (rsc.empty() ? "all resources" : rsc) << (node.empty() ? " on all nodes" : " on " + node) << "\n";
  return rc;
}

}  // namespace hactl::cmd
