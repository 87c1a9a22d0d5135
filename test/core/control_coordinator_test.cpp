// The coordinator's decisions, event by event, on a simulated clock.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/status_edits.h"
#include "test/core/control_harness.h"

using namespace hactl;
using core::OcfRc;
using core::control::Effects;
using test::CoordinatorHarness;
using test::describe;

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

const core::control::Execute* find_exec(const Effects& fx, const std::string& text) {
  auto d = describe(fx);
  for (size_t i = 0; i < d.size(); ++i)
    if (d[i] == text) return &fx.executes[i];
  return nullptr;
}

// Starts the term, answers the probes "not running" and lets A start; returns
// the node A was started on.
uint32_t settle_with_a_started(CoordinatorHarness& h) {
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  REQUIRE(probes.executes.size() == 2);
  Effects next;
  for (const auto& x : probes.executes) {
    auto fx = h.result(x, OcfRc::not_running);
    if (!fx.executes.empty()) next = fx;
  }
  REQUIRE(next.executes.size() == 1);
  const auto start = next.executes[0];
  CHECK(start.request.action == "start");
  auto mon = h.result(start, OcfRc::ok);
  for (const auto& x : mon.executes) h.result(x, OcfRc::ok);  // a recurring monitor's first result
  h.tick();
  return start.node;
}

}  // namespace

TEST_CASE("coordinator: no term during the start-up grace; then every member is probed") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  auto fx = h.on(core::control::ViewChanged{});
  CHECK(fx.executes.empty());
  CHECK_FALSE(h.co.in_term());
  CHECK(h.co.next_wakeup() <= 1400);  // by the grace's end
  fx = h.run_until_executes();
  CHECK(h.co.in_term());
  CHECK(h.now_ms >= 1400);
  auto d = describe(fx);
  CHECK(has(d, "probe A on n1"));
  CHECK(has(d, "probe A on n2"));
  for (const auto& x : fx.executes) CHECK(x.request.route.dc == 1);
}

TEST_CASE("coordinator: probes, start, recurring monitor, settled") {
  CoordinatorHarness h(test::cib_with(test::dummy("A", "<op id=\"A-m\" name=\"monitor\" interval=\"10s\" timeout=\"2h\"/>")));
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  REQUIRE(probes.executes.size() == 2);
  CHECK(probes.executes[0].request.timeout_ms == 7200000);  // probes borrow the monitor's timeout; "2h" is two hours
  Effects after;
  for (const auto& x : probes.executes) after = h.result(x, OcfRc::not_running);
  REQUIRE(after.executes.size() == 1);
  CHECK(after.executes[0].request.action == "start");
  auto mon = h.result(after.executes[0], OcfRc::ok);
  REQUIRE(mon.executes.size() == 1);
  CHECK(mon.executes[0].request.action == "monitor");
  CHECK(mon.executes[0].request.interval_ms == 10000);
  h.result(mon.executes[0], OcfRc::ok);
  auto quiet = h.tick();
  CHECK(quiet.executes.empty());
  CHECK(h.co.state().settled);
  CHECK(h.co.state().transition == 1);  // probes, start and monitor: one graph
}

TEST_CASE("coordinator: a node lost and back between two schedules is probed again (no double activation)") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  settle_with_a_started(h);
  h.view.up = {1};  // n2 (not the DC) is lost for an instant, wherever A runs
  h.on(core::control::ViewChanged{});
  h.view.up = {1, 2};
  h.on(core::control::ViewChanged{});  // back before any schedule ran
  auto fx = h.run_until_executes();
  CHECK(has(describe(fx), "probe A on n2"));
}

TEST_CASE("coordinator: a resource found active on both nodes is stopped where it must not run") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  REQUIRE(probes.executes.size() == 2);
  for (const auto& x : probes.executes) h.result(x, OcfRc::ok);  // running on both
  auto fx = h.run_until_executes();
  auto d = describe(fx);
  CHECK((has(d, "stop A on n1") || has(d, "stop A on n2")));
}

TEST_CASE("coordinator: a result of another transition or term does not complete an action") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  REQUIRE(probes.executes.size() == 2);
  auto stale = CoordinatorHarness::report(probes.executes[0], OcfRc::not_running);
  stale.route.term += 1;
  auto fx = h.on(core::control::ResultReceived{stale});
  CHECK(fx.executes.empty());
  CHECK(h.co.state().in_flight == 2);
  CHECK(fx.edits.size() == 1);  // still recorded: it happened
}

TEST_CASE("coordinator: an action without a result by its deadline counts as failed") {
  CoordinatorHarness h(test::cib_with(test::dummy("A", "<op id=\"A-s\" name=\"start\" interval=\"0\" timeout=\"5s\"/>")));
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  Effects after;
  for (const auto& x : probes.executes) after = h.result(x, OcfRc::not_running);
  REQUIRE(after.executes.size() == 1);
  CHECK(after.executes[0].request.timeout_ms == 5000);
  const int64_t sent = h.now_ms;
  bool warned = false;
  for (int i = 0; i < 30 && !warned; ++i) {
    auto fx = h.tick();
    for (const auto& l : fx.log) warned = warned || l.text.find("in time: counted as failed") != std::string::npos;
  }
  CHECK(warned);
  CHECK(h.now_ms >= sent + 5000);
  CHECK(h.co.state().last_abort.find("failed") != std::string::npos);
}

