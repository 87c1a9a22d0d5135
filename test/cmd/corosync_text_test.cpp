// The corosync-* layouts and transient attributes as pure functions: a
// partition that lost quorum, and Pacemaker's ids for transient attributes.
#include <doctest/doctest.h>

#include "core/corosync_text.h"
#include "core/transient_attributes.h"

using namespace hactl::core;

TEST_CASE("corosync-quorumtool text of a partition without quorum lists only its members") {
  CorosyncView v;
  v.local_id = 2;
  v.date = "Wed Dec  2 14:00:00 2026";
  v.quorate = false;
  v.expected_votes = 3;
  v.total_votes = 1;
  v.quorum = 2;
  v.members = {{1, "n1", false}, {2, "n2", true}, {3, "n3", false}};
  const std::string t = quorumtool_status_text(v);
  CHECK(t.find("Nodes:            1\nNode ID:          2\nRing ID:          2.1\nQuorate:          No\n") != std::string::npos);
  CHECK(t.find("Quorum:           2 Activity blocked\nFlags:            \n") != std::string::npos);
  CHECK(t.find("    Nodeid      Votes    Qdevice Name\n         2          1         NR n2 (local)\n") != std::string::npos);
  CHECK(t.find(" n1") == std::string::npos);
  v.local_addr = "10.0.0.2";
  CHECK(cfgtool_status_text(v) ==
        "Printing link status.\nLocal node ID 2\nLink ID 0\n\taddr\t= 10.0.0.2\n\tstatus\t= ring 0 active with no faults\n");
}

TEST_CASE("transient attributes: Pacemaker's ids, update in place, unknown node refused") {
  auto doc = CibDocument::parse("<cib><configuration><nodes><node id=\"7\" uname=\"a\"/></nodes></configuration><status/></cib>");
  REQUIRE(doc);
  CHECK(set_transient_attribute(*doc, "a", "pingd", "1"));
  CHECK(set_transient_attribute(*doc, "a", "pingd", "2"));
  const std::string xml = doc->to_xml();
  CHECK(xml.find("<node_state id=\"7\" uname=\"a\">") != std::string::npos);
  CHECK(xml.find("<transient_attributes id=\"7\">") != std::string::npos);
  CHECK(xml.find("<instance_attributes id=\"status-7\">") != std::string::npos);
  CHECK(xml.find("<nvpair id=\"status-7-pingd\" name=\"pingd\" value=\"2\"/>") != std::string::npos);
  CHECK(get_transient_attribute(*doc, "a", "pingd") == std::optional<std::string>("2"));
  CHECK(set_transient_attribute(*doc, "b", "x", "1").code() == ExitCode::no_such);
  CHECK(delete_transient_attribute(*doc, "a", "pingd"));
  CHECK(!delete_transient_attribute(*doc, "a", "pingd"));
  CHECK(transient_attributes(*doc, "a").empty());
}
