// Real processes through the Executor: the built-in Dummy, Debian's
// resource-agents Dummy scripts, and a hanging agent.
#include <doctest/doctest.h>

#include <filesystem>

#include "agents/executor_loop.h"
#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::agents::testing::group_gone;
using hactl::agents::testing::TempRoot;

namespace {

ActionResult run(const AgentCatalog& cat, const AgentName& agent, const std::string& action,
                 std::map<std::string, std::string> params, std::map<std::string, std::string> meta = {},
                 int64_t timeout_ms = 20000, const std::string& builtin_exec = "") {
  ActionRequest r;
  r.rsc = "d1";
  r.agent = agent;
  r.action = action;
  r.timeout_ms = timeout_ms;
  r.params = std::move(params);
  r.meta = std::move(meta);
  return run_action_sync(cat, r, ExecutorEnv{"node1", 500, 64 * 1024, builtin_exec});
}

// start, monitor, stop, monitor, stop again, validate-all, meta-data.
void full_cycle(const AgentCatalog& cat, const AgentName& agent, const std::map<std::string, std::string>& params,
                const std::map<std::string, std::string>& meta, bool builtin, const std::string& state,
                const std::string& exec = "") {
  auto run = [&](const AgentCatalog& c, const AgentName& a, const std::string& action,
                 std::map<std::string, std::string> p, std::map<std::string, std::string> m) {
    return ::run(c, a, action, std::move(p), std::move(m), 20000, exec);
  };
  auto probe = run(cat, agent, "monitor", params, meta);
  CHECK(probe.rc == OcfRc::not_running);
  CHECK(probe.builtin == builtin);
  auto start = run(cat, agent, "start", params, meta);
  CHECK_MESSAGE(start.ok(), start.errors);
  CHECK(std::filesystem::exists(state));
  CHECK(run(cat, agent, "monitor", params, meta).rc == OcfRc::ok);
  CHECK(run(cat, agent, "start", params, meta).ok());  // idempotent
  CHECK(run(cat, agent, "stop", params, meta).ok());
  CHECK_FALSE(std::filesystem::exists(state));
  CHECK(run(cat, agent, "monitor", params, meta).rc == OcfRc::not_running);
  CHECK(run(cat, agent, "stop", params, meta).ok());  // idempotent
  CHECK(run(cat, agent, "validate-all", params, meta).ok());
  auto md = run(cat, agent, "meta-data", params, meta);
  CHECK(md.ok());
  auto parsed = parse_ocf_metadata(md.output);
  REQUIRE(parsed.is_ok());
  CHECK(parsed->name == "Dummy");
}

}  // namespace

TEST_CASE("real: built-in Dummy spawned as the hactl binary (no fork of the caller) through every action") {
  REQUIRE(std::filesystem::exists(HACTL_BINARY));
  TempRoot root;
  AgentCatalog cat(root.path());
  std::string state = root / "state/d1";
  full_cycle(cat, {"ocf", "pacemaker", "Dummy"}, {{"state", state}}, {{"target-role", "Started"}}, true, state,
             HACTL_BINARY);
  // The default state file is under the root passed on the command line; the
  // delay and failure parameters arrive through the environment.
  CHECK(run(cat, {"ocf", "pacemaker", "Dummy"}, "start", {}, {}, 20000, HACTL_BINARY).ok());
  CHECK(std::filesystem::exists(root / "run/hactl/Dummy-d1.state"));
  auto failed = run(cat, {"ocf", "pacemaker", "Dummy"}, "monitor", {{"fail_action", "monitor"}, {"fail_rc", "6"}}, {},
                    20000, HACTL_BINARY);
  CHECK(failed.rc == OcfRc::not_configured);
  auto slow = run(cat, {"ocf", "pacemaker", "Dummy"}, "stop", {{"op_sleep", "5"}}, {}, 300, HACTL_BINARY);
  CHECK(slow.status == ExecStatus::timeout);
}

