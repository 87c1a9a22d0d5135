// Executor scheduling on a fake clock and a fake runner: no process runs and
// no time passes except what the test says.
#include "agents/executor.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "test/agents/fake_process_runner.h"
#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::agents::testing::TempRoot;

namespace {

struct Fixture {
  TempRoot root;
  AgentCatalog catalog{root.path()};
  FakeProcessRunner runner;
  std::vector<ActionResult> results;
  Executor ex{catalog, runner, [this](const ActionResult& r) { results.push_back(r); },
              Executor::Options{ExecutorEnv{"node1", 2000, 4096, ""}, 0, 0}};
  int64_t now = 1000;

  Fixture() {
    root.write("usr/lib/ocf/resource.d/acme/Svc", "#!/bin/sh\nexit 0\n");
  }
  ActionRequest req(const std::string& rsc, const std::string& action, int64_t interval = 0) {
    ActionRequest r;
    r.rsc = rsc;
    r.agent = {"ocf", "acme", "Svc"};
    r.action = action;
    r.interval_ms = interval;
    r.timeout_ms = 20000;
    r.params = {{"port", "80"}};
    r.meta = {{"target-role", "Started"}};
    return r;
  }
  void advance(int64_t ms) {
    now += ms;
    ex.poll(now);
  }
  // The process the runner started last for `rsc` that has not ended.
  ProcessId running_of(const std::string& rsc) {
    for (auto& s : runner.started()) {
      if (s.ended) continue;
      if (std::find(s.request.env.begin(), s.request.env.end(), "OCF_RESOURCE_INSTANCE=" + rsc) != s.request.env.end())
        return s.id;
    }
    return 0;
  }
};

bool has(const std::vector<std::string>& env, const std::string& kv) {
  return std::find(env.begin(), env.end(), kv) != env.end();
}

}  // namespace

TEST_CASE("executor: OCF environment and argv") {
  Fixture f;
  f.ex.execute(f.req("web", "start"), f.now);
  f.ex.poll(f.now);
  REQUIRE(f.runner.started().size() == 1);
  const SpawnRequest& s = f.runner.started()[0].request;
  CHECK(s.argv == std::vector<std::string>{f.root / "usr/lib/ocf/resource.d/acme/Svc", "start"});
  CHECK(has(s.env, "OCF_ROOT=" + (f.root / "usr/lib/ocf")));
  CHECK(has(s.env, "OCF_RESOURCE_INSTANCE=web"));
  CHECK(has(s.env, "OCF_RESOURCE_TYPE=Svc"));
  CHECK(has(s.env, "OCF_RESOURCE_PROVIDER=acme"));
  CHECK(has(s.env, "OCF_RESKEY_port=80"));
  CHECK(has(s.env, "OCF_RESKEY_CRM_meta_target_role=Started"));
  CHECK(has(s.env, "OCF_RESKEY_CRM_meta_timeout=20000"));
  CHECK(has(s.env, "OCF_RESKEY_CRM_meta_interval=0"));
  CHECK(has(s.env, "OCF_RESKEY_CRM_meta_on_node=node1"));
  CHECK(s.timeout_ms == 20000);
  CHECK(s.output_cap == 4096);
}

TEST_CASE("executor: one action at a time per resource, parallel across resources") {
  Fixture f;
  uint64_t a1 = f.ex.execute(f.req("a", "start"), f.now);
  uint64_t a2 = f.ex.execute(f.req("a", "monitor"), f.now);
  f.ex.execute(f.req("b", "start"), f.now);
  f.ex.poll(f.now);
  CHECK(f.runner.running() == 2);  // a:start and b:start, not a:monitor
  CHECK(f.ex.queued("a") == 1);
  CHECK(f.ex.running("a"));
  f.runner.complete(f.running_of("a"), 0);
  f.advance(5);
  REQUIRE(f.results.size() == 1);
  CHECK(f.results[0].call_id == a1);
  CHECK(f.results[0].ok());
  CHECK(f.results[0].queued_ms == 1000);
  CHECK(f.results[0].ended_ms == 1005);
  CHECK(f.runner.running() == 2);  // a:monitor started now
  f.runner.complete(f.running_of("a"), 7);
  f.advance(5);
  REQUIRE(f.results.size() == 2);
  CHECK(f.results[1].call_id == a2);
  CHECK(f.results[1].rc == OcfRc::not_running);
  CHECK(f.results[1].status == ExecStatus::done);
}

