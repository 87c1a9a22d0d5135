// The field types of every JSON message the node agent accepts: local IPC
// requests and the controller's node-to-node messages. Handlers read fields
// with nlohmann's value(), which throws when a present field has another type
// (`{"op":5}`); every message is checked against its schema where it enters,
// so a malformed one is answered or dropped there and no handler sees it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cmd/daemon/controller_messages.h"

namespace hactl::cmd::daemon {

// Empty when `req` is an IPC request whose "op" is a string and whose known
// fields have their types; otherwise what is wrong, for the error answer.
// Unknown ops pass (their handler answers "unknown request").
std::string ipc_request_error(const nlohmann::json& req);

// Likewise for a controller message's body.
std::string ctl_message_error(CtlMsg type, const nlohmann::json& body);

}  // namespace hactl::cmd::daemon
