// `hactl status` / `cluster status` against the running node agent: pcs's
// layout (crm_mon's sections) built from the agent's membership answer and the
// CIB's status section; `--output-as json` prints both as one object.
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "agents/ocf_result.h"
#include "cmd/sys/json_text.h"
#include "cmd/cli.h"
#include "cmd/live_controller.h"
#include "cmd/sys/ipc_client.h"
#include "cmd/status_summary.h"
#include "core/cib_model.h"
#include "core/printable_text.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

using json = nlohmann::json;

// resource_state_cmds.cpp
void print_resource_lines(const core::Cib& cib, const core::ClusterStatus& cs, std::ostream& os, int indent);
json resources_json(const core::Cib& cib, const core::ClusterStatus& cs);
void print_failed_actions(const core::ClusterStatus& cs, std::ostream& os);

// crm_mon's "  * Online: [ n1 n2 ]" line; nothing for an empty group.
void print_node_group(std::ostream& os, const char* label, const std::vector<std::string>& names) {
  if (names.empty()) return;
  os << "  * " << label << ": [";
  for (auto& n : names) os << " " << core::printable(n);
  os << " ]\n";
}

void print_live_status(const Invocation& inv, const json& st, bool full) {
  auto q = ipc_call(paths_of(inv).socket(), json{{"op", "cib_query"}}, 5000);
  std::optional<core::Cib> cib;
  std::optional<core::CibDocument> cib_doc;
  if (q)
    if (auto doc = core::CibDocument::parse(q->value("cib", std::string()))) {
      cib = core::read_cib(*doc);
      cib_doc = std::move(*doc);
    }
  std::optional<core::ClusterStatus> cs;
  if (cib) cs = core::cluster_status(*cib, std::time(nullptr));
  if (inv.json()) {
    json out = st;
    out.erase("ok");
    if (cib) {
      out["resources"] = resources_json(*cib, *cs);
    }
    if (auto ctl = controller_state(inv)) {
      ctl->erase("ok");
      out["controller"] = *ctl;
    }
    std::cout << json_text(out, 2) << "\n";
    return;
  }
  std::cout << "Cluster name: " << core::printable(st.value("cluster_name", "")) << "\n";
  if (cib && core::is_true(cib->property("stonith-enabled", "true")) &&
      std::none_of(cib->primitives.begin(), cib->primitives.end(), [](auto& p) { return p.cls == "stonith"; }))
    std::cout << "\nWARNINGS:\nNo stonith devices and stonith-enabled is not false\n\n";
  SummaryFacts facts;
  facts.dc = st["dc"].is_null() ? "" : st["dc"].get<std::string>();
  facts.quorate = st.value("quorate", false);
  facts.updated_on = st.value("node", "");
  facts.nodes = st["nodes"].size();
  facts.resources = cib ? cib->primitives.size() : 0;
  facts.full = full;
  for (auto& n : st["nodes"])
    if (n.value("name", "") == facts.dc) facts.dc_id = std::to_string(n.value("id", 0));
  print_cluster_summary(std::cout, facts, cib_doc ? &*cib_doc : nullptr, cib ? &*cib : nullptr);
  std::cout << "\nNode List:\n";
  std::vector<std::string> online, offline;
  for (auto& n : st["nodes"]) {
    std::string name = n.value("name", "");
    bool up = n.value("state", "") == "member";
    const core::Node* cn = cib ? cib->find_node(name) : nullptr;
    auto attr = [&](const char* a) { return cn && cn->attrs.count(a) && core::is_true(cn->attrs.at(a)); };
    if (full) {
      std::cout << "  * Node " << core::printable(name) << " (" << n.value("id", 0) << "): "
                << (!up ? "OFFLINE" : attr("standby") ? "standby" : attr("maintenance") ? "maintenance" : "online") << "\n";
      continue;
    }
    if (up && attr("standby")) std::cout << "  * Node " << core::printable(name) << ": standby\n";
    else if (up && attr("maintenance")) std::cout << "  * Node " << core::printable(name) << ": maintenance\n";
    else (up ? online : offline).push_back(name);
  }
  print_node_group(std::cout, "Online", online);
  print_node_group(std::cout, "OFFLINE", offline);
  std::cout << "\nFull List of Resources:\n";
  if (cib) {
    print_resource_lines(*cib, *cs, std::cout, 2);
    if (full) print_migration_summary(std::cout, *cib);
    print_failed_actions(*cs, std::cout);
  }
  // Fencing history lives with the DC's controller, not in the CIB.
  if (auto ctl = controller_state(inv)) {
    if (size_t unsaved = ctl->value("status_unsaved", size_t{0}))
      std::cout << "\nWARNING: the DC (" << core::printable(ctl->value("dc", "")) << ") cannot save the cluster status: "
                << unsaved << " result(s) not durable yet, retried each second; no new actions until then\n";
    bool header = false;
    for (auto& f : ctl->value("fencing", json::array())) {
      if (f.value("ok", false) && !full) continue;
      if (!header) std::cout << (full ? "\nFencing History:\n" : "\nFailed Fencing Actions:\n");
      header = true;
      std::time_t t = f.value("when", int64_t{0});
      char at[64];
      std::strftime(at, sizeof at, "%a %b %e %H:%M:%S %Y", std::localtime(&t));
      std::cout << "  * reboot of " << core::printable(f.value("target", "")) << (f.value("ok", false) ? " successful" : " failed")
                << " (delegate=" << ctl->value("dc", "") << ")" << (f.value("reason", "").empty() ? "" : ": " + core::printable(f.value("reason", "")))
                << " at " << at << "\n";
    }
    if (full)
      std::cout << "\nTransition: " << ctl->value("transition", 0) << (ctl->value("settled", false) ? " (settled)" : " (in progress)")
                << (ctl->value("last_abort", "").empty() ? "" : ", last abort: " + ctl->value("last_abort", "")) << "\n";
  }
  if (full) std::cout << "\nCIB version: " << st.value("cib_version", "") << "\n";
  std::cout << "\nDaemon Status:\n  hactl: active (pid " << st.value("pid", 0) << ")\n";
}

}  // namespace hactl::cmd
