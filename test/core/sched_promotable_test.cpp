// Promotable clones: which instance is promoted (node attribute master-<rsc>,
// promoted-max, Promoted-role locations and colocations), the promote and
// demote actions with their pseudo actions and orderings, the summary lines
// with roles, and the roles the status view reads back from history.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

// Three nodes; node N's transient attributes `attrs[N-1]` and history `history[N-1]`.
std::string cib_with(const std::string& resources, const std::string& constraints,
                     const std::vector<std::string>& attrs = {}, const std::vector<std::string>& history = {}) {
  std::string states;
  for (int i = 1; i <= 3; ++i) {
    std::string id = std::to_string(i);
    const std::string a = i <= static_cast<int>(attrs.size()) ? attrs[i - 1] : "";
    const std::string h = i <= static_cast<int>(history.size()) ? history[i - 1] : "";
    states += "<node_state id=\"" + id + "\" uname=\"n" + id +
              "\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"><transient_attributes id=\"t" +
              id + "\"><instance_attributes id=\"ta" + id + "\">" + a +
              "</instance_attributes></transient_attributes><lrm id=\"" + id + "\"><lrm_resources>" + h +
              "</lrm_resources></lrm></node_state>";
  }
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" crm_feature_set=\"3.16.1\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
         "value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/>"
         "<node id=\"2\" uname=\"n2\"/><node id=\"3\" uname=\"n3\"/></nodes><resources>" +
         resources + "</resources><constraints>" + constraints + "</constraints></configuration><status>" + states +
         "</status></cib>";
}

std::string promotable(const std::string& meta = "") {
  return "<clone id=\"db-clone\"><meta_attributes id=\"m\"><nvpair id=\"mp\" name=\"promotable\" value=\"true\"/>" +
         meta + "</meta_attributes><primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"/></clone>";
}

std::string score(const std::string& rsc, int value) {
  return "<nvpair id=\"s-" + rsc + "\" name=\"master-" + rsc + "\" value=\"" + std::to_string(value) + "\"/>";
}

// History of `id`: its last operation `op` with result `rc` (expected the same).
std::string history(const std::string& id, const std::string& op, int rc) {
  const std::string rcs = std::to_string(rc);
  return "<lrm_resource id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"><lrm_rsc_op id=\"" +
         id + "_last_0\" operation_key=\"" + id + "_" + op + "_0\" operation=\"" + op +
         "\" transition-key=\"1:1:" + rcs + ":t\" transition-magic=\"0:" + rcs + ";1:1:" + rcs +
         ":t\" call-id=\"2\" rc-code=\"" + rcs + "\" op-status=\"0\" interval=\"0\" last-rc-change=\"1\"/></lrm_resource>";
}

Cib parse(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  return read_cib(*doc);
}

int find_action(const Transition& t, const std::string& key, const std::string& node = "") {
  for (const auto& a : t.actions)
    if (a.key() == key && (node.empty() || a.node == node)) return a.id;
  return -1;
}

bool ordered(const Transition& t, int before, int after) {
  return std::any_of(t.edges.begin(), t.edges.end(),
                     [&](const OrderingEdge& e) { return e.before == before && e.after == after; });
}

