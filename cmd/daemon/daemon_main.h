// `hactl daemon [--foreground] [--node NAME]`: runs the node agent in this process.
#pragma once

#include "cmd/invocation.h"

namespace hactl::cmd::daemon {
int run_daemon(Invocation& inv);
}