TEST_CASE("executor: max_parallel caps actions across resources") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Svc", "#!/bin/sh\n");
  AgentCatalog cat(root.path());
  FakeProcessRunner runner;
  Executor ex(cat, runner, [](const ActionResult&) {}, Executor::Options{{}, 1, 0});
  for (const char* r : {"a", "b", "c"}) ex.execute({r, {"ocf", "acme", "Svc"}, "start", 0, 1000, {}, {}}, 0);
  ex.poll(0);
  CHECK(runner.running() == 1);
  runner.complete(runner.running_ids()[0], 0);
  ex.poll(1);
  CHECK(runner.running() == 1);
  CHECK(runner.started().size() == 2);
}

TEST_CASE("executor: timeout is reported as such") {
  Fixture f;
  auto r = f.req("a", "start");
  r.timeout_ms = 3000;
  f.ex.execute(r, f.now);
  f.ex.poll(f.now);
  CHECK(f.ex.next_wakeup(f.now) == f.now + 3000);
  f.advance(2999);
  CHECK(f.results.empty());
  f.advance(1);
  REQUIRE(f.results.size() == 1);
  CHECK(f.results[0].status == ExecStatus::timeout);
  CHECK(f.results[0].rc == OcfRc::err_generic);
  CHECK(f.results[0].exit_reason == "start timed out after 3000ms");
}

TEST_CASE("executor: recurring monitor runs at once, then every interval, reporting only changes") {
  Fixture f;
  uint64_t id = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  CHECK(f.ex.next_wakeup(f.now) == f.now);
  f.ex.poll(f.now);
  REQUIRE(f.runner.running() == 1);
  CHECK(has(f.runner.started()[0].request.env, "OCF_RESKEY_CRM_meta_interval=10000"));
  f.runner.complete(f.running_of("a"), 0);
  f.advance(100);  // finished at 1100
  REQUIRE(f.results.size() == 1);
  CHECK(f.results[0].call_id == id);
  CHECK(f.results[0].ok());
  CHECK(f.ex.next_wakeup(f.now) == 1100 + 10000);

  f.advance(9999);
  CHECK(f.runner.started().size() == 1);
  f.advance(1);  // 11100: due
  CHECK(f.runner.started().size() == 2);
  f.runner.complete(f.running_of("a"), 0);
  f.advance(10);
  CHECK(f.results.size() == 1);  // unchanged: not reported

  f.advance(10000);
  CHECK(f.runner.started().size() == 3);
  f.runner.complete(f.running_of("a"), 7);
  f.advance(10);
  REQUIRE(f.results.size() == 2);
  CHECK(f.results[1].rc == OcfRc::not_running);
  CHECK(f.results[1].call_id == id);

  f.advance(10000);
  f.runner.complete(f.running_of("a"), 7);
  f.advance(10);
  CHECK(f.results.size() == 2);  // still not running: no new report
}

TEST_CASE("executor: a monitor run waits behind a start of the same resource") {
  Fixture f;
  f.ex.execute(f.req("a", "start"), f.now);
  f.ex.execute(f.req("a", "monitor", 5000), f.now);
  f.ex.poll(f.now);
  CHECK(f.runner.running() == 1);
  f.advance(1000);
  CHECK(f.runner.running() == 1);
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  CHECK(f.runner.started().size() == 2);
  CHECK(f.runner.started()[1].action() == "monitor");
}

