// FakeExecutor: one node's executor with agents run as state machines, for
// the whole-cluster simulator. It keeps the ground truth of which resources
// really run on its machine, and answers like the real executor
// (agents/executor.h): one action per resource at a time, FIFO; a recurring
// monitor first runs at once, then `interval` after each completion, and
// reports only its first result and changes; a stop cancels the resource's
// recurring monitors (silently, as the daemon's driver drops "cancelled");
// an action that outlives its timeout is reported as timed out.
//
// Faults are per resource: the next start fails, a running resource dies
// (its next monitor finds it stopped), the next start or stop hangs (the
// agent never answers: the executor's timeout ends it, nothing changed), or
// every action is slow.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/control/control_types.h"
#include "net/rng.h"

namespace hactl::test::sim {

struct ExecResult {
  core::control::ExecuteRequest request;  // what was asked, route included
  core::OcfRc rc = core::OcfRc::unknown;
  core::ExecStatus status = core::ExecStatus::done;
};

struct AgentFaults {
  bool fail_next_start = false;
  bool hang_next_start = false;
  bool hang_next_stop = false;
  int64_t slow_ms = 0;  // added to every action
};

class FakeExecutor {
 public:
  explicit FakeExecutor(uint64_t seed) : rng_(seed) {}

  void execute(const core::control::ExecuteRequest& r, int64_t now_ms);
  // Results due by now (completions, timeouts, recurring-monitor changes).
  std::vector<ExecResult> poll(int64_t now_ms);
  int64_t next_wakeup() const;

  // The agent process died but the resources it started keep running (a
  // restart of the node agent): queued actions and monitors are gone. An
  // action in the middle of running may or may not have taken effect.
  void restart_process();
  // The machine died: nothing runs on it any more.
  void crash_machine();

  AgentFaults& faults(const std::string& rsc) { return faults_[rsc]; }
  // The resource dies now (if running): its monitor will report it.
  void kill_resource(const std::string& rsc) { running_.erase(rsc); }

  const std::set<std::string>& running() const { return running_; }  // ground truth
  size_t busy() const;
  uint64_t executed() const { return executed_; }  // actions asked of it

 private:
  struct Op {
    core::control::ExecuteRequest request;
    int64_t done_at = -1;  // -1: queued, not started
    bool hang = false;
    bool recurring_run = false;
  };
  struct Recurring {
    core::control::ExecuteRequest request;
    int64_t next_at = 0;
    bool reported = false;
    core::OcfRc last_rc = core::OcfRc::unknown;
    core::ExecStatus last_status = core::ExecStatus::done;
    bool queued = false;
  };
  static std::string key_of(const core::control::ExecuteRequest& r);
  void start_ready(int64_t now_ms);
  ExecResult finish(Op& op);
  int64_t duration(const core::control::ExecuteRequest& r);

  net::Rng rng_;
  std::map<std::string, std::deque<Op>> queues_;  // per resource
  std::map<std::string, Recurring> recurring_;    // rsc_monitor_INTERVAL
  std::map<std::string, AgentFaults> faults_;
  std::set<std::string> running_;
  uint64_t executed_ = 0;
};

}  // namespace hactl::test::sim
