// The controller's node-to-node messages on the authenticated bulk channel:
// one type byte (32..63, see docs/controller-protocol.md) followed by a JSON
// object. JSON keeps the fields self-describing and lets a newer node add
// fields an older one ignores; these messages are small and infrequent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/control/control_types.h"

namespace hactl::cmd::daemon {

enum class CtlMsg : uint8_t {
  execute = 32,       // DC -> node: run one agent action
  result = 33,        // node -> DC: an action's result (also recurring monitor changes)
  hello = 34,         // node -> DC: "my executor session is S" (on every view change)
  leave = 35,         // node -> DC: "I am shutting down; move my resources away"
  leave_done = 36,    // DC -> node: "nothing of yours runs any more; exit"
  forward = 37,       // node -> DC: an IPC request of the controller, forwarded
  forward_reply = 38, // DC -> node: its answer
  stop_all = 39,      // node -> DC: `cluster stop --all`: stop every resource, then every agent
  please_leave = 40,  // DC -> node: shut down (as `cluster stop` on that node)
};

std::vector<uint8_t> encode_ctl(CtlMsg type, const nlohmann::json& body);
// nullopt when the type is not ours (`error` left empty) or the body does not
// parse or has a field of the wrong type (`error` says what).
std::optional<std::pair<CtlMsg, nlohmann::json>> decode_ctl(const std::vector<uint8_t>& payload,
                                                            std::string* error = nullptr);

// The typed bodies of `execute` (DC -> node) and `result` (node -> DC).
nlohmann::json execute_to_json(const core::control::ExecuteRequest& r);
// A `result` body already checked by decode_ctl (field types); missing fields take defaults.
core::control::ActionReport report_from_json(uint32_t from, const nlohmann::json& m);

}  // namespace hactl::cmd::daemon
