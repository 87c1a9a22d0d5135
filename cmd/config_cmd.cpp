// `hactl config` (pcs config layout), `hactl status` on a CIB file, and
// `hactl stonith ...` (fence devices are resources of class stonith).
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/live_controller.h"
#include "cmd/sys/json_text.h"
#include "cmd/cli.h"
#include "cmd/status_summary.h"
#include "cmd/sys/file_io.h"
#include "cmd/resource_show.h"
#include "core/cib_model.h"
#include "core/cluster_conf.h"
#include "core/printable_text.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

using json = nlohmann::json;

// resource_state_cmds.cpp
void print_resource_lines(const core::Cib& cib, const core::ClusterStatus& cs, std::ostream& os, int indent);
void print_failed_actions(const core::ClusterStatus& cs, std::ostream& os);
void print_node_group(std::ostream& os, const char* label, const std::vector<std::string>& names);  // status_live.cpp
json resource_config_json(const core::CibDocument& doc, const std::vector<std::string>& ids);

namespace {

std::string cluster_name(const Invocation& inv, const core::Cib& cib) {
  if (auto text = read_file(paths_of(inv).cluster_conf()))
    if (auto conf = core::parse_cluster_conf(*text)) return conf->cluster_name;
  return cib.property("cluster-name");
}

}  // namespace

int run_config(Invocation& inv, Args args) {
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  if (inv.json()) {
    json props = json::object();
    for (auto& [k, v] : cib.properties) props[k] = v;
    json nodes = json::array();
    for (auto& n : cib.nodes) nodes.push_back({{"id", n.id}, {"name", n.uname}, {"attributes", n.attrs}});
    std::cout << json_text(json{{"cluster_name", cluster_name(inv, cib)}, {"nodes", nodes},
                      {"resources", resource_config_json(*doc, {})}, {"properties", props},
                      {"rsc_defaults", cib.rsc_defaults}, {"op_defaults", cib.op_defaults}}, 2)
              << "\n";
    return 0;
  }
  std::cout << "Cluster Name: " << cluster_name(inv, cib) << "\nNodes:\n";
  std::string names;
  for (auto& n : cib.nodes) names += " " + n.uname;
  std::cout << names << "\n\nResources:\n";
  print_resource_config(*doc, {}, std::cout, 2);
  std::cout << "\nStonith Devices:\nFencing Levels:\n\n";
  Invocation sub = inv;
  run_constraint(sub, {"config"});
  std::cout << "\nResources Defaults:\n";
  print_defaults(*doc, "rsc_defaults", std::cout, 2);
  std::cout << "Operations Defaults:\n";
  print_defaults(*doc, "op_defaults", std::cout, 2);
  std::cout << "\n";
  run_property(sub, {"config"});
  return 0;
}

int run_status(Invocation& inv, Args args) {
  // pcs's `status [status|cluster|resources]`; anything else is refused, not ignored.
  if (!args.empty() && args[0] != "status" && args[0] != "cluster" && args[0] != "resources")
    return usage_error("unknown status command '" + args[0] + "', use 'status', 'status cluster' or 'status resources'");
  if (inv.cib_file.empty()) return run_cluster(inv, {"status"});
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  core::ClusterStatus cs = core::cluster_status(cib, std::time(nullptr));
  std::string only = args.empty() ? "" : args[0];
  if (only == "resources") {
    print_resource_lines(cib, cs, std::cout, 2);
    return 0;
  }
  std::vector<std::string> online, offline, standby;
  for (auto& n : cib.nodes) {
    const core::NodeStatus* ns = cs.find_node(n.uname);
    bool up = ns && ns->online;
    if (up && ns->standby) standby.push_back(n.uname);
    else (up ? online : offline).push_back(n.uname);
  }
  std::cout << "Cluster name: " << cluster_name(inv, cib) << "\n";
  SummaryFacts facts;
  facts.nodes = cib.nodes.size();
  facts.resources = cib.primitives.size();
  facts.full = inv.full;
  dc_from_cib(*doc, cib, &facts);
  print_cluster_summary(std::cout, facts, &*doc, &cib);
  std::cout << "\nNode List:\n";
  if (inv.full) {
    // crm_mon --show-detail: one line per node, with its id.
    for (auto& n : cib.nodes) {
      const core::NodeStatus* ns = cs.find_node(n.uname);
      bool up = ns && ns->online;
      std::cout << "  * Node " << core::printable(n.uname) << " (" << core::printable(n.id)
                << "): " << (!up ? "OFFLINE" : ns->standby ? "standby" : "online") << "\n";
    }
  } else {
    for (auto& n : standby) std::cout << "  * Node " << n << ": standby\n";
    print_node_group(std::cout, "Online", online);
    print_node_group(std::cout, "OFFLINE", offline);
  }
  std::cout << "\nFull List of Resources:\n";
  print_resource_lines(cib, cs, std::cout, 2);
  if (inv.full) print_migration_summary(std::cout, cib);
  print_failed_actions(cs, std::cout);
  return 0;
}

int run_stonith(Invocation& inv, Args args) {
  std::string sub = args.empty() ? "status" : args[0];
  Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (sub == "create") {
    if (rest.size() < 2) return usage_error("stonith create STONITH_ID STONITH_DEVICE_TYPE [options]");
    if (rest[1].rfind("stonith:", 0) != 0) rest[1] = "stonith:" + rest[1];
    Args r = {"create"};
    r.insert(r.end(), rest.begin(), rest.end());
    return run_resource(inv, r);
  }
  if (sub == "list") return run_resource(inv, {"agents", "stonith"});
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  std::vector<std::string> ids;
  for (auto& p : cib.primitives)
    if (p.cls == "stonith") ids.push_back(p.id);
  if (sub == "config") {
    if (ids.empty()) return 0;
    return run_resource(inv, [&] { Args c = {"config"}; c.insert(c.end(), ids.begin(), ids.end()); return c; }());
  }
  if (sub == "status") {
    if (ids.empty()) std::cout << "NO stonith devices configured\n";
    for (auto& id : ids) std::cout << "  * " << id << "\t(" << cib.find_primitive(id)->agent() << ")\n";
    return 0;
  }
  if (sub == "fence") return live_fence(inv, args.size() > 1 ? args[1] : "");
  return usage_error("unknown stonith command '" + sub + "'");
}

}  // namespace hactl::cmd
