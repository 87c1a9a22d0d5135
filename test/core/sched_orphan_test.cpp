// Orphans: resources with history in the status section but no configuration
// (lib/pengine/unpack.c process_orphan_resource). The scenarios' decisions are
// golden files (test/scheduler/orphan-*); these check what the status display
// and the controller read from them, and which histories are not orphans.
#include <doctest/doctest.h>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

// Two nodes; `resources` configured; resource `rsc` (an IPaddr2) started on n1.
std::string cib_with(const std::string& resources, const std::string& rsc, const std::string& props = "") {
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" crm_feature_set=\"3.16.1\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
         "value=\"false\"/>" + props + "</cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/>"
         "<node id=\"2\" uname=\"n2\"/></nodes><resources>" + resources + "</resources><constraints/></configuration>"
         "<status><node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">"
         "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"" + rsc + "\" class=\"ocf\" provider=\"heartbeat\" "
         "type=\"IPaddr2\"><lrm_rsc_op id=\"" + rsc + "_last_0\" operation_key=\"" + rsc + "_start_0\" operation=\"start\" "
         "transition-key=\"1:1:0:t\" transition-magic=\"0:0;1:1:0:t\" call-id=\"2\" rc-code=\"0\" op-status=\"0\" "
         "interval=\"0\" last-rc-change=\"1\"/></lrm_resource></lrm_resources></lrm></node_state>"
         "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"
         "</status></cib>";
}

Cib parse(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  return read_cib(*doc);
}

int stops_of(const Transition& t, const std::string& rsc) {
  int n = 0;
  for (const auto& a : t.actions) n += a.rsc == rsc && a.kind == ActionKind::stop;
  return n;
}

int probes(const Transition& t, const std::string& rsc) {
  int n = 0;
  for (const auto& a : t.actions) n += a.rsc == rsc && a.kind == ActionKind::probe;
  return n;
}

}  // namespace

TEST_CASE("orphan: stopped where it runs with its history's agent, never probed, shown ORPHANED") {
  Cib cib = parse(cib_with("", "Gone"));
  Transition t = schedule(cib, {});
  CHECK(stops_of(t, "Gone") == 1);
  CHECK(probes(t, "Gone") == 0);
  REQUIRE(t.summary.size() == 1);
  CHECK(t.summary[0].verb == "Stop");
  CHECK(t.summary[0].from == "n1");
  CHECK(t.summary[0].reason == "node availability");
  const LrmResource* lr = find_lrm_resource(cib, "n1", "Gone");
  REQUIRE(lr != nullptr);
  CHECK(lr->type == "IPaddr2");
  CHECK(find_lrm_resource(cib, "n2", "Gone") == nullptr);

  ClusterStatus cs = cluster_status(cib, 0);
  const PrimitiveStatus* p = cs.find_primitive("Gone");
  REQUIRE(p != nullptr);
  CHECK(p->orphaned);
  CHECK(p->agent == "ocf:heartbeat:IPaddr2");
  CHECK(p->running_on == std::vector<std::string>{"n1"});
}

TEST_CASE("orphan: stop-orphan-resources=false leaves it running, unmanaged") {
  Cib cib = parse(cib_with("", "Gone", "<nvpair id=\"o2\" name=\"stop-orphan-resources\" value=\"false\"/>"));
  Transition t = schedule(cib, {});
  CHECK(stops_of(t, "Gone") == 0);
  CHECK(t.summary.empty());
  const ResourcePlacement* p = t.find("Gone");
  REQUIRE(p != nullptr);
  CHECK_FALSE(p->managed);
  CHECK(p->target == std::optional<std::string>("n1"));
  CHECK_FALSE(cluster_status(cib, 0).find_primitive("Gone")->managed);
}

TEST_CASE("orphan: the history of a resource inside an unsupported clone is not an orphan's") {
  // A clone of a group is not modelled yet.
  const std::string clone =
      "<clone id=\"C\"><group id=\"G\"><primitive id=\"Inner\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\"/></group></clone>";
  Cib cib = parse(cib_with(clone, "Inner"));
  Transition t = schedule(cib, {});
  CHECK(stops_of(t, "Inner") == 0);
  CHECK(t.find("Inner") == nullptr);
  CHECK(cluster_status(cib, 0).find_primitive("Inner") == nullptr);
  // Old-style instance names ("Inner:0") are not orphans either.
  Cib numbered = parse(cib_with("", "Other:0"));
  CHECK(stops_of(schedule(numbered, {}), "Other:0") == 0);
}
