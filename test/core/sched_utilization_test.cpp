// Utilization and placement-strategy (core/scheduler/utilization.cpp) on
// small CIBs with no history: where stopped resources start.
#include <doctest/doctest.h>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

std::string node(const std::string& name, int cpu) {
  return "<node id=\"" + name + "\" uname=\"" + name + "\"><utilization id=\"" + name + "-u\"><nvpair id=\"" + name +
         "-cpu\" name=\"cpu\" value=\"" + std::to_string(cpu) + "\"/></utilization></node>";
}

std::string rsc(const std::string& id, int cpu) {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><utilization id=\"" + id +
         "-u\"><nvpair id=\"" + id + "-cpu\" name=\"cpu\" value=\"" + std::to_string(cpu) + "\"/></utilization></primitive>";
}

std::string state(const std::string& name) {
  return "<node_state id=\"" + name + "\" uname=\"" + name +
         "\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>";
}

std::string cib(const std::string& strategy, const std::string& nodes, const std::string& resources,
                const std::string& states, const std::string& constraints = "") {
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" have-quorum=\"1\"><configuration><crm_config>"
         "<cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>"
         "<nvpair id=\"o2\" name=\"placement-strategy\" value=\"" + strategy + "\"/></cluster_property_set>"
         "</crm_config><nodes>" + nodes + "</nodes><resources>" + resources + "</resources><constraints>" +
         constraints + "</constraints></configuration><status>" + states + "</status></cib>";
}

std::string placement(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  Cib c = read_cib(*doc);
  Transition t = schedule(c, {});
  std::string out;
  for (const auto& p : t.placement) out += p.rsc + "=" + p.target.value_or("-") + ";";
  return out;
}

const std::string kTwoNodes = node("n1", 2) + node("n2", 4);
const std::string kStates = state("n1") + state("n2");

}  // namespace

TEST_CASE("utilization: the default strategy ignores capacities") {
  CHECK(placement(cib("default", kTwoNodes, rsc("A", 3) + rsc("B", 3), kStates)) == "A=n1;B=n2;");
}

TEST_CASE("utilization: a node without enough remaining capacity is not used") {
  // A (3 cpu) fits only n2; B (3 cpu) then fits nowhere.
  CHECK(placement(cib("utilization", kTwoNodes, rsc("A", 3) + rsc("B", 3), kStates)) == "A=n2;B=-;");
  // Small ones fill both nodes, then the rest stays stopped.
  CHECK(placement(cib("utilization", kTwoNodes, rsc("A", 2) + rsc("B", 2) + rsc("C", 2) + rsc("D", 2), kStates)) ==
        "A=n1;B=n2;C=n2;D=-;");
}

TEST_CASE("utilization: balanced prefers the node with more remaining capacity") {
  // With equal scores, default spreads by count (A n1, B n2); balanced puts
  // both 1-cpu resources on n2 while it has more left (4, 3 > 2).
  CHECK(placement(cib("balanced", kTwoNodes, rsc("A", 1) + rsc("B", 1), kStates)) == "A=n2;B=n2;");
  CHECK(placement(cib("utilization", kTwoNodes, rsc("A", 1) + rsc("B", 1), kStates)) == "A=n1;B=n2;");
}

TEST_CASE("utilization: minimal ignores the resource count and packs by node name") {
  CHECK(placement(cib("minimal", kTwoNodes, rsc("A", 1) + rsc("B", 1), kStates)) == "A=n1;B=n1;");
}

TEST_CASE("utilization: a colocated pair needs room for both on one node") {
  // B with A at INFINITY: together 3 cpu, only n2 can hold them.
  const std::string coloc = "<rsc_colocation id=\"c\" rsc=\"B\" with-rsc=\"A\" score=\"INFINITY\"/>";
  CHECK(placement(cib("utilization", kTwoNodes, rsc("A", 1) + rsc("B", 2), kStates, coloc)) == "A=n2;B=n2;");
}
