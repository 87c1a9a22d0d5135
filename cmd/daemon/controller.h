// Controller: the driver of the coordinator on one node agent.
//
// The decisions are core::control::Coordinator's (pure: events in, effects
// out). This class turns the agent's callbacks, bulk messages, IPC requests,
// executor results and its one timer into events, and carries out the
// effects: status edits through the StatusBatch (one CIB version per burst,
// retried when the disk refuses), actions sent to nodes, fencing through
// FenceRunner, messages to leaving nodes, log lines.
//
// Every node also runs the node side here: an ExecutorDriver that runs what
// the DC sends and reports results (and recurring-monitor failures) to the DC
// at once, a hello with its executor session on every view change, and the
// graceful shutdown (ask the DC to move this node's resources away, then exit).
//
// Threading: the agent's io_context thread only. Owned by run_daemon().
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "cmd/daemon/executor_driver.h"
#include "cmd/daemon/fence_runner.h"
#include "cmd/daemon/node_agent.h"
#include "cmd/daemon/status_batch.h"
#include "core/control/coordinator.h"

namespace hactl::cmd::daemon {

class Controller {
 public:
  Controller(asio::io_context& io, NodeAgent& agent, std::string root);
  ~Controller();
  void start();
  // Graceful stop: this node's resources are stopped (moved) via the DC, then
  // `done` runs; bounded by the resources' stop timeouts.
  void shutdown(std::function<void()> done);

 private:
  using json = nlohmann::json;
  // Driving the coordinator (controller.cpp).
  core::control::Inputs inputs();
  std::optional<core::control::Reply> feed(const core::control::Event& event);
  void apply(core::control::Effects& fx);
  void arm_wakeup();
  bool commit(core::CibDocument doc, const std::string& why);
  // Node side (controller_node.cpp).
  void on_view();
  void on_cib();
  bool on_bulk(uint32_t from, const std::vector<uint8_t>& payload);
  void on_result_message(uint32_t from, const json& m);
  void on_local_result(const agents::ActionResult& r, const json& route);
  void send_hello();
  void send_to_dc(uint8_t type, const json& body);
  // Fencing (controller_fencing.cpp): returns how long the fence may take at most (ms).
  int64_t start_fence(const std::string& node, std::function<void(bool ok, std::string reason)> done);
  void fence_for_transition(const core::control::FenceNode& f);
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
  core::control::Coordinator coordinator_;
  std::unique_ptr<ExecutorDriver> driver_;
  std::string session_;
  asio::steady_timer wake_, shutdown_timer_;
  int64_t wake_at_ = -1;
  bool feeding_ = false;                       // inside coordinator_.on()
  std::deque<core::control::Event> queued_;    // events raised meanwhile
  StatusBatch status_batch_;  // status edits, one CIB version per burst
  uint64_t adoptions_seen_ = 0;  // agent_.adoptions() when last handled
  std::map<int, std::function<void(const json& result)>> fence_waiters_;  // fence agent callbacks by fence_id
  std::unique_ptr<FenceRunner> fencer_;
  int next_fence_aid_ = 1000000;  // ids of fence device calls

  // Node side state.
  std::optional<uint32_t> followed_dc_;  // the DC this node follows
  uint64_t dcs_followed_ = 0;            // DC changes this node has seen (told in its hello)
  std::function<void()> shutdown_done_;
  bool shutting_down_ = false;
  uint64_t next_qid_ = 1;
  std::map<uint64_t, Respond> forwards_;
};

}  // namespace hactl::cmd::daemon
