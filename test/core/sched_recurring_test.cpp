// Recurring monitors of resources that stay where they are, and the timeout
// each action carries (core/scheduler/recurring_ops.h, action_timeout.h), as
// Pacemaker's graph has them: a resource found running (after a probe, a DC
// change, a new op) gets its monitors; one whose monitors are in its history
// gets none.
#include <doctest/doctest.h>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/duration.h"
#include "core/scheduler/transition.h"
#include "core/status_update.h"

using namespace hactl::core;

namespace {

std::string op_entry(const std::string& rsc, const std::string& task, int64_t interval, int call, int rc = 0,
                     int status = 0) {
  const std::string key = rsc + "_" + task + "_" + std::to_string(interval);
  return "<lrm_rsc_op id=\"" + key + "_" + std::to_string(call) + "\" operation_key=\"" + key + "\" operation=\"" +
         task + "\" transition-key=\"1:1:0:t\" transition-magic=\"0:" + std::to_string(rc) + ";1:1:0:t\" call-id=\"" +
         std::to_string(call) + "\" rc-code=\"" + std::to_string(rc) + "\" op-status=\"" + std::to_string(status) +
         "\" interval=\"" + std::to_string(interval) + "\" last-rc-change=\"1\"/>";
}

// Two online nodes; `ops` inside primitive R (ocf:heartbeat:Dummy), whose
// history on n1 is `history` (none at all if empty); R has been probed on n2
// (not running there).
// `op_defaults` is a whole <op_defaults> section.
std::string cib_with(const std::string& ops, const std::string& history, const std::string& constraints = "",
                     const std::string& meta = "", const std::string& op_defaults = "") {
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" crm_feature_set=\"3.16.1\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
         "value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/>"
         "<node id=\"2\" uname=\"n2\"/></nodes><resources><primitive id=\"R\" class=\"ocf\" provider=\"heartbeat\" "
         "type=\"Dummy\">" + meta + "<operations>" + ops + "</operations></primitive></resources><constraints>" +
         constraints + "</constraints>" + op_defaults + "</configuration><status>"
         "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">"
         "<lrm id=\"1\"><lrm_resources>" +
         (history.empty() ? "" : "<lrm_resource id=\"R\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" +
                                     history + "</lrm_resource>") +
         "</lrm_resources></lrm></node_state>"
         "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">"
         "<lrm id=\"2\"><lrm_resources><lrm_resource id=\"R\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" +
         op_entry("R", "monitor", 0, 1, 7) + "</lrm_resource></lrm_resources></lrm></node_state></status></cib>";
}

const std::string kMon10 = "<op id=\"R-mon10\" name=\"monitor\" interval=\"10s\" timeout=\"2h\"/>";
const std::string kMon30 = "<op id=\"R-mon30\" name=\"monitor\" interval=\"30s\" timeout=\"45s\"/>";

Transition run(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  return schedule(read_cib(*doc), {});
}

std::vector<const Action*> of_kind(const Transition& t, ActionKind kind) {
  std::vector<const Action*> out;
  for (const auto& a : t.actions)
    if (a.kind == kind) out.push_back(&a);
  return out;
}

std::vector<int64_t> monitor_intervals(const Transition& t) {
  std::vector<int64_t> out;
  for (const Action* a : of_kind(t, ActionKind::monitor)) out.push_back(a->interval_ms);
  return out;
}

}  // namespace

TEST_CASE("recurring: a resource kept in place with no monitor in its history gets one there") {
  Transition t = run(cib_with(kMon10, op_entry("R", "start", 0, 2)));
  CHECK(of_kind(t, ActionKind::start).empty());
  CHECK(of_kind(t, ActionKind::stop).empty());
  auto mons = of_kind(t, ActionKind::monitor);
  REQUIRE(mons.size() == 1);
  CHECK(mons[0]->node == "n1");
  CHECK(mons[0]->interval_ms == 10000);
  CHECK(mons[0]->key() == "R_monitor_10000");
  CHECK(mons[0]->runnable);
  CHECK_FALSE(mons[0]->optional);
  CHECK(mons[0]->timeout_ms == 7'200'000);  // "2h"
  CHECK(t.summary.empty());  // a monitor is not a Transition Summary line
}

TEST_CASE("recurring: a monitor recorded since the last start is left alone") {
  Transition t = run(cib_with(kMon10, op_entry("R", "start", 0, 2) + op_entry("R", "monitor", 10000, 3)));
  CHECK(t.actions.empty());
  // Pacemaker does not look at the monitor's result: a failure is handled as
  // one (a recovery, whose start re-creates the monitor).
}

TEST_CASE("recurring: each configured interval is checked on its own") {
  Transition t = run(cib_with(kMon10 + kMon30, op_entry("R", "start", 0, 2) + op_entry("R", "monitor", 30000, 3)));
  CHECK(monitor_intervals(t) == std::vector<int64_t>{10000});
}

