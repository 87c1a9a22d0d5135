// Clones: the model, anonymous history matching, the clone's pseudo actions
// and orderings, probes and the status view. The placement decisions are
// golden files (test/scheduler/clone-*), checked against crm_simulate.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

// Three nodes; `resources` and `constraints` configured; `history` is n1's
// lrm_resources content.
std::string cib_with(const std::string& resources, const std::string& constraints = "", const std::string& history = "") {
  std::string states;
  for (int i = 1; i <= 3; ++i) {
    std::string id = std::to_string(i);
    states += "<node_state id=\"" + id + "\" uname=\"n" + id +
              "\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"><lrm id=\"" + id +
              "\"><lrm_resources>" + (i == 1 ? history : "") + "</lrm_resources></lrm></node_state>";
  }
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" crm_feature_set=\"3.16.1\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
         "value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/>"
         "<node id=\"2\" uname=\"n2\"/><node id=\"3\" uname=\"n3\"/></nodes><resources>" +
         resources + "</resources><constraints>" + constraints + "</constraints></configuration><status>" + states +
         "</status></cib>";
}

std::string dummy(const std::string& id) {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>";
}

std::string clone(const std::string& meta = "") {
  return "<clone id=\"dlm-clone\"><meta_attributes id=\"m\">" + meta + "</meta_attributes>" + dummy("dlm") + "</clone>";
}

std::string started(const std::string& id) {
  return "<lrm_resource id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><lrm_rsc_op id=\"" + id +
         "_last_0\" operation_key=\"" + id + "_start_0\" operation=\"start\" transition-key=\"1:1:0:t\" "
         "transition-magic=\"0:0;1:1:0:t\" call-id=\"2\" rc-code=\"0\" op-status=\"0\" interval=\"0\" "
         "last-rc-change=\"1\"/></lrm_resource>";
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

}  // namespace

TEST_CASE("clone model: a clone of a primitive is read with its meta attributes; <master> as a promotable clone") {
  Cib cib = parse(cib_with(clone("<nvpair id=\"m1\" name=\"clone-max\" value=\"2\"/>") +
                           "<master id=\"ms\">" + dummy("drbd") + "</master>"));
  REQUIRE(cib.clones.size() == 2);
  CHECK(cib.clones[0].id == "dlm-clone");
  CHECK_FALSE(cib.clones[0].promotable);
  CHECK(cib.clones[1].id == "ms");
  CHECK(cib.clones[1].promotable);
  CHECK(cib.clones[0].child == "dlm");
  CHECK(cib.clones[0].meta.at("clone-max") == "2");
  const Primitive* p = cib.find_primitive("dlm");
  REQUIRE(p != nullptr);
  CHECK(p->clone == "dlm-clone");
  CHECK(p->meta.at("clone-max") == "2");  // inherited, as a group's meta
  CHECK(cib.unsupported.empty());
}

TEST_CASE("clone: clone-max defaults to the node count, instances are named rsc:N") {
  Transition t = schedule(parse(cib_with(clone())), {});
  REQUIRE(t.summary.size() == 3);
  CHECK(t.summary[0].rsc == "dlm:0");
  CHECK(t.summary[0].to == "n1");
  CHECK(t.summary[2].rsc == "dlm:2");
  CHECK(t.summary[2].to == "n3");
}

TEST_CASE("clone: history under any instance id belongs to the instance active on that node") {
  // Recorded as dlm:7 on n1: it is instance 0 there, which stays; one probe per node elsewhere.
  Transition t = schedule(parse(cib_with(clone("<nvpair id=\"m1\" name=\"clone-max\" value=\"1\"/>"), "", started("dlm:7"))), {});
  const ResourcePlacement* p = t.find("dlm:0");
  REQUIRE(p != nullptr);
  REQUIRE(p->current.size() == 1);
  CHECK(p->current[0] == "n1");
  CHECK(p->target == std::optional<std::string>("n1"));
  CHECK(t.summary.empty());
  int probes = 0;
  for (const auto& a : t.actions) probes += a.kind == ActionKind::probe;
  CHECK(probes == 2);  // n2 and n3, for the clone as a whole
  // Its simulated actions act on the entry the history has on that node.
  for (const auto& a : t.actions)
    if (a.kind == ActionKind::probe) CHECK(a.history_rsc == "dlm");
}

TEST_CASE("clone: instance starts sit between the clone's start and running pseudo actions; orderings use them") {
  Transition t = schedule(parse(cib_with(clone() + dummy("web"), "<rsc_order id=\"o\" first=\"dlm-clone\" then=\"web\"/>")), {});
  int start = find_action(t, "dlm-clone_start_0"), running = find_action(t, "dlm-clone_running_0");
  int inst = find_action(t, "dlm:1_start_0", "n2"), web = find_action(t, "web_start_0");
  REQUIRE(start >= 0);
  REQUIRE(running >= 0);
  REQUIRE(inst >= 0);
  REQUIRE(web >= 0);
  CHECK(ordered(t, start, inst));
  CHECK(ordered(t, inst, running));
  CHECK(ordered(t, running, web));
  CHECK_FALSE(ordered(t, start, web));
}

TEST_CASE("clone status: a Clone Set with its instances and the nodes it is stopped on") {
  Cib cib = parse(cib_with(clone(), "", started("dlm")));
  ClusterStatus cs = cluster_status(cib, 0);
  REQUIRE(cs.resources.size() == 1);
  const TopLevelStatus& t = cs.resources[0];
  CHECK(t.clone == "dlm-clone");
  CHECK(t.clone_child == "dlm");
  REQUIRE(t.primitives.size() == 3);
  CHECK(t.primitives[0].id == "dlm");  // anonymous: the primitive's own id
  REQUIRE(t.primitives[0].running_on.size() == 1);
  CHECK(t.primitives[0].running_on[0] == "n1");
  CHECK(t.stopped_on == std::vector<std::string>{"n2", "n3"});
}
