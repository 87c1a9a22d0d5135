// The node agent's run directory (<root>/run/hactl: the IPC socket and the pid
// file). Whoever may use the socket must be able to reach it: with a haclient
// group in <root>/etc/group the directory is root:haclient 0750 (the socket is
// root:haclient 0660), otherwise 0750 with the creator's group.
#pragma once

#include <string>

#include "cmd/sys/node_paths.h"
#include "core/status.h"

namespace hactl::cmd {

// The gid of `group` in <root>/etc/group (no NSS in a static binary), or -1.
int group_id(const std::string& root, const std::string& group);
// The login name of `uid` in <root>/etc/passwd; "root" for 0, else the number.
std::string user_name(const std::string& root, unsigned uid);

// Creates the run directory (missing parents 0755, as /run is) and gives it
// the haclient group when that group exists; an existing directory is
// corrected too. Fails only when the directory cannot be made; a group or
// mode that cannot be set goes to `warning` (root can still use the socket).
core::Status prepare_run_dir(const NodePaths& paths, std::string* warning);

}  // namespace hactl::cmd
