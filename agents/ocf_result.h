// The agents' view of the result codes: one type, defined in core (the
// controller and the scheduler read the same codes the executor produces).
#pragma once

#include "core/ocf_result.h"

namespace hactl::agents {
using core::describe;
using core::ExecStatus;
using core::ocf_rc_from_exit;
using core::ocf_rc_from_lsb;
using core::OcfRc;
}  // namespace hactl::agents