TEST_CASE("recurring: adopted after a probe found it running, it gets its monitors") {
  Transition t = run(cib_with(kMon10 + kMon30, op_entry("R", "monitor", 0, 2, 0)));
  CHECK(of_kind(t, ActionKind::start).empty());
  CHECK(monitor_intervals(t) == std::vector<int64_t>{10000, 30000});
}

TEST_CASE("recurring: a monitor older than the last start, or still pending, does not count") {
  Transition older = run(cib_with(kMon10, op_entry("R", "monitor", 10000, 2) + op_entry("R", "start", 0, 3)));
  CHECK(monitor_intervals(older) == std::vector<int64_t>{10000});
  Transition pending =
      run(cib_with(kMon10, op_entry("R", "start", 0, 2) + op_entry("R", "monitor", 10000, 3, 0, -1)));
  CHECK(monitor_intervals(pending) == std::vector<int64_t>{10000});
}

TEST_CASE("recurring: disabled ops, other roles and ops configured twice get no monitor") {
  const std::string start = op_entry("R", "start", 0, 2);
  CHECK(run(cib_with("<op id=\"a\" name=\"monitor\" interval=\"10s\" enabled=\"false\"/>", start)).actions.empty());
  CHECK(run(cib_with("<op id=\"a\" name=\"monitor\" interval=\"10s\" role=\"Stopped\"/>", start)).actions.empty());
  CHECK(run(cib_with("<op id=\"a\" name=\"monitor\" interval=\"10s\" role=\"Promoted\"/>", start)).actions.empty());
  CHECK(run(cib_with("<op id=\"a\" name=\"monitor\" interval=\"10s\"/><op id=\"b\" name=\"monitor\" interval=\"10\"/>",
                     start))
            .actions.empty());
  CHECK(monitor_intervals(run(cib_with("<op id=\"a\" name=\"monitor\" interval=\"10s\" role=\"Started\"/>", start))) ==
        std::vector<int64_t>{10000});
}

TEST_CASE("recurring: an unmanaged resource is still monitored, one in maintenance is not") {
  const std::string start = op_entry("R", "start", 0, 2);
  auto meta = [](const std::string& name) {
    return "<meta_attributes id=\"m\"><nvpair id=\"m1\" name=\"" + name + "\" value=\"" +
           (name == "is-managed" ? "false" : "true") + "\"/></meta_attributes>";
  };
  Transition unmanaged = run(cib_with(kMon10, start, "", meta("is-managed")));
  CHECK(monitor_intervals(unmanaged) == std::vector<int64_t>{10000});
  CHECK(run(cib_with(kMon10, start + op_entry("R", "monitor", 10000, 3), "", meta("is-managed"))).actions.empty());
  CHECK(run(cib_with(kMon10, start, "", meta("maintenance"))).actions.empty());
}

TEST_CASE("recurring: a resource that starts elsewhere gets its monitors after the start only") {
  // Banned from n1: it moves to n2, where the start is followed by its monitor.
  Transition t = run(cib_with(kMon10, op_entry("R", "start", 0, 2) + op_entry("R", "monitor", 10000, 3),
                              "<rsc_location id=\"l\" rsc=\"R\" node=\"n1\" score=\"-INFINITY\"/>"));
  auto mons = of_kind(t, ActionKind::monitor);
  REQUIRE(mons.size() == 1);
  CHECK(mons[0]->node == "n2");
  auto starts = of_kind(t, ActionKind::start);
  REQUIRE(starts.size() == 1);
  bool ordered = false;
  for (const auto& e : t.edges) ordered = ordered || (e.before == starts[0]->id && e.after == mons[0]->id);
  CHECK(ordered);
}

namespace {

std::string op_defaults(const std::string& timeout, const std::string& rule = "") {
  return "<op_defaults><meta_attributes id=\"od\">" + rule + "<nvpair id=\"od1\" name=\"timeout\" value=\"" + timeout +
         "\"/></meta_attributes></op_defaults>";
}

const Action* find_action(const Transition& t, ActionKind kind, const std::string& node) {
  for (const auto& a : t.actions)
    if (a.kind == kind && a.node == node) return &a;
  return nullptr;
}

// R stopped on n1 (probed on both nodes), so it starts on n1 (or n2).
std::string stopped_history() { return op_entry("R", "monitor", 0, 2, 7); }

}  // namespace

