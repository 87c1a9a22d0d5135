// Whether the scheduler's answer for this CIB can change with time alone: a
// date expression in any rule, or a failure that a failure-timeout will
// expire. When it cannot, the coordinator does not re-run the scheduler every
// second on an unchanged CIB (at a thousand resources that run costs the
// agent's loop tens of milliseconds each time).
#pragma once

#include "core/cib_model.h"

namespace hactl::core::control {

bool depends_on_time(const Cib& cib);

}  // namespace hactl::core::control