TEST_CASE("executor: stop cancels recurring monitors, reported once as cancelled") {
  Fixture f;
  uint64_t mon = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  f.ex.execute(f.req("b", "monitor", 10000), f.now);
  f.ex.poll(f.now);
  f.runner.complete(f.running_of("a"), 0);
  f.runner.complete(f.running_of("b"), 0);
  f.advance(1);
  CHECK(f.results.size() == 2);
  CHECK(f.ex.recurring_count() == 2);

  f.advance(10000);  // both monitors running again
  CHECK(f.runner.running() == 2);
  f.ex.execute(f.req("a", "stop"), f.now);
  CHECK(f.ex.recurring_count() == 1);
  f.runner.complete(f.running_of("a"), 7);  // the in-flight monitor's result is discarded
  f.advance(1);
  REQUIRE(f.results.size() == 3);
  CHECK(f.results[2].call_id == mon);
  CHECK(f.results[2].status == ExecStatus::cancelled);
  CHECK(f.runner.started().back().action() == "stop");
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  REQUIRE(f.results.size() == 4);
  CHECK(f.results[3].action == "stop");
  f.advance(50000);
  for (auto& s : f.runner.started()) {
    if (has(s.request.env, "OCF_RESOURCE_INSTANCE=a") && s.action() == "monitor") CHECK(s.started_ms <= 11001);
  }
  CHECK_FALSE(f.ex.cancel("a", "monitor", 10000, f.now));
  CHECK(f.ex.cancel("b", "monitor", 10000, f.now));
  CHECK(f.ex.recurring_count() == 0);
}

TEST_CASE("executor: unknown agents fail at once as not installed; systemd needs systemd") {
  Fixture f;
  auto r = f.req("x", "start");
  r.agent = {"ocf", "acme", "Missing"};
  f.ex.execute(r, f.now);
  auto s = f.req("y", "start");
  s.agent = {"systemd", "", "httpd"};
  f.ex.execute(s, f.now);
  f.ex.poll(f.now);
  REQUIRE(f.results.size() == 2);
  CHECK(f.results[0].status == ExecStatus::not_installed);
  CHECK(f.results[0].rc == OcfRc::not_installed);
  CHECK(f.results[0].exit_reason == "Agent 'ocf:acme:Missing' is not installed or does not provide valid metadata");
  CHECK(f.results[1].exit_reason == "systemd is not running on this node, so systemd:httpd cannot be managed");
  CHECK(f.runner.started().empty());
}

TEST_CASE("executor: built-in vs on-disk choice and the hactl-builtin meta") {
  Fixture f;
  f.root.write("usr/lib/ocf/resource.d/pacemaker/Dummy", "#!/bin/sh\n");
  auto r = f.req("d", "start");
  r.agent = {"ocf", "pacemaker", "Dummy"};
  f.ex.execute(r, f.now);
  f.ex.poll(f.now);
  CHECK_FALSE(f.runner.started().back().request.argv.empty());  // on-disk script wins
  f.runner.complete(f.runner.started().back().id, 0);
  r.meta[kBuiltinMeta] = "true";
  f.ex.execute(r, f.now);
  f.advance(1);
  CHECK(static_cast<bool>(f.runner.started().back().request.in_child));
  f.runner.complete(f.runner.started().back().id, 0);
  f.advance(1);
  REQUIRE(f.results.size() == 2);
  CHECK_FALSE(f.results[0].builtin);
  CHECK(f.results[1].builtin);

  auto h = f.req("h", "start");
  h.agent = {"ocf", "heartbeat", "IPaddr2"};
  h.meta[kBuiltinMeta] = "false";  // no on-disk IPaddr2 under this root
  f.ex.execute(h, f.now);
  f.advance(1);
  REQUIRE(f.results.size() == 3);
  CHECK(f.results[2].status == ExecStatus::not_installed);
}

TEST_CASE("executor: LSB status codes and fence agent stdin") {
  Fixture f;
  f.root.write("etc/init.d/foo", "#!/bin/sh\n");
  f.root.write("usr/sbin/fence_fake", "#!/bin/sh\n");
  auto l = f.req("l", "monitor");
  l.agent = {"lsb", "", "foo"};
  f.ex.execute(l, f.now);
  auto s = f.req("s", "start");
  s.agent = {"stonith", "", "fence_fake"};
  s.params = {{"ip", "10.0.0.1"}, {"pcmk_host_list", "n1"}};
  f.ex.execute(s, f.now);
  f.ex.poll(f.now);
  REQUIRE(f.runner.started().size() == 2);
  CHECK(f.runner.started()[0].request.argv.at(1) == "status");
  CHECK(f.runner.started()[1].request.stdin_data == "action=monitor\nip=10.0.0.1\n");
  f.runner.complete(f.runner.started()[0].id, 3);
  f.runner.complete(f.runner.started()[1].id, 0);
  f.advance(1);
  REQUIRE(f.results.size() == 2);
  CHECK(f.results[0].rc == OcfRc::not_running);
  CHECK(f.results[1].rc == OcfRc::ok);
}