TEST_CASE("timeouts: the op's own, else op_defaults, else 20 s; probes borrow the shortest monitor's") {
  const std::string ops = kMon30 + kMon10 + "<op id=\"R-start\" name=\"start\" interval=\"0\" timeout=\"90s\"/>";
  Transition t = run(cib_with(ops, stopped_history(), "", "", op_defaults("1min")));
  const Action* start = of_kind(t, ActionKind::start).at(0);
  CHECK(start->timeout_ms == 90'000);
  for (const Action* m : of_kind(t, ActionKind::monitor))
    CHECK(m->timeout_ms == (m->interval_ms == 10000 ? 7'200'000 : 45'000));
  // No op for stop: op_defaults.
  Transition moved = run(cib_with(ops, op_entry("R", "start", 0, 2),
                                  "<rsc_location id=\"l\" rsc=\"R\" node=\"n1\" score=\"-INFINITY\"/>", "",
                                  op_defaults("1min")));
  REQUIRE(find_action(moved, ActionKind::stop, "n1") != nullptr);
  CHECK(find_action(moved, ActionKind::stop, "n1")->timeout_ms == 60'000);
  Transition plain = run(cib_with("", op_entry("R", "start", 0, 2),
                                  "<rsc_location id=\"l\" rsc=\"R\" node=\"n1\" score=\"-INFINITY\"/>"));
  CHECK(find_action(plain, ActionKind::stop, "n1")->timeout_ms == 20'000);
  CHECK(find_action(plain, ActionKind::start, "n2")->timeout_ms == 20'000);
}

TEST_CASE("timeouts: a probe's timeout is the shortest-interval monitor's, over op_defaults") {
  // Nothing in n1's history: R is probed there.
  std::string xml = cib_with(kMon30 + kMon10, "", "", "", op_defaults("1min"));
  Transition t = run(xml);
  const Action* probe = find_action(t, ActionKind::probe, "n1");
  REQUIRE(probe != nullptr);
  CHECK(probe->timeout_ms == 7'200'000);  // the 10 s monitor's 2h, not the 30 s one's 45 s
  // An explicit interval-0 monitor op wins.
  Transition own = run(cib_with(kMon10 + "<op id=\"p\" name=\"monitor\" interval=\"0\" timeout=\"5s\"/>", ""));
  CHECK(find_action(own, ActionKind::probe, "n1")->timeout_ms == 5'000);
}

TEST_CASE("timeouts: op_defaults rules for one op, and values crm_get_msec cannot read") {
  const std::string monitor_only =
      "<rule id=\"r\" score=\"INFINITY\"><op_expression id=\"e\" name=\"monitor\" interval=\"10s\"/></rule>";
  Transition t = run(cib_with("<op id=\"m\" name=\"monitor\" interval=\"10s\"/>", stopped_history(), "", "",
                              op_defaults("3min", monitor_only)));
  CHECK(of_kind(t, ActionKind::monitor).at(0)->timeout_ms == 180'000);
  CHECK(of_kind(t, ActionKind::start).at(0)->timeout_ms == 20'000);  // the rule is for the monitor only
  // Pacemaker's timeouts take no ISO 8601 (crm_get_msec): PT1M is unreadable, 20 s.
  Transition iso = run(cib_with("", stopped_history(), "", "", op_defaults("PT1M")));
  CHECK(of_kind(iso, ActionKind::start).at(0)->timeout_ms == 20'000);
}

TEST_CASE("timeouts: fencing and pseudo actions carry none") {
  for (const auto& a : run(cib_with(kMon10, stopped_history())).actions)
    if (a.kind == ActionKind::fence || a.kind == ActionKind::pseudo) CHECK(a.timeout_ms == 0);
}

TEST_CASE("parse_msec reads timeouts as crm_get_msec does") {
  CHECK(parse_msec("2h") == 7'200'000);
  CHECK(parse_msec("90s") == 90'000);
  CHECK(parse_msec("1min") == 60'000);
  CHECK(parse_msec("500ms") == 500);
  CHECK(parse_msec("10") == 10'000);
  CHECK(parse_msec(" 5 seconds ") == 5'000);
  CHECK(parse_msec("2HR") == 7'200'000);
  CHECK(parse_msec("1.5s") == 1'000);  // the fraction is cut off
  CHECK(parse_msec("1500us") == 1);
  CHECK(parse_msec("10msec") == 10);
  CHECK_FALSE(parse_msec("PT1M").has_value());
  CHECK_FALSE(parse_msec("1d").has_value());
  CHECK_FALSE(parse_msec("").has_value());
  CHECK_FALSE(parse_msec("s").has_value());
  CHECK_FALSE(parse_msec(".5s").has_value());
  CHECK_FALSE(parse_msec("-5s").has_value());
}

TEST_CASE("recurring: once its first result is recorded, the monitor is not asked for again") {
  // Adopted after a probe: the graph has the monitor; the executor reports
  // its first result, which the DC records; the next graph is empty.
  auto doc = CibDocument::parse(cib_with(kMon10, op_entry("R", "monitor", 0, 2, 0)));
  REQUIRE(doc.is_ok());
  Transition first = schedule(read_cib(*doc), {});
  REQUIRE(monitor_intervals(first) == std::vector<int64_t>{10000});
  const Action& m = *of_kind(first, ActionKind::monitor).at(0);
  record_op_result(*doc, "1", OpResult{m.node, m.rsc, "ocf", "heartbeat", "Dummy", m.task, m.interval_ms, 0, 0, -1, 5});
  CHECK(schedule(read_cib(*doc), {}).actions.empty());
  // A restart (stop, start) starts a fresh life: the monitor is needed again.
  for (const char* task : {"stop", "start"})
    record_op_result(*doc, "1", OpResult{"n1", "R", "ocf", "heartbeat", "Dummy", task, 0, 0, 0, -1, 6});
  CHECK(monitor_intervals(schedule(read_cib(*doc), {})) == std::vector<int64_t>{10000});
}
