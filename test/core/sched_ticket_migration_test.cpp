// Tickets (rsc_ticket, core/scheduler/tickets.cpp) and live migration
// (allow-migrate, core/scheduler/migration.cpp) on small two-node CIBs.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

// Two nodes, fencing as `stonith` says; `resources` and `constraints`
// configured; primitive `running` (if any) started on n1; `tickets` is the
// status section's <tickets> content; `n1_attrs` node attributes of n1.
std::string cib_with(const std::string& resources, const std::string& constraints, const std::string& running,
                     const std::string& tickets = "", const std::string& n1_attrs = "", bool stonith = false) {
  std::string history;
  if (!running.empty())
    history = "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"" + running +
              "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><lrm_rsc_op id=\"" + running +
              "_last_0\" operation_key=\"" + running +
              "_start_0\" operation=\"start\" transition-key=\"1:1:0:t\" transition-magic=\"0:0;1:1:0:t\" "
              "call-id=\"2\" rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change=\"1\"/></lrm_resource>"
              "</lrm_resources></lrm>";
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" crm_feature_set=\"3.16.1\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
         "value=\"" + std::string(stonith ? "true" : "false") + "\"/></cluster_property_set></crm_config><nodes>"
         "<node id=\"1\" uname=\"n1\">" + n1_attrs + "</node><node id=\"2\" uname=\"n2\"/></nodes><resources>" +
         resources + (stonith ? "<primitive id=\"fence\" class=\"stonith\" type=\"fence_dummy\"/>" : "") +
         "</resources><constraints>" + constraints + "</constraints></configuration><status>"
         "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">" +
         history + "</node_state>"
         "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>" +
         (tickets.empty() ? "" : "<tickets>" + tickets + "</tickets>") + "</status></cib>";
}

std::string dummy(const std::string& id, const std::string& meta = "") {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" +
         (meta.empty() ? "" : "<meta_attributes id=\"" + id + "-m\">" + meta + "</meta_attributes>") + "</primitive>";
}

std::string ticket_on(const std::string& rsc, const std::string& loss_policy) {
  return "<rsc_ticket id=\"" + rsc + "-needs-T\" rsc=\"" + rsc + "\" ticket=\"T\"" +
         (loss_policy.empty() ? "" : " loss-policy=\"" + loss_policy + "\"") + "/>";
}

const std::string kGranted = "<ticket_state id=\"T\" granted=\"true\"/>";
const std::string kRevoked = "<ticket_state id=\"T\" granted=\"false\"/>";
const std::string kStandby = "<ticket_state id=\"T\" granted=\"true\" standby=\"true\"/>";
const std::string kN1Standby =
    "<instance_attributes id=\"n1-a\"><nvpair id=\"n1-s\" name=\"standby\" value=\"on\"/></instance_attributes>";
const std::string kMigratable = "<nvpair id=\"am\" name=\"allow-migrate\" value=\"true\"/>";

Transition run(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  Cib cib = read_cib(*doc);
  return schedule(cib, {});
}

std::string summary(const Transition& t) {
  std::string out;
  for (const auto& s : t.summary) {
    out += s.verb + " " + s.rsc + " " + s.from + ">" + s.to;
    if (!s.reason.empty()) out += " due to " + s.reason;
    out += ";";
  }
  return out;
}

const Action* find(const Transition& t, ActionKind kind, const std::string& rsc, const std::string& task) {
  for (const auto& a : t.actions)
    if (a.kind == kind && a.rsc == rsc && a.task == task) return &a;
  return nullptr;
}

bool ordered(const Transition& t, const Action* before, const Action* after) {
  return std::any_of(t.edges.begin(), t.edges.end(),
                     [&](const OrderingEdge& e) { return e.before == before->id && e.after == after->id; });
}

}  // namespace

TEST_CASE("ticket: a resource starts only while its ticket is granted and not in standby") {
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", ""), "", kGranted))) == "Start A >n1;");
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", ""), "", kRevoked))).empty());
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", ""), "", kStandby))).empty());
  // A ticket the status does not mention has never been granted.
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", ""), ""))).empty());
}

TEST_CASE("ticket: losing it applies the loss-policy to the active resource") {
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", "stop"), "A", kGranted))).empty());
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", "stop"), "A", kRevoked))) ==
        "Stop A n1> due to node availability;");
  // demote means stop for a resource without roles.
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", "demote"), "A", kRevoked))) ==
        "Stop A n1> due to node availability;");
  // freeze: left where it is, untouched.
  Transition frozen = run(cib_with(dummy("A"), ticket_on("A", "freeze"), "A", kRevoked));
  CHECK(summary(frozen).empty());
  REQUIRE(frozen.find("A") != nullptr);
  CHECK_FALSE(frozen.find("A")->managed);
  CHECK(frozen.find("A")->target == std::optional<std::string>("n1"));
  // standby: a graceful stop whatever the policy.
  CHECK(summary(run(cib_with(dummy("A"), ticket_on("A", "freeze"), "A", kStandby))) ==
        "Stop A n1> due to node availability;");
}

