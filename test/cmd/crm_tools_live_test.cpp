// crm_mon and cibadmin against a running two-node loopback cluster: the live
// CIB read over the local agent's IPC, writes through the DC, and the
// stamps every writer leaves (dc-version, update-origin/-client/-user).
#include <doctest/doctest.h>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::Run;
using hactl::test::Scratch;

namespace {
Run tool_on(const Cluster& c, int node, const std::string& tool, const std::string& args) {
  return c.s.sh("HACTL_ROOT=" + c.root(node) + " " + hactl::test::quote(Scratch::tool_path(tool)) + " " + args);
}
bool has(const Run& r, const std::string& text) { return r.out.find(text) != std::string::npos; }
}  // namespace

TEST_CASE("crm_mon and cibadmin on a live two-node cluster") {
  Cluster c(2, 40);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);

  // The DC records its version; crm_mon on the other node shows it.
  CHECK(c.wait_for([&] { return has(tool_on(c, 2, "crm_mon", "-1"), "Current DC: n1 (version 0.1.0-hactl) - partition with quorum"); },
                   5000));
  Run mon = tool_on(c, 2, "crm_mon", "-1");
  CHECK(mon.rc == 0);
  CHECK(has(mon, "  * 2 nodes configured\n"));
  CHECK(has(mon, "  * Online: [ n1 n2 ]\n"));

  // Writes through cibadmin on n2 are compare-and-swaps through the DC.
  Run create = tool_on(c, 2, "cibadmin", "--create -o resources -X '<primitive id=\"D\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>'");
  CHECK(create.rc == 0);
  Run modify = tool_on(c, 2, "cibadmin", "--modify -X '<primitive id=\"D\" description=\"hello\"/>'");
  CHECK(modify.rc == 0);
  CHECK(tool_on(c, 2, "cibadmin", "--modify -X '<primitive id=\"nosuch\" description=\"x\"/>'").rc == 105);
  CHECK(c.wait_for([&] { return has(tool_on(c, 1, "cibadmin", "--query --local --xpath \"//primitive[@id='D']\""), "description=\"hello\""); },
                   3000));
  Run root = tool_on(c, 1, "cibadmin", "-Q -n");
  CHECK(has(root, "update-origin=\"n2\""));
  CHECK(has(root, "update-client=\"cibadmin\""));
  CHECK(has(root, "update-user=\""));
  CHECK(has(root, "cib-last-written=\""));
  CHECK(has(tool_on(c, 1, "crm_mon", "-1"), " via cibadmin on n2\n"));

  // What ha_cluster_exporter reads: crm_mon -X --inactive.
  Run xml = tool_on(c, 1, "crm_mon", "-X --inactive");
  CHECK(xml.rc == 0);
  CHECK(has(xml, "<current_dc present=\"true\" version=\"0.1.0-hactl\" name=\"n1\" id=\"1\" with_quorum=\"true\""));
  CHECK(has(xml, "<nodes_configured number=\"2\"/>"));
  CHECK(has(xml, "<node name=\"n2\" id=\"2\" online=\"true\""));
  CHECK(has(xml, "<resource id=\"D\" resource_agent=\"ocf:pacemaker:Dummy\""));
  CHECK(has(xml, "client=\"cibadmin\" origin=\"n2\"/>"));
  Run check = tool_on(c, 2, "crm_mon", "-s");
  CHECK(check.rc == 0);
  CHECK(check.out.rfind("CLUSTER OK: 2 nodes online, ", 0) == 0);
}
