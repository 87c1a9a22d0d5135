#include "cmd/cluster_node_target.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cmd/daemon/node_agent.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "core/cluster_conf.h"
#include "core/printable_text.h"

namespace hactl::cmd {

using core::ExitCode;
using core::Status;
using json = nlohmann::json;

namespace {

constexpr int kLeaveWaitMs = 330000;  // as a local stop: every resource's stop timeout, bounded

struct Targets {
  bool self = false;
  std::vector<std::string> others;
  bool agent_running = false;
};

// This node's name as its agent knows it, or as an agent started here would find it.
core::Result<Targets> resolve(const Invocation& inv, const Args& names) {
  NodePaths p = paths_of(inv);
  auto text = read_file(p.cluster_conf());
  if (!text) return Status::error(ExitCode::not_configured, "this node has no cluster configuration; run 'hactl cluster setup' first");
  auto conf = core::parse_cluster_conf(*text);
  if (!conf) return conf.status();
  for (const std::string& n : names)
    if (!conf->find(n)) return Status::not_found("node '" + core::printable(n) + "' is not in the cluster configuration");
  Targets t;
  std::string self;
  if (auto ping = ipc_call(p.socket(), json{{"op", "ping"}}, 2000)) {
    t.agent_running = true;
    self = ping->value("node", "");
  } else if (auto me = daemon::find_self(*conf, inv.value("node"))) {
    self = *me;
  }
  for (const std::string& n : names) {
    if (n == self) t.self = true;
    else if (std::find(t.others.begin(), t.others.end(), n) == t.others.end()) t.others.push_back(n);
  }
  return t;
}

bool still_member(const NodePaths& p, const std::string& node) {
  auto st = ipc_call(p.socket(), json{{"op", "status"}}, 5000);
  if (!st) return true;
  for (const auto& n : st->value("nodes", json::array()))
    if (n.value("name", "") == node) return n.value("state", "") == "member";
  return false;
}

}  // namespace

int stop_named_nodes(const Invocation& inv, const Args& names, const std::function<int()>& stop_self) {
  auto t = resolve(inv, names);
  if (!t) return fail(t.status());
  NodePaths p = paths_of(inv);
  if (!t->others.empty() && !t->agent_running)
    return fail(Status::error(ExitCode::unavailable, "the node agent is not running on this node: it cannot reach node '" +
                                                         core::printable(t->others[0]) + "'; nothing was stopped"));
  for (const std::string& n : t->others) {
    std::cerr << core::printable(n) << ": Stopping Cluster...\n";
    auto r = ipc_call(p.socket(), json{{"op", "ctl_stop_node"}, {"node", n}}, 10000);
    if (!r) return fail(r.status());
  }
  for (const std::string& n : t->others) {
    bool gone = false;
    for (auto t0 = std::chrono::steady_clock::now();
         std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(kLeaveWaitMs);) {
      if ((gone = !still_member(p, n))) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!gone) return fail(Status::error(ExitCode::timeout, "node '" + core::printable(n) + "' did not leave in time"));
  }
  return t->self ? stop_self() : 0;
}

int start_named_nodes(const Invocation& inv, const Args& names, const std::function<int()>& start_self) {
  auto t = resolve(inv, names);
  if (!t) return fail(t.status());
  if (!t->others.empty())
    return fail(Status::error(ExitCode::unimplemented, "hactl starts only this node's agent: run 'hactl cluster start' on node '" +
                                                           core::printable(t->others[0]) + "'; nothing was started"));
  return t->self ? start_self() : 0;
}

}  // namespace hactl::cmd