TEST_CASE("executor: exit reason and out-of-range codes") {
  Fixture f;
  f.ex.execute(f.req("a", "start"), f.now);
  f.ex.poll(f.now);
  f.runner.complete(f.running_of("a"), 6, "", "noise\nocf-exit-reason:bad config\n");
  f.advance(1);
  REQUIRE(f.results.size() == 1);
  CHECK(f.results[0].rc == OcfRc::not_configured);
  CHECK(f.results[0].exit_reason == "bad config");
  CHECK(ocf_rc_from_exit(42) == OcfRc::err_generic);
  CHECK(ocf_rc_from_exit(190) == OcfRc::degraded);
  CHECK(describe(OcfRc::not_running) == "not running");
  CHECK(ocf_rc_from_lsb(1, true) == OcfRc::not_running);
  CHECK(ocf_rc_from_lsb(4, true) == OcfRc::err_generic);
  CHECK(ocf_rc_from_lsb(5, false) == OcfRc::not_installed);
}

TEST_CASE("executor: the listener may queue new actions re-entrantly") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Svc", "#!/bin/sh\n");
  AgentCatalog cat(root.path());
  FakeProcessRunner runner;
  runner.responder = [](const SpawnRequest&) { return 0; };
  std::vector<std::string> seen;
  Executor* exp = nullptr;
  Executor ex(cat, runner,
              [&](const ActionResult& r) {
                seen.push_back(r.action);
                if (r.action == "start") exp->execute({"a", {"ocf", "acme", "Svc"}, "monitor", 0, 1000, {}, {}}, 5);
              },
              {});
  exp = &ex;
  ex.execute({"a", {"ocf", "acme", "Svc"}, "start", 0, 1000, {}, {}}, 0);
  for (int64_t t = 0; t < 5; ++t) ex.poll(t);
  CHECK(seen == std::vector<std::string>{"start", "monitor"});
}

TEST_CASE("executor: an orphan's stop runs with the parameters the resource last ran with") {
  Fixture f;
  ActionRequest start = f.req("ip", "start");
  start.params = {{"ip", "192.0.2.10"}, {"cidr_netmask", "24"}};
  f.ex.execute(start, f.now);
  f.ex.poll(f.now);
  f.runner.complete(f.running_of("ip"), 0);
  f.advance(1);
  CHECK(f.ex.remembered_params() == 1);

  // Deleted from the configuration: the stop comes without parameters.
  ActionRequest stop = f.req("ip", "stop");
  stop.params.clear();
  stop.meta.clear();
  stop.reuse_last_params = true;
  f.ex.execute(stop, f.now);
  f.ex.poll(f.now);
  const SpawnRequest& s = f.runner.started().back().request;
  CHECK(f.runner.started().back().action() == "stop");
  CHECK(has(s.env, "OCF_RESKEY_ip=192.0.2.10"));
  CHECK(has(s.env, "OCF_RESKEY_cidr_netmask=24"));
  CHECK(has(s.env, "OCF_RESKEY_CRM_meta_target_role=Started"));
  // A failed stop keeps them for the retry; a successful one forgets them.
  f.runner.complete(f.running_of("ip"), 1);
  f.advance(1);
  CHECK(f.ex.remembered_params() == 1);
  f.ex.execute(stop, f.now);
  f.ex.poll(f.now);
  CHECK(has(f.runner.started().back().request.env, "OCF_RESKEY_ip=192.0.2.10"));
  f.runner.complete(f.running_of("ip"), 0);
  f.advance(1);
  CHECK(f.ex.remembered_params() == 0);

  // With nothing remembered (never ran here), the request's own (none) are used.
  f.ex.execute(stop, f.now);
  f.ex.poll(f.now);
  CHECK_FALSE(has(f.runner.started().back().request.env, "OCF_RESKEY_ip=192.0.2.10"));
}

