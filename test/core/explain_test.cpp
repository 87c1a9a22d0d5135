// resource why: the explanation names the constraints, stickiness, fail
// counts, node states and cluster-wide reasons behind a placement.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/cib_document.h"
#include "core/scheduler/explain.h"

using namespace hactl::core;

namespace {

std::string cib_with(const std::string& resources, const std::string& constraints, const std::string& props,
                     const std::string& node3_attrs = "", const std::string& status_n1 = "") {
  std::string x = "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" have-quorum=\"1\"><configuration><crm_config>"
                  "<cluster_property_set id=\"o\">" + props + "</cluster_property_set></crm_config><nodes>"
                  "<node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/><node id=\"3\" uname=\"n3\">" +
                  node3_attrs + "</node></nodes><resources>" + resources + "</resources><constraints>" + constraints +
                  "</constraints></configuration><status>";
  for (int i = 1; i <= 3; ++i) {
    std::string n = std::to_string(i);
    x += "<node_state id=\"" + n + "\" uname=\"n" + n + "\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
         "expected=\"member\">" + (i == 1 ? status_n1 : "") + "</node_state>";
  }
  return x + "</status></cib>";
}

const char* kNoFencing = "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>";

std::string dummy(const std::string& id, const std::string& meta = "") {
  std::string m = meta.empty() ? "" : "<meta_attributes id=\"" + id + "-m\">" + meta + "</meta_attributes>";
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" + m + "</primitive>";
}

PlacementExplanation explain(const std::string& xml, const std::string& rsc) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  auto e = explain_placement(read_cib(*doc), rsc, 1700000000);
  REQUIRE(e.is_ok());
  return *e;
}

const NodeVerdict& node(const PlacementExplanation& e, const std::string& name) {
  auto it = std::find_if(e.nodes.begin(), e.nodes.end(), [&](const NodeVerdict& v) { return v.node == name; });
  REQUIRE(it != e.nodes.end());
  return *it;
}

bool mentions(const std::vector<ScoreReason>& reasons, const std::string& text, Score score) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const ScoreReason& r) { return r.what.find(text) != std::string::npos && r.score == score; });
}

bool any_note(const PlacementExplanation& e, const std::string& text) {
  return std::any_of(e.notes.begin(), e.notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("resource why names the location constraint that wins and the standby node") {
  auto e = explain(cib_with(dummy("Web"), "<rsc_location id=\"web-on-n2\" rsc=\"Web\" node=\"n2\" score=\"200\"/>",
                            kNoFencing,
                            "<instance_attributes id=\"n3-a\"><nvpair id=\"n3-s\" name=\"standby\" value=\"on\"/>"
                            "</instance_attributes>"),
                   "Web");
  REQUIRE(e.target);
  CHECK(*e.target == "n2");
  CHECK(e.action == "Start");
  CHECK(e.nodes.front().node == "n2");
  CHECK(mentions(node(e, "n2").reasons, "web-on-n2", 200));
  CHECK(node(e, "n3").cannot_host == "in standby");
  CHECK(node(e, "n1").cannot_host.empty());
}

TEST_CASE("resource why explains a fail-count ban and stickiness on the current node") {
  std::string status =
      "<transient_attributes id=\"1\"><instance_attributes id=\"s1\">"
      "<nvpair id=\"f\" name=\"fail-count-Web#monitor_10000\" value=\"1\"/>"
      "<nvpair id=\"l\" name=\"last-failure-Web#monitor_10000\" value=\"1699999000\"/>"
      "</instance_attributes></transient_attributes>"
      "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"Web\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">"
      "<lrm_rsc_op id=\"Web_last_0\" operation_key=\"Web_start_0\" operation=\"start\" crm-debug-origin=\"x\" "
      "crm_feature_set=\"3.16.1\" transition-key=\"1:1:0:x\" transition-magic=\"0:0;1:1:0:x\" call-id=\"2\" "
      "rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change=\"1699990000\" exec-time=\"1\" queue-time=\"0\"/>"
      "</lrm_resource></lrm_resources></lrm>";
  auto e = explain(cib_with(dummy("Web", "<nvpair id=\"mt\" name=\"migration-threshold\" value=\"1\"/>"
                                         "<nvpair id=\"st\" name=\"resource-stickiness\" value=\"100\"/>"),
                            "", kNoFencing, "", status),
                   "Web");
  REQUIRE(e.current.size() == 1);
  CHECK(e.current[0] == "n1");
  REQUIRE(e.target);
  CHECK(*e.target != "n1");
  CHECK(e.action == "Move");
  CHECK(mentions(node(e, "n1").reasons, "migration-threshold 1", -kInfinity));
  CHECK(mentions(node(e, "n1").reasons, "resource-stickiness", 100));
  CHECK(*node(e, "n1").score == -kInfinity);
}

TEST_CASE("resource why gives the cluster-wide reason nothing starts") {
  auto e = explain(cib_with(dummy("Web"), "", ""), "Web");  // stonith-enabled defaults to true, no device
  CHECK_FALSE(e.target);
  CHECK(any_note(e, "no fencing device"));
  auto d = explain(cib_with(dummy("Web", "<nvpair id=\"tr\" name=\"target-role\" value=\"Stopped\"/>"), "", kNoFencing),
                   "Web");
  CHECK_FALSE(d.target);
  CHECK(any_note(d, "target-role is Stopped"));
}

TEST_CASE("resource why follows colocations and reports ties") {
  auto e = explain(cib_with(dummy("IP") + dummy("Web"),
                            "<rsc_colocation id=\"ip-with-web\" rsc=\"IP\" with-rsc=\"Web\" score=\"INFINITY\"/>",
                            kNoFencing),
                   "IP");
  REQUIRE(e.target);
  CHECK(any_note(e, "colocated with Web (ip-with-web, score INFINITY); Web will be on " + *e.target));
  auto w = explain(cib_with(dummy("Web"), "", kNoFencing), "Web");
  CHECK(any_note(w, "tie at 0"));
}

TEST_CASE("resource why refuses an unknown resource") {
  auto doc = CibDocument::parse(cib_with(dummy("Web"), "", kNoFencing));
  REQUIRE(doc.is_ok());
  auto e = explain_placement(read_cib(*doc), "nope", 0);
  CHECK_FALSE(e.is_ok());
  CHECK(e.status().code() == ExitCode::no_such);
}
