// crm_attribute and the scripts Pacemaker builds on it (crm_standby,
// crm_master, crm_failcount): one attribute request, run against CIB_file or
// the running cluster.
#pragma once

#include <optional>
#include <string>

namespace hactl::cmd {

struct AttributeRequest {
  enum class Action { query, update, remove } action = Action::query;
  std::string tool = "crm_attribute", request;
  std::string type = "crm_config";  // crm_config, nodes, status, rsc_defaults, op_defaults (forever/reboot accepted)
  std::string name, value, node;    // node: empty = this node (for nodes/status)
  std::optional<std::string> default_value;
  bool quiet = false, utilization = false;
  std::string output = "text";
};

int run_attribute_request(AttributeRequest r);
int run_crm_attribute(int argc, char** argv);
int run_crm_standby(int argc, char** argv);
int run_crm_master(int argc, char** argv);
int run_crm_failcount(int argc, char** argv);
int run_attrd_updater(int argc, char** argv);

}  // namespace hactl::cmd
