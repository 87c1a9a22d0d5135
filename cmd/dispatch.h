// Entry point of the CLI: personality by argv[0] (hactl, crm_resource, crm_node,
// crm_verify, crm_mon, crm_simulate, crm_attribute), then the command table.
#pragma once

namespace hactl::cmd {
int run_main(int argc, char** argv);
}
