// Runtime state of resources as recorded in the CIB's status section:
// `resource [status]`, `resource cleanup`, `resource failcount show|reset`.
#include <ctime>
#include <algorithm>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "agents/ocf_result.h"
#include "cmd/cli.h"
#include "cmd/live_controller.h"
#include "core/cib_model.h"
#include "core/resource_history.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;
using json = nlohmann::json;

std::vector<std::string> active_nodes_of(const CibDocument& doc, const std::string& rsc) {
  return core::active_nodes(core::read_cib(doc), rsc);
}

bool is_resource_state_command(const std::string& sub) {
  return sub == "status" || sub == "cleanup" || sub == "refresh" || sub == "failcount";
}

namespace {

std::string state_text(const core::Cib& cib, const core::Primitive& p, const std::vector<core::ResourceOnNode>& hist) {
  std::string failed, started;
  for (auto& h : hist) {
    if (h.rsc != p.id) continue;
    if (h.failed && h.active) failed += (failed.empty() ? "" : " ") + h.node;
    else if (h.active) started += (started.empty() ? "" : " ") + h.node;
  }
  if (!failed.empty()) return "FAILED " + failed;
  if (!started.empty()) return "Started " + started;
  auto role = p.meta.find("target-role");
  return role != p.meta.end() && role->second == "Stopped" ? "Stopped (disabled)" : "Stopped";
}

}  // namespace

json resources_json(const core::Cib& cib) {
  auto hist = core::resource_history(cib);
  json out = json::array();
  for (const core::Primitive& p : cib.primitives) {
    json nodes = json::array();
    bool failed = false;
    for (auto& h : hist)
      if (h.rsc == p.id && h.active) {
        nodes.push_back(h.node);
        failed = failed || h.failed;
      }
    auto role = p.meta.find("target-role");
    out.push_back({{"id", p.id}, {"agent", p.agent()}, {"group", p.group.empty() ? json(nullptr) : json(p.group)},
                   {"role", nodes.empty() ? "Stopped" : "Started"}, {"failed", failed}, {"nodes", nodes},
                   {"disabled", role != p.meta.end() && role->second == "Stopped"}});
  }
  return out;
}

// crm_mon 2.1's "Failed Resource Actions" section (nothing when none failed).
void print_failed_actions(const core::Cib& cib, std::ostream& os) {
  bool header = false;
  for (auto& h : core::resource_history(cib)) {
    if (!h.last_failure) continue;
    if (!header) os << "\nFailed Resource Actions:\n";
    header = true;
    const core::LrmOp& op = *h.last_failure;
    std::time_t t = op.last_rc_change;
    char at[64];
    std::strftime(at, sizeof at, "%a %b %e %H:%M:%S %Y", std::localtime(&t));
    os << "  * " << h.rsc << " " << (op.interval_ms ? std::to_string(op.interval_ms / 1000) + "s-interval " : "")
       << (op.operation == "monitor" && op.interval_ms == 0 ? "probe" : op.operation) << " on " << h.node
       << " returned '" << agents::describe(static_cast<agents::OcfRc>(op.rc_code)) << "'"
       << (op.exit_reason.empty() ? "" : " (" + op.exit_reason + ")") << " at " << at << "\n";
  }
}

// One line per resource, crm_mon's layout (tabs included).
void print_resource_lines(const core::Cib& cib, std::ostream& os, int indent) {
  auto hist = core::resource_history(cib);
  std::string pad(static_cast<size_t>(indent), ' ');
  if (cib.resources.empty()) os << pad << "* No resources\n";
  for (const core::ResourceRef& r : cib.resources) {
    if (r.kind == core::ResourceRef::Kind::primitive) {
      const core::Primitive* p = cib.find_primitive(r.id);
      os << pad << "* " << p->id << "\t(" << p->agent() << "):\t " << state_text(cib, *p, hist) << "\n";
    } else if (r.kind == core::ResourceRef::Kind::group) {
      os << pad << "* Resource Group: " << r.id << ":\n";
      for (const std::string& m : cib.find_group(r.id)->members) {
        const core::Primitive* p = cib.find_primitive(m);
        os << pad << "  * " << p->id << "\t(" << p->agent() << "):\t " << state_text(cib, *p, hist) << "\n";
      }
    } else {
      os << pad << "* " << r.tag << " " << r.id << " (not managed by this version of hactl)\n";
    }
  }
}

int run_resource_state_command(Invocation& inv, const std::string& sub, const Args& a) {
  if (sub == "status") {
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    core::Cib cib = core::read_cib(*doc);
    if (inv.json()) std::cout << json{{"resources", resources_json(cib)}}.dump(2) << "\n";
    else print_resource_lines(cib, std::cout, 2);
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
      std::cout << "Failcounts for resource '" << fc.rsc << "'\n  " << fc.node << ": " << core::score_to_string(fc.count)
                << (fc.op_key.empty() ? "" : " (" + fc.op_key + ")") << "\n";
    }
    if (inv.json()) std::cout << out.dump(2) << "\n";
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
  if (inv.cib_file.empty()) return live_cleanup(inv, rsc, node);
  bool refresh = sub == "refresh";
  int cleaned = 0;
  int rc = edit_cib(inv, [&](CibDocument& doc) {
    core::Cib cib = core::read_cib(doc);
    if (!rsc.empty() && !cib.find_primitive(rsc) && !cib.find_group(rsc))
      return Status::not_found("Resource '" + rsc + "' not found");
    std::vector<std::string> targets;
    if (const core::Group* g = cib.find_group(rsc)) targets = g->members;
    else if (!rsc.empty()) targets.push_back(rsc);
    auto wanted = [&](const std::string& id) { return targets.empty() || std::find(targets.begin(), targets.end(), id) != targets.end(); };
    core::Element* status = doc.status_section();
    for (core::Element* ns : core::children(status, "node_state")) {
      if (!node.empty() && core::attr(ns, "uname") != node) continue;
      std::set<std::string> failed_rscs;
      for (core::Element* ta : core::descendants(ns, "nvpair")) {
        std::string name = core::attr(ta, "name");
        for (const char* prefix : {"fail-count-", "last-failure-"}) {
          std::string p = prefix;
          if (name.rfind(p, 0) != 0) continue;
          std::string id = name.substr(p.size(), name.find('#') == std::string::npos ? std::string::npos : name.find('#') - p.size());
          if (!wanted(id)) continue;
          failed_rscs.insert(id);
          ta->Parent()->DeleteChild(ta);
          break;
        }
      }
      for (core::Element* lr : core::descendants(ns, "lrm_resource")) {
        std::string id = core::attr(lr, "id");
        if (!wanted(id)) continue;
        bool has_failure = failed_rscs.count(id) > 0;
        for (core::Element* op : core::children(lr, "lrm_rsc_op"))
          if (core::attr(op, "id").find("_last_failure_") != std::string::npos) has_failure = true;
        if (refresh || has_failure) {
          lr->Parent()->DeleteChild(lr);
          ++cleaned;
        }
      }
    }
    return Status::ok();
  });
  if (rc == 0) std::cout << "Cleaned up " << (rsc.empty() ? "all resources" : rsc) << (node.empty() ? " on all nodes" : " on " + node) << "\n";
  return rc;
}

}  // namespace hactl::cmd
