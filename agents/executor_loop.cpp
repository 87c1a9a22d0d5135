#include "agents/executor_loop.h"

#include <algorithm>

namespace hactl::agents {

bool run_executor_until(Executor& executor, PosixProcessRunner& runner, const std::function<bool()>& done,
                        int64_t deadline_ms) {
  for (;;) {
    int64_t now = monotonic_ms();
    executor.poll(now);
    if (done()) return true;
    if (now >= deadline_ms) return false;
    int64_t wake = std::min(executor.next_wakeup(now).value_or(deadline_ms), deadline_ms);
    runner.wait(wake);
  }
}

ActionResult run_action_sync(const AgentCatalog& catalog, ActionRequest request, ExecutorEnv env) {
  PosixProcessRunner runner;
  std::optional<ActionResult> result;
  Executor ex(catalog, runner, [&](const ActionResult& r) { result = r; }, Executor::Options{std::move(env), 0, 0});
  request.interval_ms = 0;  // one-shot even for monitor
  ex.execute(std::move(request), monotonic_ms());
  // The runner enforces the action's timeout; this loop ends when it reports.
  run_executor_until(ex, runner, [&] { return result.has_value(); }, INT64_MAX);
  return *result;
}

}  // namespace hactl::agents
