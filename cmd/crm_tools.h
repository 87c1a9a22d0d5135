// The crm_* personalities (chosen by argv[0]): crm_verify, crm_resource,
// crm_node, crm_attribute, crm_mon, crm_simulate, cibadmin, attrd_updater,
// stonith_admin, corosync-cfgtool/-quorumtool, with their own options.
#pragma once

#include <string>
#include <vector>

namespace hactl::cmd {
// Every name the packages and the build tree link to hactl.
const std::vector<std::string>& personality_names();
bool is_personality(const std::string& argv0_base);
int run_crm_tool(const std::string& name, int argc, char** argv);
}
