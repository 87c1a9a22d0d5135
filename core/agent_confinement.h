// Which agent names may run, whatever a CIB says. Every class runs only from
// its own agent directory: OCF agents are <OCF root>/resource.d/PROVIDER/TYPE,
// lsb scripts /etc/init.d/TYPE, systemd and service agents are unit names
// handed to systemctl, and stonith agents are fence agents, named fence_*, in
// the node's sbin. So provider and type are single file names (no '/', no
// leading '.', no "..", no control characters), a unit name cannot be read as
// a systemctl option, and a stonith type cannot name /usr/sbin/reboot.
//
// The one check shared by the agent catalog (resolution for `resource create`
// and `stonith create`), the executor (through the catalog: a refused name is
// a recorded "not installed" failure, nothing runs) and verify (cib-push and
// `cluster verify` report it as an error). Pure: names only, no file system.
#pragma once

#include <string_view>

#include "core/status.h"

namespace hactl::core {

// The classes hactl can run; other Pacemaker classes (heartbeat, upstart,
// nagios) are valid configuration that no hactl node runs.
bool is_runnable_standard(std::string_view standard);

// Ok, or ExitCode::not_installed with the reason the name is refused.
Status check_agent_name(std::string_view standard, std::string_view provider, std::string_view type);

}  // namespace hactl::core
