// What one agent action is, and how it becomes a process: the request the
// executor accepts, the result it reports, and plan_action(), which turns a
// request into a SpawnRequest (argv/fork, OCF environment, stdin) plus the rule
// that maps the process's exit back to an OCF result. plan_action() only reads
// the catalog; it starts nothing, so the environment is unit-testable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "agents/agent_catalog.h"
#include "agents/ocf_result.h"
#include "agents/process_runner.h"

namespace hactl::agents {

// Resource meta attribute choosing between a built-in and an on-disk OCF agent
// of the same name: "true" forces the built-in, "false" the on-disk script;
// unset means on-disk when installed, else built-in.
inline constexpr const char* kBuiltinMeta = "hactl-builtin";

struct ActionRequest {
  std::string rsc;  // resource id: OCF_RESOURCE_INSTANCE
  AgentName agent;
  std::string action;        // start stop monitor meta-data validate-all promote demote notify reload...
  int64_t interval_ms = 0;   // monitor: 0 = probe / one-shot, > 0 = recurring
  int64_t timeout_ms = 20000;
  std::map<std::string, std::string> params;  // instance attributes → OCF_RESKEY_<name>
  std::map<std::string, std::string> meta;    // meta attributes → OCF_RESKEY_CRM_meta_<name>
  // The resource is no longer configured (an orphan being stopped): run it
  // with the parameters and meta attributes it last ran with on this node.
  bool reuse_last_params = false;
};

struct ActionResult {
  uint64_t call_id = 0;
  std::string rsc, action;
  int64_t interval_ms = 0;
  OcfRc rc = OcfRc::unknown;
  ExecStatus status = ExecStatus::pending;
  std::string exit_reason;  // "ocf-exit-reason:" lines of the agent, or ours (timeout, not installed)
  std::string output, errors;  // captured stdout / stderr (capped)
  bool builtin = false;
  int pid = 0;
  int64_t queued_ms = 0, started_ms = 0, ended_ms = 0;
  // True for a success as Pacemaker counts it (rc ok, or not running for a probe/stop-like expectation
  // is left to the caller: this is only "done with rc ok").
  bool ok() const { return status == ExecStatus::done && rc == OcfRc::ok; }
  std::string key() const;  // Pacemaker's operation key: rsc_action_interval ("web_monitor_10000")
};

// How an exit status becomes an OCF rc.
enum class RcMapping { ocf, lsb, lsb_status, systemd_action, systemd_status, fence };

struct ActionPlan {
  SpawnRequest spawn;
  RcMapping mapping = RcMapping::ocf;
  bool builtin = false;
  // Set when the action needs no process (stonith stop) or cannot run at all;
  // then `spawn` is unused and this is the result.
  std::optional<std::pair<OcfRc, ExecStatus>> immediate;
  std::string immediate_reason;
};

struct ExecutorEnv {
  std::string node_name;           // OCF_RESKEY_CRM_meta_on_node
  int64_t kill_grace_ms = 2000;    // SIGTERM → SIGKILL after a timeout
  size_t output_cap = 64 * 1024;   // per stream
  // The hactl executable (builtin_exec.h): built-ins then run as a spawned
  // program, which does not copy this process the way fork() does. Empty: they
  // run in a forked child (the CLI, and tests without the hactl binary).
  std::string builtin_exec;
};

ActionPlan plan_action(const AgentCatalog& catalog, const ActionRequest& request, const ExecutorEnv& env);

// Fills rc/status/exit_reason/output of `result` from a finished process.
void interpret_outcome(const ProcessOutcome& outcome, RcMapping mapping, const ActionRequest& request,
                       ActionResult& result);

}  // namespace hactl::agents
