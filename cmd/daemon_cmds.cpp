// Commands that talk to the node agent: cluster start|stop|status|kill and
// `hactl daemon`. `cluster start` forks the agent, detached, logging to
// <root>/var/log/hactl/hactl.log, and returns once it answers on its socket.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/cluster_node_target.h"
#include "cmd/daemon/daemon_main.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "cmd/sys/run_dir.h"

namespace hactl::cmd {

using core::ExitCode;
using core::Status;
using json = nlohmann::json;

void print_live_status(const Invocation& inv, const json& status, bool full);  // status_live.cpp

namespace {

bool agent_answers(const NodePaths& p) { return ipc_call_raw(p.socket(), "{\"op\":\"ping\"}", 1000).is_ok(); }

int start(Invocation& inv) {
  // The agent runs from "/" (it must not hold the caller's directory): a
  // relative root would then point elsewhere.
  std::error_code ec;
  if (auto abs = std::filesystem::absolute(inv.root, ec); !ec) inv.root = abs.string();
  NodePaths p = paths_of(inv);
  if (!file_exists(p.cluster_conf()))
    return fail(Status::error(ExitCode::not_configured, "this node has no cluster configuration; run 'hactl cluster setup' first"));
  if (agent_answers(p)) {
    std::cerr << "Starting Cluster...\nthe node agent is already running\n";
    return 0;
  }
  if (Status s = make_dirs(under_root(inv.root, "/var/log/hactl"), 0750); !s) return fail(s);
  std::string ignored;  // the agent sets the group again and logs why it could not
  if (Status s = prepare_run_dir(p, &ignored); !s) return fail(s);
  std::string log = p.log_file();
  std::string self = "/proc/self/exe";
  char exe[4096];
  ssize_t n = ::readlink(self.c_str(), exe, sizeof exe - 1);
  if (n <= 0) return fail(Status::error(ExitCode::os_err, "unable to find the hactl executable"));
  exe[n] = '\0';
  std::cerr << "Starting Cluster...\n";
  pid_t pid = ::fork();
  if (pid < 0) return fail(Status::error(ExitCode::os_err, std::string("fork: ") + std::strerror(errno)));
  if (pid == 0) {
    // Detach: own session, no terminal, output to the log; a second fork so
    // the agent is not our child (init reaps it).
    ::setsid();
    if (::chdir("/") != 0) ::_exit(127);
    if (::fork() > 0) ::_exit(0);
    int devnull = ::open("/dev/null", O_RDONLY);
    int logfd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640);
    if (devnull >= 0) ::dup2(devnull, 0);
    if (logfd >= 0) {
      ::dup2(logfd, 1);
      ::dup2(logfd, 2);
    }
    std::string root = "--root=" + inv.root;
    std::vector<std::string> args = {"hactl", "daemon", "--foreground", root};
    if (!inv.value("node").empty()) args.push_back("--node=" + inv.value("node"));
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe, argv.data());
    ::_exit(127);
  }
  ::waitpid(pid, nullptr, 0);
  for (int i = 0; i < 100; ++i) {  // up to 10 s
    if (agent_answers(p)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fail(Status::error(ExitCode::timeout, "the node agent did not come up; see " + log));
}

int stop(Invocation& inv) {
  NodePaths p = paths_of(inv);
  auto pid_text = read_file(p.pid_file());
  std::cerr << (inv.all ? "Stopping Cluster (all nodes)...\n" : "Stopping Cluster...\n");
  // The controller first stops (moves) this node's resources, in reverse
  // order, then the agent exits; an agent without one just exits. With --all
  // the DC marks every node as leaving at once, so everything stops.
  auto r = ipc_call(p.socket(), json{{"op", inv.all ? "ctl_shutdown_all" : "ctl_shutdown"}}, 330000);
  if (!r && r.status().code() == ExitCode::invalid_param) r = ipc_call(p.socket(), json{{"op", "shutdown"}}, 120000);
  if (!r) {
    if (r.status().code() == ExitCode::disconnect) {
      std::cerr << "the node agent is not running\n";
      return 0;
    }
    return fail(r.status());
  }
  pid_t pid = pid_text ? std::atoi(pid_text->c_str()) : 0;
  for (int i = 0; i < 300; ++i) {  // up to 30 s for the agent to exit
    if (!agent_answers(p) && (pid <= 0 || ::kill(pid, 0) != 0)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return fail(Status::error(ExitCode::timeout, "the node agent did not exit within 30 s"));
}

int kill_agent(Invocation& inv) {
  auto pid_text = read_file(paths_of(inv).pid_file());
  if (!pid_text) return fail(Status::error(ExitCode::not_running, "the node agent is not running"));
  pid_t pid = std::atoi(pid_text->c_str());
  if (pid <= 1 || ::kill(pid, SIGKILL) != 0) return fail(Status::error(ExitCode::not_running, "the node agent is not running"));
  return 0;
}

}  // namespace

int run_daemon_command(Invocation& inv, const std::string& sub, const Args& args) {
  if (Status s = refuse_cib_file(inv, "cluster " + sub); !s) return fail(s);
  // Node names (pcs: `cluster stop|start [--all | NODE...]`) select the nodes acted on.
  Args names;
  for (const auto& a : args)
    if (a.find('=') == std::string::npos) names.push_back(a);
  if (!names.empty() && !inv.all && sub == "stop") return stop_named_nodes(inv, names, [&] { return stop(inv); });
  if (!names.empty() && !inv.all && sub == "start") return start_named_nodes(inv, names, [&] { return start(inv); });
  if (sub == "start") {
    if (inv.all) std::cerr << "Note: start the other nodes with 'hactl cluster start' on each (or 'systemctl start hactl')\n";
    return start(inv);
  }
  if (sub == "stop") return stop(inv);
  if (sub == "kill") return kill_agent(inv);
  if (sub == "status") {
    auto r = ipc_call(paths_of(inv).socket(), json{{"op", "status"}}, 5000);
    if (!r) return fail(r.status());
    print_live_status(inv, *r, inv.full);
    return 0;
  }
  if (sub == "enable" || sub == "disable")
    return fail(Status::error(ExitCode::unimplemented, "use 'systemctl " + sub + " hactl' (the packages install hactl.service)"));
  return usage_error("unknown cluster command '" + sub + "'");
}

int run_daemon_entry(Invocation& inv) {
  if (Status s = refuse_cib_file(inv, "daemon"); !s) return fail(s);
  return daemon::run_daemon({inv.root, inv.value("node")});
}

}  // namespace hactl::cmd
