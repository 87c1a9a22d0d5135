// "Error: ..." on stderr and the exit code of a failed Status: the one way
// the CLI and the node agent report a failure to the person who ran them.
#pragma once

#include "core/status.h"

namespace hactl::cmd {

// The message printed escaped; returns the Pacemaker exit code (an ok code becomes 1).
int print_error(const core::Status& s);

}  // namespace hactl::cmd
