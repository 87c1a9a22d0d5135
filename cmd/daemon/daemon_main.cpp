#include "cmd/daemon/daemon_main.h"

#include <signal.h>
#include <unistd.h>

#include <asio.hpp>

#include "cmd/daemon/controller.h"
#include "cmd/daemon/log.h"
#include "cmd/daemon/node_agent.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "cmd/sys/print_error.h"

namespace hactl::cmd::daemon {

namespace {

// Every input is checked where it enters, and handlers catch what their
// library throws; this is the last line: an exception that still escapes a
// handler is logged as the bug it is, and the loop goes on serving, because a
// node agent that stops takes the node's resources with it.
void run_loop_surviving_exceptions(asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      log_error("agent", std::string("internal error in an event handler (continuing): ") + e.what());
    }
  }
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  NodePaths paths{options.root};
  // One agent per root: a second one would fight over the socket and ports.
  if (ipc_call_raw(paths.socket(), "{\"op\":\"ping\"}", 2000))
    return print_error(core::Status::exists("the node agent is already running (" + paths.socket() + ")"));
  ::signal(SIGPIPE, SIG_IGN);
  asio::io_context io;
  NodeAgent agent(io, {options.root, options.node});
  // Registered before start(): the first view change already needs it.
  Controller controller(io, agent, options.root);
  controller.start();
  asio::signal_set signals(io, SIGTERM, SIGINT);
  // Stopping must never hang (a peer's half-open connection, a pending
  // reconnect): after stop() the loop gets a short grace to flush answers.
  asio::steady_timer grace(io);
  agent.add_listener({nullptr, nullptr, [&] {
                        signals.cancel();
                        grace.expires_after(std::chrono::milliseconds(500));
                        grace.async_wait([&](std::error_code) { io.stop(); });
                      }});
  if (core::Status s = agent.start(); !s) {
    log_error("agent", s.message());
    agent.stop();
    return core::to_int(s.code());
  }
  write_file_atomic(paths.pid_file(), std::to_string(::getpid()) + "\n", 0644);
  signals.async_wait([&](std::error_code ec, int sig) {
    if (ec) return;
    log_info("agent", std::string("signal ") + (sig == SIGTERM ? "TERM" : "INT") + " received");
    // As `cluster stop`: this node's resources are stopped (moved) first.
    controller.shutdown([&] { agent.stop(); });
  });
  run_loop_surviving_exceptions(io);
  ::unlink(paths.pid_file().c_str());
  return 0;
}

}  // namespace hactl::cmd::daemon
