// Executor: runs the agent actions of one node.
//
// Driving it (time is injected; nothing here reads a clock or blocks):
//   - execute(request, now) queues an action and returns its call id;
//   - poll(now) starts queued actions, collects finished processes, runs due
//     recurring monitors, and delivers results to the listener;
//   - next_wakeup(now) says when poll() must run again at the latest; the
//     runner's watch_fds() (PosixProcessRunner) become readable when a child
//     writes or exits, which is also a reason to poll.
// With asio (the daemon): one io_context thread; after execute(), post a poll;
// keep a steady_timer armed at next_wakeup(); also poll when the runner's
// watch fd is readable (a child wrote or ended). executor_loop.h has a
// blocking loop for the CLI and tests. With a FakeProcessRunner and a counter
// as the clock, every scheduling rule is tested without sleeping.
//
// Rules (Pacemaker's executor semantics):
//   - at most one action per resource runs at a time, FIFO; different
//     resources run in parallel (Options::max_parallel caps the total);
//   - a monitor with interval > 0 is recurring: it first runs at once, then
//     `interval` after each completion; only its first result and changes of
//     (rc, status) are reported; re-registering the same key replaces it
//     (the old one is reported cancelled, or, if it has not reported yet,
//     answered with the first result of the new one under its own call id:
//     a request is never left without an answer);
//   - queuing a stop cancels the resource's recurring monitors (reported once
//     with ExecStatus::cancelled), as does cancel();
//   - the listener may call execute()/cancel() re-entrantly; those take effect
//     at the next poll();
//   - the parameters and meta attributes of each resource's last request are
//     kept until it stops successfully; a request with reuse_last_params
//     (a resource deleted from the configuration) runs with them, so that
//     stopping an orphan stops the instance that was started.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/agent_action.h"
#include "agents/agent_catalog.h"
#include "agents/process_runner.h"

namespace hactl::agents {

class Executor {
 public:
  using Listener = std::function<void(const ActionResult&)>;
  struct Options {
    ExecutorEnv env;
    size_t max_parallel = 0;  // 0: no limit (Pacemaker's node-action-limit)
    // Processes started by one poll(); the rest wait for the next (which
    // next_wakeup() makes due at once), so a burst of actions does not hold
    // the event loop for the whole burst. 0: no limit.
    size_t max_starts_per_poll = 0;
  };

  // `catalog` and `runner` must outlive the executor.
  Executor(const AgentCatalog& catalog, ProcessRunner& runner, Listener listener, Options options);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  uint64_t execute(ActionRequest request, int64_t now_ms);
  // Cancels a recurring operation; false if there is none with this key.
  bool cancel(std::string_view rsc, std::string_view action, int64_t interval_ms, int64_t now_ms);
  // Cancels every recurring operation of the resource; returns how many.
  size_t cancel_all(std::string_view rsc, int64_t now_ms);

  void poll(int64_t now_ms);
  std::optional<int64_t> next_wakeup(int64_t now_ms) const;

  // Introspection for the daemon's status and tests.
  size_t queued(std::string_view rsc) const;
  bool running(std::string_view rsc) const;
  size_t running_total() const { return running_count_; }
  size_t recurring_count() const { return recurring_.size(); }
  size_t remembered_params() const { return last_params_.size(); }

 private:
  struct Job {
    uint64_t call_id = 0;
    ActionRequest request;
    int64_t queued_ms = 0;
    bool recurring = false;  // a run of recurring_[key]
    std::string key;
  };
  struct Running {
    Job job;
    ProcessId pid = 0;
    RcMapping mapping = RcMapping::ocf;
    bool builtin = false;
    bool discard = false;  // its recurring op was cancelled meanwhile
  };
  struct Recurring {
    uint64_t call_id = 0;
    ActionRequest request;
    int64_t next_due = 0;
    bool in_flight = false;  // queued or running
    std::optional<std::pair<OcfRc, ExecStatus>> last;
    std::vector<uint64_t> superseded;  // earlier requests of this key still to answer
  };
  struct Resource {
    std::deque<Job> queue;
    std::optional<Running> running;
  };

  void launch(Resource& r, Job job, int64_t now_ms);
  void remember_or_reuse_params(ActionRequest& request);
  void finish(Resource& r, ActionResult result);
  void cancel_recurring(std::map<std::string, Recurring>::iterator it, int64_t now_ms, bool report = true);
  static std::vector<uint64_t> with_superseded(const Recurring& rec);
  static std::string recurring_key(std::string_view rsc, std::string_view action, int64_t interval_ms);

  const AgentCatalog& catalog_;
  ProcessRunner& runner_;
  Listener listener_;
  Options options_;
  uint64_t next_call_id_ = 1;
  size_t running_count_ = 0;
  std::map<std::string, Resource, std::less<>> resources_;
  std::map<std::string, Recurring> recurring_;
  std::map<ProcessId, std::string> by_process_;  // → resource id
  struct Params {
    std::map<std::string, std::string> params, meta;
  };
  // Per resource possibly active here: what it last ran with.
  std::map<std::string, Params, std::less<>> last_params_;
  std::vector<ActionResult> ready_;              // results waiting for delivery
};

}  // namespace hactl::agents
