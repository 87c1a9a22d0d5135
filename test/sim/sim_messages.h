// The messages nodes send each other on the simulated bulk channel: CIB
// replication frames (encoded as on the wire, so the codec is exercised) and
// the controller's messages (cmd/daemon/controller_messages.h), kept typed:
// the daemon's JSON round trip of these is tested with the daemon.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/control/control_types.h"
#include "net/net_types.h"

namespace hactl::test::sim {

struct CibFrame { net::Bytes payload; };  // net::encode_cib_message
struct CtlExecute { core::control::ExecuteRequest request; };
struct CtlResult { core::control::ActionReport report; };
struct CtlHello { std::string session; uint64_t dcs_followed = 0; };
struct CtlLeave {};
struct CtlLeaveDone {};
struct CtlPleaseLeave {};

using SimMessage = std::variant<CibFrame, CtlExecute, CtlResult, CtlHello, CtlLeave, CtlLeaveDone, CtlPleaseLeave>;

}  // namespace hactl::test::sim