TEST_CASE("ticket: loss-policy=fence fences the nodes it runs on, or is stop without fencing") {
  Transition t = run(cib_with(dummy("A"), ticket_on("A", "fence"), "A", kRevoked, "", true));
  REQUIRE_FALSE(t.summary.empty());
  CHECK(t.summary[0].verb == "Fence (reboot)");
  CHECK(t.summary[0].rsc == "n1");
  CHECK(t.summary[0].reason == "deadman ticket was lost");
  Transition no_fencing = run(cib_with(dummy("A"), ticket_on("A", "fence"), "A", kRevoked));
  CHECK(summary(no_fencing) == "Stop A n1> due to node availability;");
  CHECK(std::any_of(no_fencing.warnings.begin(), no_fencing.warnings.end(),
                    [](const std::string& w) { return w.find("resetting loss-policy") != std::string::npos; }));
}

TEST_CASE("ticket: a resource set and a group depend member by member") {
  const std::string set = "<rsc_ticket id=\"t\" ticket=\"T\"><resource_set id=\"s\"><resource_ref id=\"A\"/>"
                          "<resource_ref id=\"B\"/></resource_set></rsc_ticket>";
  CHECK(summary(run(cib_with(dummy("A") + dummy("B"), set, "", kRevoked))).empty());
  CHECK(summary(run(cib_with(dummy("A") + dummy("B"), set, "", kGranted))) == "Start A >n1;Start B >n2;");
  const std::string group = "<group id=\"G\">" + dummy("A") + dummy("B") + "</group>";
  CHECK(summary(run(cib_with(group, ticket_on("G", ""), "", kRevoked))).empty());
  Transition unknown = run(cib_with(dummy("A"), ticket_on("Nope", ""), "", kRevoked));
  CHECK(summary(unknown) == "Start A >n1;");
  CHECK_FALSE(unknown.warnings.empty());
}

TEST_CASE("migration: a migratable resource leaving a standby node is migrated, not restarted") {
  Transition t = run(cib_with(dummy("A", kMigratable), "", "A", "", kN1Standby));
  CHECK(summary(t) == "Migrate A n1>n2;");
  const Action* to = find(t, ActionKind::migrate_to, "A", "migrate_to");
  const Action* from = find(t, ActionKind::migrate_from, "A", "migrate_from");
  const Action* stop = find(t, ActionKind::stop, "A", "stop");
  const Action* start = find(t, ActionKind::pseudo, "A", "start");
  REQUIRE(to != nullptr);
  REQUIRE(from != nullptr);
  REQUIRE(stop != nullptr);
  REQUIRE(start != nullptr);  // the start only marks the migration's end
  CHECK(to->node == "n1");
  CHECK(from->node == "n2");
  CHECK(stop->node == "n1");
  CHECK(find(t, ActionKind::start, "A", "start") == nullptr);
  CHECK(ordered(t, to, from));
  CHECK(ordered(t, from, stop));
  CHECK(ordered(t, from, start));
  CHECK(to->id < from->id);
  CHECK(from->id < stop->id);  // executed in that order
}

TEST_CASE("migration: not without allow-migrate, and not for a failed or unmanaged resource") {
  CHECK(summary(run(cib_with(dummy("A"), "", "A", "", kN1Standby))) == "Move A n1>n2;");
  const std::string unmanaged = kMigratable + "<nvpair id=\"um\" name=\"is-managed\" value=\"false\"/>";
  CHECK(summary(run(cib_with(dummy("A", unmanaged), "", "A", "", kN1Standby))).empty());
  Transition t = run(cib_with(dummy("A", kMigratable), "", "A", "", kN1Standby));
  CHECK(find(t, ActionKind::migrate_to, "A", "migrate_to") != nullptr);
}

TEST_CASE("migration: after a resource that moves by stop and start it cannot migrate") {
  // A (not migratable) then B (migratable), both leaving n1: B's migrate_to
  // would wait for A's stop, which waits for B: B moves by stop and start.
  const std::string both = dummy("A") + dummy("B", kMigratable);
  const std::string order = "<rsc_order id=\"o\" first=\"A\" then=\"B\"/>";
  const std::string xml = cib_with(both, order, "A", "", kN1Standby);
  // B has to be running on n1 too: add its history next to A's.
  std::string with_b = xml;
  const std::string b_history =
      "<lrm_resource id=\"B\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><lrm_rsc_op id=\"B_last_0\" "
      "operation_key=\"B_start_0\" operation=\"start\" transition-key=\"1:1:0:t\" transition-magic=\"0:0;1:1:0:t\" "
      "call-id=\"3\" rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change=\"1\"/></lrm_resource>";
  with_b.insert(with_b.find("</lrm_resources>"), b_history);
  CHECK(summary(run(with_b)) == "Move A n1>n2;Move B n1>n2 due to unrunnable A stop;");
  // The other way round both move, A by migration, and B, which stays
  // behind A's start, is not restarted by it.
  const std::string reversed = dummy("A", kMigratable) + dummy("B");
  std::string rev = cib_with(reversed, order, "A", "", kN1Standby);
  rev.insert(rev.find("</lrm_resources>"), b_history);
  CHECK(summary(run(rev)) == "Migrate A n1>n2;Move B n1>n2;");
}
