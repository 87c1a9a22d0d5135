// Coordinator: the decisions of the cluster's coordinator (DC), as a pure
// machine: on(event, inputs) -> effects, no sockets, no timers, no clock
// (the time comes in Inputs::now; next_wakeup() says when it wants a Tick).
// The daemon's driver (cmd/daemon/controller.*) feeds it membership views,
// CIB changes, action results, hellos, requests and timer ticks, and carries
// out what it asks: status edits, actions to execute on a node, fencing,
// messages to leaving nodes, log lines, replies.
//
// What it decides, on the node that is DC:
// - a term starts once the start-up grace is over (a booting node must not
//   start what another node already runs), with every member's history wiped
//   so the first transition probes and adopts what runs;
// - on a view change, CIB change or result (debounced), node states are
//   written into the status section, core::schedule() runs and its graph is
//   executed in order (TransitionRun), each action sent to its node, each
//   result recorded; a failure, a resource found active, a membership or
//   configuration change aborts the graph and a new one is computed;
// - a node seen lost and back, one whose executor restarted, one that
//   followed another DC meanwhile, and every member after the CIB was replaced
//   by a member's copy, is probed again before its state is trusted;
// - leaving nodes get their resources moved away, then leave_done.
// Single-threaded; owned by the driver.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/cib_model.h"
#include "core/control/control_types.h"
#include "core/control/transition_run.h"

namespace hactl::core::control {

struct FenceRecord {
  std::string target;
  bool ok = false;
  int64_t when = 0;  // epoch seconds
  std::string reason;
};

// What `ctl_state` answers.
struct CoordinatorState {
  bool acting = false;   // in a DC term
  bool settled = false;  // nothing to do, nothing running, nothing pending
  int64_t transition = 0;
  size_t in_flight = 0;
  std::string last_abort;
  std::vector<std::string> blocked;  // summary lines that cannot run
  std::string cib_version;           // of the last schedule
  uint64_t schedules = 0;            // scheduler runs in this process
  std::vector<FenceRecord> fencing;  // the last 20
};

class Coordinator {
 public:
  struct Options {
    int64_t started_ms = 0;  // monotonic ms when this node's agent started
    int64_t grace_ms = 0;    // no term before started_ms + grace_ms
  };
  explicit Coordinator(Options options) : options_(options) {}

  Effects on(const Event& event, const Inputs& in);
  // The monotonic time of the next Tick it needs.
  int64_t next_wakeup() const;
  // The driver's bound for a fence it started for action `aid` (delays and
  // every device's timeout): the action's deadline.
  void fence_bound(int aid, int64_t bound_ms, int64_t now_ms);
  CoordinatorState state() const;
  bool in_term() const { return term_; }

 private:
  struct Ctx {
    const Inputs& in;
    Effects& out;
    void log(LogLevel l, std::string where, std::string text) {
      out.log.push_back({l, std::move(where), std::move(text)});
    }
    void info(std::string text) { log(LogLevel::info, "controller", std::move(text)); }
    void edit(StatusEdit e) { out.edits.push_back(std::move(e)); }
    // The CIB as decisions must read it: with the edits this event already
    // made (the driver applies them only after on() returns).
    const CibDocument& cib();
    std::string name_of(uint32_t id) const;
    std::optional<CibDocument> edited;  // in.cib() plus out.edits[0, applied)
    size_t applied = 0;
  };
  bool acting(const Ctx& c) const { return term_ && c.in.view.is_dc() && !c.in.stopping; }
  // Events (coordinator.cpp).
  void on_view(Ctx& c);
  void begin_term(Ctx& c);
  void on_cib(Ctx& c, bool adopted);
  void on_hello(Ctx& c, const HelloReceived& h);
  void on_leave(Ctx& c, uint32_t from);
  void on_stop_all(Ctx& c);
  void on_tick(Ctx& c);
  void kick(Ctx& c, int64_t delay_ms);
  void forget_node(Ctx& c, uint32_t id, const std::string& why);
  // Scheduling and execution (coordinator_schedule.cpp).
  void run_schedule(Ctx& c);
  void dispatch_ready(Ctx& c);
  void dispatch(Ctx& c, const Action& a);
  void on_result(Ctx& c, const ActionReport& r);
  void check_deadlines(Ctx& c);
  // Requests, fencing, leaving nodes (coordinator_requests.cpp).
  void on_cleanup(Ctx& c, const CleanupRequested& r);
  void on_fence_finished(Ctx& c, const FenceFinished& f);
  void release_leavers(Ctx& c);

  Options options_;
  bool term_ = false;             // acting as DC (past the grace, elected)
  int64_t term_id_ = 0;           // distinguishes transitions of different DC terms
  int64_t tid_ = 0;               // current transition number
  std::optional<int64_t> grace_until_;
  std::optional<int64_t> due_;    // a schedule is due at this time (debounce)
  int64_t next_recheck_ = 0;      // deadlines and time-based changes (failure-timeout)
  bool time_matters_ = true;      // the last scheduled CIB depends on time (time_dependence.h)
  int64_t last_schedule_ms_ = 0;
  uint64_t schedules_ = 0;
  std::optional<TransitionRun> run_;
  std::optional<Cib> run_cib_;    // the CIB the running transition came from
  bool reschedule_ = false;       // something changed while the run was busy
  struct InFlight {
    uint32_t node = 0;
    int64_t deadline_ms = 0;
  };
  std::map<int, InFlight> inflight_;                      // action id -> where, until when
  std::map<uint32_t, std::string> sessions_;              // node -> executor session
  std::set<uint32_t> commanded_;                          // nodes sent actions since their history was last wiped
  std::map<std::string, int> next_call_;                  // node -> call id of its next recorded result
  std::vector<uint32_t> prev_up_;
  // Nodes seen lost during this term: when they are back, whatever their
  // executor reported before is stale (it may have followed another DC that
  // started resources there), so they are probed again, however short the loss.
  std::set<uint32_t> lost_in_term_;
  // node -> how many DCs it had followed at its last hello; a change means it
  // spent time in another partition, under another DC, even if this DC never
  // saw it leave (a one-way loss, or its own stalled loop): probe it again.
  std::map<uint32_t, uint64_t> dcs_followed_by_;
  std::set<uint32_t> leaving_;
  std::pair<long, long> config_epoch_{-1, -1};
  bool settled_ = false;
  std::string last_abort_;
  std::vector<std::string> blocked_;
  std::string scheduled_version_;
  std::vector<FenceRecord> fence_history_;
};

}  // namespace hactl::core::control
