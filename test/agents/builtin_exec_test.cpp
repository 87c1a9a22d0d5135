// The exec'd built-in sees the call the in-process one would have got.
#include "agents/builtin_exec.h"

#include <doctest/doctest.h>

#include "agents/agent_action.h"
#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::agents::testing::TempRoot;

TEST_CASE("builtin exec: the spawned call equals the in-process one") {
  TempRoot root;
  AgentCatalog cat(root.path());
  ActionRequest r;
  r.rsc = "web";
  r.agent = {"ocf", "pacemaker", "Dummy"};
  r.action = "monitor";
  r.interval_ms = 10000;
  r.timeout_ms = 15000;
  r.params = {{"state", "/tmp/x"}, {"op_sleep", "0.5"}};
  r.meta = {{"target-role", "Started"}};
  ExecutorEnv env{"node1", 2000, 4096, "/usr/sbin/hactl"};
  ActionPlan p = plan_action(cat, r, env);
  CHECK(p.builtin);
  CHECK_FALSE(p.spawn.in_child);
  REQUIRE(p.spawn.argv.size() == 6);
  CHECK(p.spawn.argv[0] == "/usr/sbin/hactl");
  CHECK(p.spawn.argv[1] == kBuiltinAgentVerb);
  CHECK(p.spawn.argv[5] == "monitor");

  BuiltinCall c = builtin_call_from({p.spawn.argv.begin() + 2, p.spawn.argv.end()}, p.spawn.env);
  CHECK(c.action == "monitor");
  CHECK(c.instance == "web");
  CHECK(c.root == root.path());
  CHECK(c.params == std::map<std::string, std::string>{{"state", "/tmp/x"}, {"op_sleep", "0.5"}});
  CHECK(c.meta.at("target_role") == "Started");
  CHECK(c.meta.at("on_node") == "node1");
  CHECK(c.timeout_ms == 15000);
  CHECK(c.interval_ms == 10000);

  // Without a program, the built-in runs in a forked child as before.
  env.builtin_exec.clear();
  ActionPlan forked = plan_action(cat, r, env);
  CHECK(forked.spawn.argv.empty());
  CHECK(static_cast<bool>(forked.spawn.in_child));
}

TEST_CASE("builtin exec: an unknown agent or a short command line is not installed") {
  CHECK(run_builtin_exec({"/", "pacemaker", "Nope", "start"}, {}) == static_cast<int>(OcfRc::not_installed));
  CHECK(run_builtin_exec({"/"}, {}) == static_cast<int>(OcfRc::not_installed));
}
