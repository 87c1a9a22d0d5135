// The CLI side of the local IPC: one JSON request per connection to the node
// agent's unix socket, one JSON answer back (see docs/ipc.md).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace hactl::cmd {

// Sends `request` and waits up to timeout_ms for the answer. ExitCode::disconnect
// when no agent listens on the socket.
core::Result<std::string> ipc_call_raw(const std::string& socket_path, const std::string& request, int timeout_ms);
core::Result<nlohmann::json> ipc_call(const std::string& socket_path, const nlohmann::json& request, int timeout_ms = 30000);

}  // namespace hactl::cmd
