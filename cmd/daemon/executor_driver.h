// ExecutorDriver: this node's agents::Executor on the daemon's io_context.
// Every node has one; it runs what the DC sends (execute messages), keeps the
// recurring monitors, and hands each result to `on_result` together with the
// request's routing (which DC, transition and action asked for it), so that a
// recurring monitor's later failure goes to the DC at once.
//
// Driving (agents/README.md): poll after execute, a steady_timer at
// next_wakeup(), and a wait on the runner's one epoll fd, readable when a
// child wrote output or ended (pidfd). Nothing here blocks: no wait without
// WNOHANG, no fork of this process (built-ins are spawned, builtin_exec.h).
// The SIGCHLD signal_set stays for kernels without pidfd_open.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "agents/agent_catalog.h"
#include "agents/executor.h"

namespace hactl::cmd::daemon {

class ExecutorDriver {
 public:
  // `route` is the execute message's routing ({"from","tid","aid"}), returned with every result.
  using OnResult = std::function<void(const agents::ActionResult&, const nlohmann::json& route)>;
  ExecutorDriver(asio::io_context& io, const std::string& root, const std::string& node_name, OnResult on_result);
  ~ExecutorDriver();

  // Runs an execute message (see docs/controller-protocol.md).
  void execute(const nlohmann::json& msg, const nlohmann::json& route);
  void stop();  // cancels timers and the signal wait; running children keep their timeouts
  size_t busy() const { return executor_->running_total(); }

 private:
  void poll();
  void arm_timer();
  void arm_signal();
  void arm_children();
  static constexpr size_t kStartsPerTurn = 16;

  asio::io_context& io_;
  agents::AgentCatalog catalog_;
  agents::PosixProcessRunner runner_;
  std::unique_ptr<agents::Executor> executor_;
  asio::steady_timer timer_;
  asio::signal_set sigchld_;
  asio::posix::stream_descriptor children_;  // borrows runner_'s epoll fd
  OnResult on_result_;
  std::map<uint64_t, nlohmann::json> routes_;  // call id -> routing of the request
  std::map<std::string, nlohmann::json> recurring_routes_;  // rsc_monitor_INTERVAL -> routing
  bool stopped_ = false;
};

}  // namespace hactl::cmd::daemon