TEST_CASE("real: built-in Dummy through every action") {
  TempRoot root;
  AgentCatalog cat(root.path());
  std::string state = root / "state/d1";
  full_cycle(cat, {"ocf", "pacemaker", "Dummy"}, {{"state", state}}, {}, true, state);
  // Default state file under the root; failure injection; delays hit the timeout.
  CHECK(run(cat, {"ocf", "pacemaker", "Dummy"}, "start", {}).ok());
  CHECK(std::filesystem::exists(root / "run/hactl/Dummy-d1.state"));
  auto fail = run(cat, {"ocf", "pacemaker", "Dummy"}, "monitor", {{"fail_action", "monitor"}, {"fail_rc", "9"}});
  CHECK(fail.rc == OcfRc::failed_promoted);
  CHECK(fail.errors.find("fail_action") != std::string::npos);
  auto slow = run(cat, {"ocf", "pacemaker", "Dummy"}, "start", {{"op_sleep", "5"}}, {}, 300);
  CHECK(slow.status == ExecStatus::timeout);
  CHECK(slow.ended_ms - slow.started_ms < 2000);
  CHECK(group_gone(slow.pid));
  CHECK(run(cat, {"ocf", "pacemaker", "Dummy"}, "start", {{"op_sleep", "x"}}).rc == OcfRc::not_configured);
}

TEST_CASE("real: resource-agents' ocf:heartbeat:Dummy and ocf:pacemaker:Dummy scripts") {
  AgentCatalog cat("/");
  for (AgentName agent : {AgentName{"ocf", "heartbeat", "Dummy"}, AgentName{"ocf", "pacemaker", "Dummy"}}) {
    if (cat.on_disk_path(agent).empty()) {
      MESSAGE(agent.to_string() << " not installed: skipping");
      continue;
    }
    CAPTURE(agent.to_string());
    TempRoot tmp;
    std::string state = tmp / "d1.state";
    full_cycle(cat, agent, {{"state", state}}, {}, false, state);
    // The meta knob runs our built-in even though the script is installed.
    if (agent.provider == "pacemaker") {
      std::string s2 = tmp / "d2.state";
      full_cycle(cat, agent, {{"state", s2}}, {{"hactl-builtin", "true"}}, true, s2);
    }
  }
}

TEST_CASE("real: a hanging agent times out, its process group is gone, nothing is left running") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Hang",
             "#!/bin/sh\ncase $1 in monitor) exit 7;; esac\n"
             "trap '' TERM\nsleep 60 &\nsleep 60\n");
  AgentCatalog cat(root.path());
  int64_t t0 = monotonic_ms();
  auto r = run(cat, {"ocf", "acme", "Hang"}, "start", {}, {}, 400);
  int64_t took = monotonic_ms() - t0;
  CHECK(r.status == ExecStatus::timeout);
  CHECK(r.exit_reason == "start timed out after 400ms");
  CHECK(took >= 400 + 500);  // TERM ignored: KILL after the 500 ms grace
  CHECK(took < 3000);
  CHECK(group_gone(r.pid));
  CHECK(run(cat, {"ocf", "acme", "Hang"}, "monitor", {}).rc == OcfRc::not_running);
}

TEST_CASE("real: recurring monitor of the built-in Dummy notices the state file vanishing") {
  TempRoot root;
  AgentCatalog cat(root.path());
  PosixProcessRunner runner;
  std::vector<ActionResult> results;
  Executor ex(cat, runner, [&](const ActionResult& r) { results.push_back(r); }, {});
  std::string state = root / "s";
  ActionRequest start{"d1", {"ocf", "pacemaker", "Dummy"}, "start", 0, 5000, {{"state", state}}, {}};
  ActionRequest mon = start;
  mon.action = "monitor";
  mon.interval_ms = 100;
  ex.execute(start, monotonic_ms());
  ex.execute(mon, monotonic_ms());
  CHECK(run_executor_until(ex, runner, [&] { return results.size() == 2; }, monotonic_ms() + 5000));
  // Several more monitor runs happen; none is reported while nothing changes.
  run_executor_until(ex, runner, [] { return false; }, monotonic_ms() + 350);
  CHECK(results.size() == 2);
  int64_t removed = monotonic_ms();
  std::filesystem::remove(state);
  CHECK(run_executor_until(ex, runner, [&] { return results.size() == 3; }, monotonic_ms() + 5000));
  REQUIRE(results.size() == 3);
  CHECK(results[2].rc == OcfRc::not_running);
  CHECK(results[2].ended_ms - removed < 400);
}
