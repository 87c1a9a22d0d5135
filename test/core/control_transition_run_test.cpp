// TransitionRun and the status edits, without sockets.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/status_edits.h"
#include "core/control/transition_run.h"
#include "core/cib_model.h"
#include "core/resource_history.h"

using hactl::core::control::TransitionRun;
using hactl::core::Action;
using hactl::core::ActionKind;

namespace {

hactl::core::Transition chain() {
  // probe(0) -> start A(1) -> [pseudo 2] -> start B(3); monitor A (4) after 1; 5 unrunnable after 3.
  hactl::core::Transition t;
  auto add = [&](ActionKind k, const char* rsc, bool runnable = true) {
    Action a;
    a.id = static_cast<int>(t.actions.size());
    a.kind = k;
    a.rsc = rsc;
    a.node = "n1";
    a.task = k == ActionKind::start ? "start" : "monitor";
    a.runnable = runnable;
    t.actions.push_back(a);
  };
  add(ActionKind::probe, "A");
  add(ActionKind::start, "A");
  add(ActionKind::pseudo, "G");
  add(ActionKind::start, "B");
  add(ActionKind::monitor, "A");
  add(ActionKind::start, "C", false);
  t.edges = {{0, 1}, {1, 2}, {2, 3}, {1, 4}, {3, 5}};
  return t;
}

std::vector<int> ids(const std::vector<const Action*>& v) {
  std::vector<int> out;
  for (auto* a : v) out.push_back(a->id);
  return out;
}

}  // namespace

TEST_CASE("transition run: actions start only after their predecessors, pseudo actions pass through") {
  TransitionRun r(chain());
  CHECK(ids(r.take_ready()) == std::vector<int>{0});
  CHECK(r.take_ready().empty());  // each action is handed out once
  r.completed(0, true);
  CHECK(ids(r.take_ready()) == std::vector<int>{1});
  r.completed(1, true);
  CHECK(ids(r.take_ready()) == std::vector<int>{3, 4});  // 2 is pseudo: done at once
  CHECK(r.in_flight() == 2);
  CHECK_FALSE(r.idle());
  r.completed(3, true);
  r.completed(4, true);
  CHECK(r.take_ready().empty());  // 5 is unrunnable
  CHECK(r.idle());
  CHECK_FALSE(r.complete());  // the blocked action never ran
}

TEST_CASE("transition run: a failure aborts dispatch but in-flight actions are still awaited") {
  TransitionRun r(chain());
  r.take_ready();
  r.completed(0, true);
  r.take_ready();
  r.completed(1, true);
  r.take_ready();  // 3 and 4 in flight
  r.completed(4, false);
  CHECK(r.aborted());
  CHECK(r.abort_reason() == hactl::core::control::AbortReason::action_failed);
  CHECK_FALSE(r.idle());  // 3 still running
  r.completed(3, true);
  CHECK(r.idle());
  CHECK(r.take_ready().empty());
}

TEST_CASE("controller status: call ids keep rising across executor restarts; cleanup re-probes") {
  auto doc = hactl::core::CibDocument::empty();
  // call id 0: numbered above the node's history (executors restart and count from 1 again).
  hactl::core::OpResult start{"n1", "A", "ocf", "pacemaker", "Dummy", "start", 0, 0, 0, 0, 100};
  hactl::core::record_result(doc, "1", start, "");
  hactl::core::OpResult mon{"n1", "A", "ocf", "pacemaker", "Dummy", "monitor", 10000, 7, 0, 0, 110};
  hactl::core::record_result(doc, "1", mon, "gone");
  hactl::core::Cib cib = hactl::core::read_cib(doc);
  auto fc = hactl::core::fail_counts(cib);
  REQUIRE(fc.size() == 1);
  CHECK(fc[0].count == 1);
  int max_call = 0;
  for (auto& lr : cib.find_node_state("n1")->resources)
    for (auto& op : lr.ops) max_call = std::max(max_call, op.call_id);
  CHECK(max_call == 2);
  CHECK(doc.to_xml().find("exit-reason=\"gone\"") != std::string::npos);

  hactl::core::OpResult stop{"n1", "A", "ocf", "pacemaker", "Dummy", "stop", 0, 0, 0, 0, 120};
  hactl::core::record_result(doc, "1", stop, "");
  CHECK(doc.to_xml().find("id=\"A_monitor_10000\"") == std::string::npos);  // the stop cancelled it
  cib = hactl::core::read_cib(doc);
  const auto& a_ops = cib.find_node_state("n1")->resources.at(0).ops;  // its stop is recorded as done
  CHECK(std::any_of(a_ops.begin(), a_ops.end(), [](auto& op) { return op.operation == "stop" && op.rc_code == 0; }));

  CHECK(hactl::core::clear_failures(doc, "A", "", true) >= 2);
  cib = hactl::core::read_cib(doc);
  CHECK(hactl::core::fail_counts(cib).empty());
  CHECK(cib.find_node_state("n1")->resources.empty());
}

TEST_CASE("controller status: a lost member stays expected (unclean); a shut-down one is cleanly offline") {
  hactl::core::ClusterConf conf;
  conf.nodes = {{1, "n1", "127.0.0.1", 0}, {2, "n2", "127.0.0.2", 0}};
  auto doc = hactl::core::CibDocument::empty();
  CHECK(hactl::core::apply_membership(doc, conf, {1, 2}, true, 1));
  CHECK_FALSE(hactl::core::apply_membership(doc, conf, {1, 2}, true, 1));
  CHECK(hactl::core::apply_membership(doc, conf, {1}, true, 1));
  auto cib = hactl::core::read_cib(doc);
  CHECK(cib.find_node_state("n2")->expected == "member");
  CHECK(cib.find_node_state("n2")->in_ccm == "false");

  hactl::core::apply_membership(doc, conf, {1, 2}, true, 1);
  hactl::core::set_shutdown_mark(doc, "2", "n2", 5);
  hactl::core::apply_membership(doc, conf, {1}, true, 1);
  cib = hactl::core::read_cib(doc);
  CHECK(cib.find_node_state("n2")->expected == "down");
  CHECK_FALSE(hactl::core::has_shutdown_mark(doc, "n2"));
}
