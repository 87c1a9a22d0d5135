// FakeProcessRunner: a ProcessRunner that starts nothing. It records every
// request; the test decides when and how each "process" ends (complete(), or
// a responder that answers at once), and it enforces timeouts on the test's
// clock. Used to test the Executor's scheduling without real time.
#pragma once

#include <functional>
#include <optional>

#include "agents/process_runner.h"

namespace hactl::agents {

class FakeProcessRunner final : public ProcessRunner {
 public:
  struct Started {
    ProcessId id = 0;
    SpawnRequest request;
    int64_t started_ms = 0;
    bool ended = false;
    // argv[1] (the OCF action) or, for built-ins, "<builtin>".
    std::string action() const { return request.argv.size() > 1 ? request.argv[1] : "<builtin>"; }
  };

  ProcessId start(SpawnRequest request, int64_t now_ms) override;
  std::vector<ProcessOutcome> poll(int64_t now_ms) override;
  void cancel(ProcessId id, int64_t now_ms) override;
  std::optional<int64_t> next_wakeup(int64_t now_ms) const override;
  size_t running() const override;

  // Ends process `id` with this exit code at the next poll().
  void complete(ProcessId id, int exit_code, std::string out = "", std::string err = "");
  // When set, every started process is completed at once with the returned code (nullopt: left running).
  std::function<std::optional<int>(const SpawnRequest&)> responder;

  const std::vector<Started>& started() const { return started_; }
  std::vector<ProcessId> running_ids() const;

 private:
  std::vector<Started> started_;
  std::vector<ProcessOutcome> finished_;
  ProcessId next_id_ = 1;
  Started* find(ProcessId id);
};

}  // namespace hactl::agents
