// Per-action latency of hactl's built-in agents against resource-agents'
// scripts of the same name: each action runs through the executor exactly as
// the node agent runs it (fork for a built-in, spawn for a script, OCF
// environment, output capture), one start → monitor → stop cycle per run; the
// median of each action is printed side by side with script/built-in.
//
// usage: agents_bench [--runs N] [--agents dummy,ipaddr2] [--ip A.B.C.D --cidr N --nic IF] [--state-dir DIR]
// IPaddr2 adds and removes --ip on --nic: run it only inside a network
// namespace made for it (bench/agents/run.sh does that).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "agents/executor_loop.h"

using namespace hactl::agents;

namespace {

struct Case {
  std::string label;
  AgentName agent;
  std::map<std::string, std::string> params;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Wall time of one action in ms; exits with a message if the agent fails.
double time_action(const AgentCatalog& cat, const Case& c, const std::string& action, bool builtin) {
  ActionRequest r;
  r.rsc = "bench";
  r.agent = c.agent;
  r.action = action;
  r.timeout_ms = 20000;
  r.params = c.params;
  r.meta = {{"hactl-builtin", builtin ? "true" : "false"}};
  timespec a{}, b{};
  clock_gettime(CLOCK_MONOTONIC, &a);
  ActionResult res = run_action_sync(cat, r);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (res.status != ExecStatus::done || res.rc != OcfRc::ok) {
    std::fprintf(stderr, "%s %s (%s) failed: rc %d status %d %s\n%s%s\n", c.label.c_str(), action.c_str(),
                 builtin ? "built-in" : "script", static_cast<int>(res.rc), static_cast<int>(res.status),
                 res.exit_reason.c_str(), res.output.c_str(), res.errors.c_str());
    std::exit(1);
  }
  if (res.builtin != builtin) {
    std::fprintf(stderr, "%s: expected the %s agent to run\n", c.label.c_str(), builtin ? "built-in" : "script");
    std::exit(1);
  }
  return static_cast<double>(b.tv_sec - a.tv_sec) * 1e3 + static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 11;
  std::string which = "dummy,ipaddr2", ip, cidr = "24", nic, state_dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--runs") runs = std::max(1, std::atoi(next().c_str()));
    else if (a == "--agents") which = next();
    else if (a == "--ip") ip = next();
    else if (a == "--cidr") cidr = next();
    else if (a == "--nic") nic = next();
    else if (a == "--state-dir") state_dir = next();
    else { std::fprintf(stderr, "unknown argument %s\n", a.c_str()); return 2; }
  }
  AgentCatalog cat("/");
  std::vector<Case> cases;
  if (which.find("dummy") != std::string::npos)
    cases.push_back({"Dummy", {"ocf", "pacemaker", "Dummy"}, {{"state", state_dir + "/bench-Dummy.state"}}});
  if (which.find("ipaddr2") != std::string::npos) {
    if (ip.empty() || nic.empty()) {
      std::fprintf(stderr, "IPaddr2 needs --ip and --nic (inside a network namespace: use bench/agents/run.sh)\n");
      return 2;
    }
    cases.push_back({"IPaddr2", {"ocf", "heartbeat", "IPaddr2"}, {{"ip", ip}, {"cidr_netmask", cidr}, {"nic", nic}}});
  }
  std::printf("%-8s %-8s %12s %12s %8s   (median of %d, ms)\n", "agent", "action", "built-in", "script", "ratio", runs);
  for (const Case& c : cases) {
    if (cat.on_disk_path(c.agent).empty()) {
      std::printf("%-8s (no %s script installed: install resource-agents / pacemaker)\n", c.label.c_str(),
                  c.agent.to_string().c_str());
      continue;
    }
    std::map<std::string, std::vector<double>> t[2];  // [builtin][action]
    time_action(cat, c, "stop", true);           // a clean slate
    for (int i = 0; i < runs; ++i) {
      for (int builtin = 1; builtin >= 0; --builtin) {  // interleaved, so drift hits both alike
        for (const char* action : {"start", "monitor", "stop"})
          t[builtin][action].push_back(time_action(cat, c, action, builtin != 0));
      }
    }
    for (const char* action : {"monitor", "start", "stop"}) {
      double b = median(t[1][action]), s = median(t[0][action]);
      std::printf("%-8s %-8s %12.2f %12.2f %7.1fx\n", c.label.c_str(), action, b, s, b > 0 ? s / b : 0.0);
    }
  }
  return 0;
}