TEST_CASE("coordinator: nothing is scheduled while the status cannot be saved") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.failing = true;
  h.on(core::control::ViewChanged{});
  for (int i = 0; i < 5; ++i) CHECK(h.tick().executes.empty());
  h.failing = false;
  CHECK_FALSE(h.run_until_executes().executes.empty());
}

TEST_CASE("coordinator: a node that is no longer DC stops placing and drops its unsaved edits") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.on(core::control::ViewChanged{});
  h.run_until_executes();
  h.view.dc = 2;
  auto fx = h.on(core::control::ViewChanged{});
  CHECK(fx.drop_pending_edits);
  CHECK_FALSE(h.co.in_term());
  for (int i = 0; i < 3; ++i) CHECK(h.tick().executes.empty());
}

TEST_CASE("coordinator: an executor restart (new session) makes the node's history stale: re-probed") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.on(core::control::HelloReceived{2, "s1", 1});  // members say hello on the view change, before the term
  settle_with_a_started(h);
  h.on(core::control::HelloReceived{2, "s1", 1});  // the same executor again: nothing to do
  CHECK(h.tick().executes.empty());
  auto fx = h.on(core::control::HelloReceived{2, "s2", 1});
  CHECK_FALSE(fx.edits.empty());
  auto probes = h.run_until_executes();
  CHECK(has(describe(probes), "probe A on n2"));
}

TEST_CASE("coordinator: cleanup of an unknown resource is refused, a known one re-probes") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  settle_with_a_started(h);
  auto fx = h.on(core::control::CleanupRequested{"nosuch", "", false});
  REQUIRE(fx.reply);
  CHECK(fx.reply->code == core::ExitCode::no_such);
  fx = h.on(core::control::CleanupRequested{"A", "", true});
  REQUIRE(fx.reply);
  CHECK(fx.reply->code == core::ExitCode::ok);
  CHECK(fx.reply->cleared >= 1);
  auto probes = h.run_until_executes();
  CHECK(std::any_of(probes.executes.begin(), probes.executes.end(),
                    [](auto& x) { return x.request.action == "monitor" && x.request.interval_ms == 0; }));
}

TEST_CASE("coordinator: a leaving node gets its resources moved away, then leave_done") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  const uint32_t on = settle_with_a_started(h);
  auto fx = h.on(core::control::LeaveReceived{on});
  CHECK(core::has_shutdown_mark(h.doc, on == 1 ? "n1" : "n2"));
  auto stop = h.run_until_executes();
  const auto* s = find_exec(stop, "stop A on n" + std::to_string(on));
  REQUIRE(s != nullptr);
  auto next = h.result(*s, OcfRc::ok);
  for (const auto& x : next.executes) {
    CHECK(x.node != on);  // moved to the other node
    next = h.result(x, OcfRc::ok);
  }
  bool released = std::find(next.leave_done.begin(), next.leave_done.end(), on) != next.leave_done.end();
  for (int i = 0; i < 10 && !released; ++i) {
    auto t = h.tick();
    for (const auto& x : t.executes) h.result(x, OcfRc::ok);
    released = std::find(t.leave_done.begin(), t.leave_done.end(), on) != t.leave_done.end();
  }
  CHECK(released);
}

TEST_CASE("coordinator: a recurring monitor failure aborts and recovers the resource") {
  CoordinatorHarness h(test::cib_with(test::dummy("A", "<op id=\"A-m\" name=\"monitor\" interval=\"10s\"/>")));
  const uint32_t on = settle_with_a_started(h);
  core::control::Execute mon;
  mon.node = on;
  mon.request.rsc = "A";
  mon.request.action = "monitor";
  mon.request.interval_ms = 10000;
  mon.request.standard = "ocf";
  mon.request.provider = "pacemaker";
  mon.request.type = "Dummy";
  h.result(mon, OcfRc::not_running);
  auto fx = h.run_until_executes();
  auto d = describe(fx);
  CHECK(has(d, "stop A on n" + std::to_string(on)));
}

TEST_CASE("coordinator: a new term clears the shutdown marks an earlier run left (the whole cluster was stopped)") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  core::set_shutdown_mark(h.doc, "1", "n1", 5);
  core::set_shutdown_mark(h.doc, "2", "n2", 5);
  h.on(core::control::ViewChanged{});
  auto probes = h.run_until_executes();
  CHECK_FALSE(core::has_shutdown_mark(h.doc, "n1"));
  CHECK_FALSE(core::has_shutdown_mark(h.doc, "n2"));
  Effects after;
  for (const auto& x : probes.executes) after = h.result(x, OcfRc::not_running);
  REQUIRE(after.executes.size() == 1);
  CHECK(after.executes[0].request.action == "start");
}