const SummaryItem* line_of(const Transition& t, const std::string& rsc) {
  for (const auto& s : t.summary)
    if (s.rsc == rsc) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("promotable: the highest master-<rsc> score is promoted after its start, the others only start") {
  Transition t = schedule(parse(cib_with(promotable(), "", {score("db", 5), score("db", 10), score("db", 1)})), {});
  REQUIRE(t.summary.size() == 3);
  const SummaryItem* promoted = nullptr;
  int starts = 0;
  for (const auto& s : t.summary) {
    if (s.verb == "Promote") promoted = &s;
    if (s.verb == "Start") ++starts;
  }
  REQUIRE(promoted != nullptr);
  CHECK(promoted->details == "Stopped -> Promoted n2");
  CHECK(starts == 2);
  int start = find_action(t, promoted->rsc + "_start_0", "n2"), promote = find_action(t, promoted->rsc + "_promote_0", "n2");
  int running = find_action(t, "db-clone_running_0"), clone_promote = find_action(t, "db-clone_promote_0");
  int clone_promoted = find_action(t, "db-clone_promoted_0");
  REQUIRE(start >= 0);
  REQUIRE(promote >= 0);
  REQUIRE(clone_promote >= 0);
  REQUIRE(clone_promoted >= 0);
  CHECK(t.actions[promote].kind == ActionKind::promote);
  CHECK(ordered(t, start, promote));
  CHECK(ordered(t, running, clone_promote));
  CHECK(ordered(t, clone_promote, promote));
  CHECK(ordered(t, promote, clone_promoted));
}

TEST_CASE("promotable: without any promotion score nothing is promoted") {
  Transition t = schedule(parse(cib_with(promotable(), "")), {});
  REQUIRE(t.summary.size() == 3);
  for (const auto& s : t.summary) CHECK(s.verb == "Start");
  CHECK(find_action(t, "db-clone_promote_0") < 0);
}

TEST_CASE("promotable: promoted-max and the legacy master-max allow two promoted instances") {
  for (const char* name : {"promoted-max", "master-max"}) {
    CAPTURE(name);
    const std::string meta = std::string("<nvpair id=\"pm\" name=\"") + name + "\" value=\"2\"/>";
    Transition t = schedule(parse(cib_with(promotable(meta), "", {score("db", 5), score("db", 10), score("db", 1)})), {});
    std::vector<std::string> promoted_on;
    for (const auto& s : t.summary)
      if (s.verb == "Promote") promoted_on.push_back(s.to);
    std::sort(promoted_on.begin(), promoted_on.end());
    CHECK(promoted_on == std::vector<std::string>{"n1", "n2"});
  }
}

TEST_CASE("promotable: a location constraint for the Promoted role outweighs the attribute") {
  const std::string loc = "<rsc_location id=\"l\" rsc=\"db-clone\" node=\"n3\" score=\"100\" role=\"Promoted\"/>";
  Transition t = schedule(parse(cib_with(promotable(), loc, {score("db", 5), score("db", 10), score("db", 1)})), {});
  int promotes = 0;
  for (const auto& s : t.summary)
    if (s.verb == "Promote") {
      ++promotes;
      CHECK(s.to == "n3");
    }
  CHECK(promotes == 1);
}

TEST_CASE("promotable: a promoted instance whose score is gone is demoted; a better one is promoted in place") {
  // n1 runs the promoted instance (monitor rc 8), n2 an unpromoted one; only n2 has a score now.
  Transition t = schedule(parse(cib_with(promotable("<nvpair id=\"cm\" name=\"clone-max\" value=\"2\"/>"), "",
                                         {"", score("db", 10)},
                                         {history("db", "monitor", 8), history("db", "start", 0)})),
                          {});
  REQUIRE(t.summary.size() == 2);
  const SummaryItem* demote = nullptr;
  const SummaryItem* promote = nullptr;
  for (const auto& s : t.summary) {
    if (s.verb == "Demote") demote = &s;
    if (s.verb == "Promote") promote = &s;
  }
  REQUIRE(demote != nullptr);
  REQUIRE(promote != nullptr);
  CHECK(demote->details == "Promoted -> Unpromoted n1");
  CHECK(promote->details == "Unpromoted -> Promoted n2");
  int d = find_action(t, demote->rsc + "_demote_0", "n1"), p = find_action(t, promote->rsc + "_promote_0", "n2");
  int demoted = find_action(t, "db-clone_demoted_0"), clone_promote = find_action(t, "db-clone_promote_0");
  REQUIRE(d >= 0);
  REQUIRE(p >= 0);
  CHECK(t.actions[d].kind == ActionKind::demote);
  CHECK(ordered(t, d, demoted));
  CHECK(ordered(t, demoted, clone_promote));
}

TEST_CASE("promotable: a promoted instance that must stop is demoted first, and its line names the role") {
  const std::string ban = "<rsc_location id=\"l\" rsc=\"db-clone\" node=\"n1\" score=\"-INFINITY\"/>";
  Transition t = schedule(parse(cib_with(promotable("<nvpair id=\"cm\" name=\"clone-max\" value=\"1\"/>"), ban,
                                         {score("db", 10)}, {history("db", "promote", 0)})),
                          {});
  const SummaryItem* s = line_of(t, "db:0");
  REQUIRE(s != nullptr);
  CHECK(s->verb == "Move");
  CHECK(s->details == "Promoted n1 -> Unpromoted n2");
  int d = find_action(t, "db:0_demote_0", "n1"), stop = find_action(t, "db:0_stop_0", "n1");
  REQUIRE(d >= 0);
  REQUIRE(stop >= 0);
  CHECK(ordered(t, d, stop));
}

TEST_CASE("promotable: a resource colocated with the Promoted role follows the promoted instance") {
  const std::string web = "<primitive id=\"web\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>";
  const std::string col =
      "<rsc_colocation id=\"c\" rsc=\"web\" with-rsc=\"db-clone\" with-rsc-role=\"Promoted\" score=\"INFINITY\"/>";
  Transition t = schedule(parse(cib_with(promotable() + web, col, {score("db", 5), score("db", 1), score("db", 20)})), {});
  const ResourcePlacement* p = t.find("web");
  REQUIRE(p != nullptr);
  CHECK(p->target == std::optional<std::string>("n3"));
}

TEST_CASE("promotable: a Promoted-role colocation with a stopped resource keeps every instance unpromoted") {
  const std::string web = "<primitive id=\"web\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><meta_attributes "
                          "id=\"wm\"><nvpair id=\"wt\" name=\"target-role\" value=\"Stopped\"/></meta_attributes></primitive>";
  const std::string col =
      "<rsc_colocation id=\"c\" rsc=\"db-clone\" rsc-role=\"Promoted\" with-rsc=\"web\" score=\"INFINITY\"/>";
  Transition t = schedule(parse(cib_with(promotable() + web, col, {score("db", 5), score("db", 1), score("db", 20)})), {});
  for (const auto& s : t.summary) CHECK(s.verb == "Start");
  CHECK(t.summary.size() == 3);
}

TEST_CASE("promotable status: roles read back from history (promote, monitor rc 8, demote)") {
  Cib cib = parse(cib_with(promotable(), "", {},
                           {history("db", "promote", 0), history("db", "monitor", 8), history("db", "demote", 0)}));
  ClusterStatus cs = cluster_status(cib, 0);
  REQUIRE(cs.resources.size() == 1);
  const TopLevelStatus& t = cs.resources[0];
  CHECK(t.promotable);
  std::vector<std::string> promoted, unpromoted;
  for (const auto& p : t.primitives) {
    if (p.role == "Promoted") promoted.push_back(p.running_on.at(0));
    if (p.role == "Unpromoted") unpromoted.push_back(p.running_on.at(0));
  }
  std::sort(promoted.begin(), promoted.end());
  CHECK(promoted == std::vector<std::string>{"n1", "n2"});
  CHECK(unpromoted == std::vector<std::string>{"n3"});
}
