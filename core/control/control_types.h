// What goes into and comes out of the coordinator (core/control/coordinator.h):
// the typed events a node agent feeds it and the effects it asks for. No I/O
// and no clock here; the daemon's driver turns sockets, timers and executor
// results into events and carries out the effects.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/cib_document.h"
#include "core/cluster_conf.h"
#include "core/exit_code.h"
#include "core/ocf_result.h"

namespace hactl::core::control {

// The moment of an event: a monotonic clock for timers and deadlines, the
// wall clock (epoch seconds) for what is recorded in the CIB.
struct Now {
  int64_t mono_ms = 0;
  int64_t wall_s = 0;
};

// This node's view of the cluster, from membership and election.
struct View {
  std::vector<uint32_t> up;  // members, ascending ids
  std::optional<uint32_t> dc;
  bool quorate = false;
  uint32_t self = 0;
  bool is_dc() const { return dc && *dc == self; }
  bool has(uint32_t id) const;
};

// Which transition (of which DC term) an action belongs to: results carry it
// back, so a result of another term or an older transition is not taken for
// one of the running graph.
struct ActionRoute {
  uint32_t dc = 0;
  int64_t term = 0;
  int64_t tid = 0;
  int aid = -1;
};

// DC -> node: run one agent action.
struct ExecuteRequest {
  std::string rsc, standard, provider, type;
  std::string action;  // start, stop, monitor (a probe is monitor with interval 0)
  int64_t interval_ms = 0;
  int64_t timeout_ms = 0;
  std::map<std::string, std::string> params, meta;
  bool reuse_last_params = false;  // an orphan: its parameters are gone from the CIB
  ActionRoute route;
};

// Node -> DC: what an action (or a recurring monitor) returned.
struct ActionReport {
  uint32_t from = 0;
  std::string rsc, action, standard, provider, type, reason;
  int64_t interval_ms = 0;
  OcfRc rc = OcfRc::unknown;
  ExecStatus status = ExecStatus::error;
  ActionRoute route;
  std::string key() const { return rsc + "_" + action + "_" + std::to_string(interval_ms); }
  bool is_probe() const { return action == "monitor" && interval_ms == 0; }
  // Succeeded as asked: done and ok, or a probe that found the resource stopped.
  bool ok() const;
};

// ---- events ----
struct ViewChanged {};                      // membership, DC or quorum changed (the new view is in Inputs)
struct CibChanged { bool adopted = false; };  // the local CIB was replaced; adopted: by a member's copy
struct ResultReceived { ActionReport report; };
struct HelloReceived { uint32_t from = 0; std::string session; uint64_t dcs_followed = 0; };
struct LeaveReceived { uint32_t from = 0; };  // that node is shutting down
struct StopAllRequested {};                 // `cluster stop --all`
struct Tick {};                             // a timer the coordinator asked for (next_wakeup) fired
// A fencing the coordinator asked for (FenceNode) or the operator did has ended.
struct FenceFinished {
  std::string target;
  bool ok = false;
  bool cancelled = false;  // dropped (target back, DC term over): not a failure
  std::string reason;
  int aid = -1;            // the transition action it completes, or -1
  int64_t tid = 0;
};
struct CleanupRequested { std::string rsc, node; bool refresh = false; };
using Event = std::variant<ViewChanged, CibChanged, ResultReceived, HelloReceived, LeaveReceived, StopAllRequested,
                           Tick, FenceFinished, CleanupRequested>;

// ---- effects ----
enum class LogLevel { info, warn, error };
struct LogLine {
  LogLevel level = LogLevel::info;
  std::string where;  // "controller", "scheduler", "fencing"
  std::string text;
};
// An edit of the status section, applied in order after every earlier one
// (the driver batches them into few CIB versions and retries what it could
// not make durable).
struct StatusEdit {
  std::function<void(CibDocument&)> apply;
  std::string why;
};
struct Execute { uint32_t node = 0; ExecuteRequest request; };
struct FenceNode { std::string target; int aid = -1; int64_t tid = 0; };
struct Reply { ExitCode code = ExitCode::ok; std::string error; int cleared = 0; };

struct Effects {
  std::vector<LogLine> log;
  std::vector<StatusEdit> edits;       // first: later effects may rely on them
  bool drop_pending_edits = false;     // no longer the DC: unsaved edits are not ours to write
  std::vector<FenceNode> fences;
  std::vector<Execute> executes;
  std::vector<uint32_t> leave_done;    // "nothing of yours runs: exit"
  std::vector<uint32_t> please_leave;  // "shut down" (cluster stop --all)
  std::optional<Reply> reply;          // the answer to a request event
};

// What every event is decided on, besides the coordinator's own state.
struct Inputs {
  Now now;
  View view;
  const ClusterConf* conf = nullptr;
  // The current CIB with every edit emitted so far applied (the driver
  // flushes its batch on the call): read lazily, decisions only need it sometimes.
  std::function<const CibDocument&()> cib;
  // An earlier edit could not be made durable yet (asked after cib(), which tries again).
  std::function<bool()> status_failing;
  bool stopping = false;        // the agent is stopping
};

// Why a transition stopped before its end: decides how soon the next one runs.
enum class AbortReason {
  none,
  action_failed,         // an action of the graph failed or timed out
  monitor_failed,        // a recurring monitor reported a failure
  found_active,          // a probe found a resource running
  membership_changed,
  configuration_changed,
  cib_replaced,          // the CIB was replaced by a member's copy
  history_stale,         // a node restarted its executor or followed another DC
  node_leaving,
};

}  // namespace hactl::core::control
