// CIBs made by Pacemaker's own tools at test time round-trip through
// `cluster cib-push` / `cluster cib` with nothing lost.
#include <doctest/doctest.h>

#include "core/cib_document.h"
#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
void check_roundtrip(const Scratch& s, const std::string& file) {
  Run push = s.hactl("-f target.xml cluster cib-push " + file);
  INFO(file << ": " << push.err);
  REQUIRE(push.rc == 0);
  Run out = s.hactl("-f target.xml cluster cib");
  REQUIRE(out.rc == 0);
  auto a = hactl::core::canonical_xml(hactl::test::slurp(s.path(file)));
  auto b = hactl::core::canonical_xml(out.out);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
}
}  // namespace

TEST_CASE("Pacemaker-made CIBs round-trip unchanged") {
  if (!hactl::test::have("cibadmin") || !hactl::test::have("crm_simulate") || !hactl::test::have("pcs")) {
    MESSAGE("Pacemaker tools not installed: round-trip oracle skipped");
    return;
  }
  Scratch s;
  REQUIRE(s.sh("cibadmin --empty > empty.xml").rc == 0);
  check_roundtrip(s, "empty.xml");

  REQUIRE(s.sh("cp empty.xml pcs.xml").rc == 0);
  for (const char* c : {"property set stonith-enabled=false",
                        "resource create IP ocf:heartbeat:IPaddr2 ip=10.0.0.5 op monitor interval=10s",
                        "resource create Web ocf:heartbeat:apache --group grp",
                        "resource create Cl ocf:pacemaker:Dummy clone",
                        "constraint colocation add IP with grp INFINITY",
                        "constraint order set IP grp",
                        "constraint location Web rule score=100 '#uname' eq n1",
                        "resource defaults update resource-stickiness=100"})
    REQUIRE(s.sh(std::string("pcs -f pcs.xml ") + c + " 2>/dev/null").rc == 0);
  check_roundtrip(s, "pcs.xml");

  // A status section: nodes up, resources started, one failure injected.
  REQUIRE(s.sh("CIB_file=pcs.xml cibadmin -C -o nodes -X '<node id=\"1\" uname=\"n1\"/>' && "
               "CIB_file=pcs.xml cibadmin -C -o nodes -X '<node id=\"2\" uname=\"n2\"/>'").rc == 0);
  REQUIRE(s.sh("crm_simulate -x pcs.xml -u n1 -u n2 -S -O status.xml >/dev/null 2>&1").rc == 0);
  REQUIRE(s.sh("crm_simulate -x status.xml -i IP_monitor_10000@n1=7 -S -O failed.xml >/dev/null 2>&1").rc == 0);
  check_roundtrip(s, "status.xml");
  check_roundtrip(s, "failed.xml");
  // And hactl's reading of that status: the failure is reported.
  Run st = s.hactl("-f failed.xml status");
  CHECK(st.out.find("Failed Resource Actions") != std::string::npos);
  Run fc = s.hactl("-f failed.xml resource failcount show IP");
  CHECK(fc.out.find("n1") != std::string::npos);
  Run clean = s.hactl("-f failed.xml resource cleanup IP");
  CHECK(clean.rc == 0);
  CHECK(s.hactl("-f failed.xml resource failcount show IP").out == "No failcounts\n");
}

TEST_CASE("crm_* personalities") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  Run v = s.tool("crm_verify", "-x cib.xml");
  CHECK(v.rc == 78);  // stonith enabled, no device: as crm_verify says
  CHECK(v.err.find("STONITH") != std::string::npos);
  REQUIRE(s.hactl("-f cib.xml property set stonith-enabled=false").rc == 0);
  CHECK(s.tool("crm_verify", "-x cib.xml").rc == 0);
  Run list = s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path("crm_resource")) + " --list-raw");
  CHECK(list.out == "A\n");
  Run attr = s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path("crm_attribute")) + " --name stonith-enabled --query");
  CHECK(attr.out.find("value=false") != std::string::npos);
  Run missing = s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path("crm_resource")) + " --resource Ghost --locate");
  CHECK(missing.rc == 105);
  // crm_node reads the node's own configuration, which only setup without -f writes.
  REQUIRE(s.hactl("cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2").rc == 0);
  Run nodes = s.tool("crm_node", "-l");
  CHECK(nodes.out.find("1 n1") != std::string::npos);
  CHECK(s.tool("crm_verify", "--bogus").rc == 64);
}
