// Blocking drivers for the Executor on the real clock, for the CLI (debug-start
// and friends) and tests. The daemon does not use these: it drives the
// Executor from its asio loop (see executor.h).
#pragma once

#include <functional>

#include "agents/executor.h"

namespace hactl::agents {

// Polls `executor` (whose runner is `runner`) until `done()` or `deadline_ms`
// (monotonic_ms clock) passes. Returns done().
bool run_executor_until(Executor& executor, PosixProcessRunner& runner, const std::function<bool()>& done,
                        int64_t deadline_ms);

// Runs one action now and waits for its result.
ActionResult run_action_sync(const AgentCatalog& catalog, ActionRequest request, ExecutorEnv env = {});

}  // namespace hactl::agents