TEST_CASE("executor: a stop queued before a start with new parameters keeps the start's") {
  Fixture f;
  ActionRequest stop = f.req("ip", "stop"), start = f.req("ip", "start");
  start.params = {{"ip", "192.0.2.20"}};
  f.ex.execute(stop, f.now);
  f.ex.execute(start, f.now);  // queued behind the stop
  f.ex.poll(f.now);
  f.runner.complete(f.running_of("ip"), 0);  // the stop
  f.advance(1);
  f.runner.complete(f.running_of("ip"), 0);  // the start
  f.advance(1);
  CHECK(f.ex.remembered_params() == 1);
  ActionRequest orphan_stop = f.req("ip", "stop");
  orphan_stop.params.clear();
  orphan_stop.reuse_last_params = true;
  f.ex.execute(orphan_stop, f.now);
  f.ex.poll(f.now);
  CHECK(has(f.runner.started().back().request.env, "OCF_RESKEY_ip=192.0.2.20"));
}

TEST_CASE("executor: max_starts_per_poll spreads a burst of starts over several polls") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Svc", "#!/bin/sh\n");
  AgentCatalog cat(root.path());
  FakeProcessRunner runner;
  Executor::Options o;
  o.max_starts_per_poll = 2;
  Executor ex(cat, runner, [](const ActionResult&) {}, o);
  for (const char* r : {"a", "b", "c", "d", "e"}) ex.execute({r, {"ocf", "acme", "Svc"}, "start", 0, 1000, {}, {}}, 0);
  ex.poll(0);
  CHECK(runner.started().size() == 2);
  CHECK(ex.next_wakeup(0) == 0);  // the rest are due at once, after other handlers ran
  ex.poll(0);
  CHECK(runner.started().size() == 4);
  ex.poll(0);
  CHECK(runner.started().size() == 5);
  CHECK(runner.running() == 5);
}

TEST_CASE("executor: a recurring monitor asked for again reports its first result again, even unchanged") {
  // A new DC that does not find the monitor in the status history asks for
  // it again; the first result of the new request must reach it.
  Fixture f;
  uint64_t first = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  f.ex.poll(f.now);
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  REQUIRE(f.results.size() == 1);
  uint64_t again = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  CHECK(f.ex.recurring_count() == 1);  // replaced, not doubled
  f.ex.poll(f.now);
  REQUIRE(f.results.size() == 2);
  CHECK(f.results[1].call_id == first);
  CHECK(f.results[1].status == ExecStatus::cancelled);
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  REQUIRE(f.results.size() == 3);
  CHECK(f.results[2].call_id == again);
  CHECK(f.results[2].ok());
  f.advance(10000);
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  CHECK(f.results.size() == 3);  // then only changes again
}

TEST_CASE("executor: a recurring monitor asked for twice before it answered answers both requests") {
  // Two requests of one key in a row (two actions of one graph): the first
  // is replaced, and the replacement's first result answers it as well, so
  // that no request waits for ever.
  Fixture f;
  uint64_t first = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  f.ex.poll(f.now);  // the first request's run is in flight
  uint64_t second = f.ex.execute(f.req("a", "monitor", 10000), f.now);
  CHECK(f.ex.recurring_count() == 1);
  f.runner.complete(f.running_of("a"), 0);  // the replaced run: its result is dropped
  f.advance(1);
  CHECK(f.results.empty());
  f.runner.complete(f.running_of("a"), 0);
  f.advance(1);
  REQUIRE(f.results.size() == 2);
  std::set<uint64_t> answered{f.results[0].call_id, f.results[1].call_id};
  CHECK(answered == std::set<uint64_t>{first, second});
  CHECK(f.results[0].ok());
  CHECK(f.results[1].ok());
  f.advance(10000);
  f.runner.complete(f.running_of("a"), 7);
  f.advance(1);
  REQUIRE(f.results.size() == 3);  // a change: reported once, under the current request
  CHECK(f.results[2].call_id == second);
  // A stop before any answer cancels every request of the key.
  uint64_t third = f.ex.execute(f.req("b", "monitor", 5000), f.now);
  uint64_t fourth = f.ex.execute(f.req("b", "monitor", 5000), f.now);
  f.ex.execute(f.req("b", "stop"), f.now);
  f.ex.poll(f.now);
  std::set<uint64_t> cancelled;
  for (const auto& r : f.results)
    if (r.status == ExecStatus::cancelled) cancelled.insert(r.call_id);
  CHECK(cancelled == std::set<uint64_t>{third, fourth});
}