TEST_CASE("coordinator: an unchanged CIB that time cannot change is not rescheduled every second") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  settle_with_a_started(h);
  const int64_t settled_at = h.now_ms;
  const uint64_t before = h.co.state().schedules;
  while (h.now_ms < settled_at + 30000) h.tick();
  CHECK(h.co.state().schedules == before);
  CHECK(h.co.state().settled);
}

TEST_CASE("coordinator: a failure with a failure-timeout is looked at again as time passes") {
  CoordinatorHarness h(test::cib_with(
      "<primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><meta_attributes id=\"A-m\">"
      "<nvpair id=\"A-ft\" name=\"failure-timeout\" value=\"10s\"/><nvpair id=\"A-mt\" name=\"migration-threshold\" value=\"1\"/>"
      "</meta_attributes><operations><op id=\"A-mon\" name=\"monitor\" interval=\"10s\"/></operations></primitive>"));
  const uint32_t on = settle_with_a_started(h);
  core::control::Execute mon;
  mon.node = on;
  mon.request = {"A", "ocf", "pacemaker", "Dummy", "monitor", 10000};
  h.result(mon, OcfRc::not_running);  // fails: banned from that node (threshold 1)
  auto moved = h.run_until_executes();
  const uint32_t other = on == 1 ? 2 : 1;
  for (int i = 0; i < 20 && !moved.executes.empty(); ++i) {
    Effects next;
    for (const auto& x : moved.executes) {
      auto fx = h.result(x, OcfRc::ok);
      if (!fx.executes.empty()) next = fx;
    }
    moved = next.executes.empty() ? h.tick() : next;
  }
  // Later the failure expires: a schedule runs again (the fail count is cleared
  // by the scheduler's expiry, nothing else changed) without any event.
  const int64_t t0 = h.now_ms;
  const uint64_t before = h.co.state().schedules;
  while (h.now_ms < t0 + 5000) h.tick();
  CHECK(h.co.state().schedules >= before + 4);  // about once a second while the failure may expire
  (void)other;
}

TEST_CASE("coordinator: results get call ids above the node's history, rising, whatever the executor numbered") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  settle_with_a_started(h);
  core::Cib cib = core::read_cib(h.doc);
  size_t seen = 0;
  for (const auto& ns : cib.node_states) {
    std::vector<int> ids;
    for (const auto& lr : ns.resources)
      for (const auto& op : lr.ops) ids.push_back(op.call_id);
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());  // one number per result on a node
    for (int id : ids) CHECK(id >= 1);
    seen += ids.size();
  }
  CHECK(seen >= 2);
}

TEST_CASE("coordinator: a live move of an allow-migrate resource is a stop and a start (migration not executed live)") {
  CoordinatorHarness h(test::cib_with(
      "<primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><meta_attributes id=\"A-m\">"
      "<nvpair id=\"A-am\" name=\"allow-migrate\" value=\"true\"/></meta_attributes></primitive>"));
  const uint32_t on = settle_with_a_started(h);
  const uint32_t other = on == 1 ? 2 : 1;
  auto moved = test::cib_with(
      "<primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><meta_attributes id=\"A-m\">"
      "<nvpair id=\"A-am\" name=\"allow-migrate\" value=\"true\"/></meta_attributes></primitive>",
      "<rsc_location id=\"l\" rsc=\"A\" node=\"n" + std::to_string(other) + "\" score=\"INFINITY\"/>");
  // The same status, a newer configuration.
  core::Element* status = h.doc.status_section();
  moved.status_section()->Parent()->DeleteChild(moved.status_section());
  moved.root()->InsertEndChild(status->DeepClone(moved.root()->GetDocument()));
  moved.root()->SetAttribute("epoch", 9);
  h.doc = std::move(moved);
  h.on(core::control::CibChanged{false});
  auto fx = h.run_until_executes();
  auto d = describe(fx);
  CHECK(has(d, "stop A on n" + std::to_string(on)));
  for (const auto& x : fx.executes) CHECK(x.request.action.rfind("migrate", 0) != 0);
}

TEST_CASE("coordinator: a first hello from a node already sent actions means its earlier hello was lost: re-probed") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  settle_with_a_started(h);  // no hello from n2 reached this DC
  h.on(core::control::HelloReceived{2, "s9", 1});
  auto probes = h.run_until_executes();
  CHECK(has(describe(probes), "probe A on n2"));
}

TEST_CASE("coordinator: a node that says leave during the DC's grace keeps its mark and gets leave_done") {
  CoordinatorHarness h(test::cib_with(test::dummy("A")));
  h.on(core::control::ViewChanged{});      // in the grace: no term yet
  h.on(core::control::LeaveReceived{1});   // the DC's own node is being stopped
  bool released = false;
  for (int i = 0; i < 40 && !released; ++i) {
    auto fx = h.tick();
    for (const auto& x : fx.executes) h.result(x, OcfRc::not_running);
    released = std::find(fx.leave_done.begin(), fx.leave_done.end(), 1u) != fx.leave_done.end();
  }
  CHECK(released);
  CHECK(core::has_shutdown_mark(h.doc, "n1"));
}
