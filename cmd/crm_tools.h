// The crm_* personalities (chosen by argv[0]): crm_verify, crm_resource,
// crm_node, crm_attribute, crm_mon, crm_simulate, with Pacemaker's options.
#pragma once

#include <string>

namespace hactl::cmd {
int run_crm_tool(const std::string& name, int argc, char** argv);
}
