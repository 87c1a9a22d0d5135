// The crm_node personality (Pacemaker 2.1): this node's name and id, the
// members of its partition, quorum. Membership comes from the running agent;
// without it only the configured nodes are known.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/crm_tool_support.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "core/cluster_conf.h"

namespace hactl::cmd {

using core::ExitCode;
using core::Status;

int run_crm_node(int argc, char** argv) {
  CLI::App app{"Display information about cluster nodes", "crm_node"};
  bool name = false, list = false, quorum = false, partition = false, id = false;
  std::string name_for_id;
  app.add_flag("-n,--name", name, "Name of the local node");
  app.add_option("-N,--name-for-id", name_for_id, "Name of the node with this id");
  app.add_flag("-l,--list", list, "List the cluster's nodes (id name state)");
  app.add_flag("-q,--quorum", quorum, "Whether the local partition has quorum (1 or 0)");
  app.add_flag("-p,--partition", partition, "Names of the local partition's members");
  app.add_flag("-i,--cluster-id", id, "Local node id");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  Invocation inv = tool_invocation("text");
  auto text = read_file(paths_of(inv).cluster_conf());
  if (!text) return tool_error("crm_node", Status::error(ExitCode::not_configured, "this node is not part of a cluster (no " + paths_of(inv).cluster_conf() + ")"));
  auto conf = core::parse_cluster_conf(*text);
  if (!conf) return tool_error("crm_node", conf.status());
  auto live = ipc_call(paths_of(inv).socket(), nlohmann::json{{"op", "status"}}, 5000);
  const std::string me = live ? live->value("node", local_node_name(inv)) : local_node_name(inv);
  if (!name_for_id.empty()) {
    for (const auto& n : conf->nodes)
      if (std::to_string(n.id) == name_for_id) {
        std::cout << n.name << "\n";
        return 0;
      }
    return tool_error("crm_node", Status::not_found("Could not find node with ID " + name_for_id));
  }
  if (name) {
    std::cout << me << "\n";
    return 0;
  }
  if (id) {
    const core::ClusterNode* n = conf->find(me);
    if (!n) return tool_error("crm_node", Status::not_found("node '" + me + "' is not in the cluster configuration"));
    std::cout << n->id << "\n";
    return 0;
  }
  if (list && !live) {  // without the agent membership is unknown: the configured nodes only
    for (const auto& n : conf->nodes) std::cout << n.id << " " << n.name << " unknown\n";
    return 0;
  }
  if (!live) {
    std::cerr << "crm_node: Could not connect to the hactl node agent: " << live.status().message() << "\n";
    return core::to_int(ExitCode::disconnect);
  }
  if (list) {
    for (auto& n : (*live)["nodes"])
      std::cout << n.value("id", 0) << " " << n.value("name", "") << " " << n.value("state", "") << "\n";
    return 0;
  }
  if (quorum) {
    std::cout << (live->value("quorate", false) ? 1 : 0) << "\n";
    return 0;
  }
  std::string names;
  for (auto& n : (*live)["partition"]) names += (names.empty() ? "" : " ") + n.get<std::string>();
  std::cout << names << "\n";
  return 0;
}

}  // namespace hactl::cmd
