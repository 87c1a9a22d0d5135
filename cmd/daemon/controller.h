// Controller: places, starts, monitors and recovers resources.
//
// Every node runs the node side: an ExecutorDriver that runs what the DC sends
// and reports results (and recurring-monitor failures) to the DC at once, a
// hello with its executor session on every view change, and the graceful
// shutdown (ask the DC to move this node's resources away, then exit).
//
// The DC additionally runs the placement loop: on a view change, CIB change or
// result (debounced), it writes node states into the status section, runs
// core::schedule() and executes the transition (TransitionRun) by sending each
// action to its node, recording every result with commit_local() so status
// survives a DC change. A new DC, and a node whose executor session changed,
// get their history wiped: the next transition probes, adopting what runs.
// It does not act during a start-up grace (2x the failure timeout), so a
// booting node does not start what another node already runs.
//
// Threading: the agent's io_context thread only. Owned by run_daemon().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "cmd/daemon/executor_driver.h"
#include "cmd/daemon/fence_runner.h"
#include "cmd/daemon/node_agent.h"
#include "cmd/daemon/status_batch.h"
#include "cmd/daemon/transition_run.h"

namespace hactl::cmd::daemon {

class Controller {
 public:
  Controller(asio::io_context& io, NodeAgent& agent, std::string root);
  ~Controller();
  void start();
  // Graceful stop: this node's resources are stopped (moved) via the DC, then
  // `done` runs; bounded by the resources' stop timeouts.
  void shutdown(std::function<void()> done);
  void on_stop_all();

 private:
  using json = nlohmann::json;
  // Node side (controller_node.cpp).
  bool on_bulk(uint32_t from, const std::vector<uint8_t>& payload);
  void on_local_result(const agents::ActionResult& r, const json& route);
  void send_hello();
  void send_to_dc(uint8_t type, const json& body);
  // DC side (controller.cpp).
  bool acting_dc() const;
  void on_view();
  void on_cib();
  void kick(int delay_ms, const std::string& why);
  void run_schedule();
  void begin_term();
  void dispatch_ready();
  void dispatch(const core::Action& a);
  void on_result(uint32_t from, const json& m);
  void on_hello(uint32_t from, const json& m);
  void on_leave(uint32_t from);
  void release_leavers();
  bool commit(core::CibDocument doc, const std::string& why);
  // The CIB with every pending status edit applied: read it for any decision.
  const core::CibDocument& cib();
  void check_deadlines();
  json execute_message(const core::Cib& cib, const core::Action& a, std::string* error) const;
  // Fencing (controller_fencing.cpp): returns how long the fence may take at most (ms).
  int64_t start_fence(const std::string& node, std::function<void(bool ok, std::string reason)> done);
  FenceRunner& fencer();
  // IPC (controller_ipc.cpp).
  bool on_ipc(const json& req, Respond respond);
  void handle_dc_request(const json& req, Respond respond);
  void stop_node(const std::string& node, Respond respond);
  void on_forward(uint32_t from, const json& m);
  void on_forward_reply(const json& m);
  json state_json() const;

  asio::io_context& io_;
  NodeAgent& agent_;
  std::string root_;
  std::unique_ptr<ExecutorDriver> driver_;
  std::string session_;
  int64_t started_ms_ = 0;
  asio::steady_timer debounce_, recheck_, grace_, shutdown_timer_;
  bool debounce_armed_ = false;
  StatusBatch status_batch_;  // action results, one CIB version per burst

  // DC state.
  bool term_ = false;                       // acting as DC (past the grace, elected)
  int64_t term_id_ = 0;                     // distinguishes transitions of different DC terms
  int64_t tid_ = 0;                         // current transition number
  std::optional<TransitionRun> run_;
  std::optional<core::Cib> run_cib_;       // the CIB the running transition came from
  bool reschedule_ = false;                 // something changed while the run was busy
  std::map<int, std::pair<uint32_t, int64_t>> inflight_;  // action id -> (node, deadline ms)
  std::map<uint32_t, std::set<std::string>> monitors_;    // node -> recurring op keys it runs
  std::map<uint32_t, std::string> sessions_;              // node -> executor session
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
  uint64_t adoptions_seen_ = 0;             // agent_.adoptions() when last handled
  bool settled_ = false;
  std::string last_abort_;
  std::vector<std::string> blocked_;        // summary lines that cannot run
  std::string scheduled_version_;
  std::map<int, std::function<void(const json& result)>> fence_waiters_;  // fence agent callbacks by fence_id
  std::unique_ptr<FenceRunner> fencer_;
  int next_fence_aid_ = 1000000;            // aids of fences outside a transition
  json fence_history_ = json::array();

  // Node side state.
  std::optional<uint32_t> followed_dc_;     // the DC this node follows
  uint64_t dcs_followed_ = 0;               // DC changes this node has seen (told in its hello)
  std::function<void()> shutdown_done_;
  bool shutting_down_ = false;
  uint64_t next_qid_ = 1;
  std::map<uint64_t, Respond> forwards_;
};

}  // namespace hactl::cmd::daemon
