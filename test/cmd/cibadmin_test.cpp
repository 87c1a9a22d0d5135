// cibadmin on a CIB file (CIB_file=, as Pacemaker's cibadmin works offline):
// queries by scope and XPath, create / modify / delete / replace, exit codes,
// and the same answers as Pacemaker's cibadmin when it is installed.
#include <doctest/doctest.h>

#include <filesystem>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

std::string scenario(const std::string& name) {
  return (std::filesystem::path(HACTL_SOURCE_DIR) / "test" / "scheduler" / name / "cib.xml").string();
}

Run cibadmin(const Scratch& s, const std::string& file, const std::string& args) {
  return s.sh("CIB_file=" + file + " " + hactl::test::quote(Scratch::tool_path("cibadmin")) + " " + args);
}

}  // namespace

TEST_CASE("cibadmin: queries by scope and XPath subset, writes with Pacemaker's exit codes") {
  Scratch s;
  REQUIRE(s.sh("cp " + hactl::test::quote(scenario("group-placement")) + " cib.xml").rc == 0);
  Run q = cibadmin(s, "cib.xml", "-Q -o crm_config");
  CHECK(q.rc == 0);
  CHECK(q.out.rfind("<crm_config>\n  <cluster_property_set id=\"cib-bootstrap-options\">\n", 0) == 0);
  Run one = cibadmin(s, "cib.xml", "-Q --xpath \"//primitive[@id='A']\" -n");
  CHECK(one.out == "<primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>\n");
  Run many = cibadmin(s, "cib.xml", "-Q -A /cib/configuration/resources/group/primitive -n");
  CHECK(many.out.rfind("<xpath-query>\n  <primitive id=\"A\"", 0) == 0);
  CHECK(cibadmin(s, "cib.xml", "-Q -A \"//primitive[@id='zz']\"").rc == 105);
  CHECK(cibadmin(s, "cib.xml", "-Q -A \"//primitive[position()=1]\"").rc == 2);  // outside the subset: refused, not guessed

  const std::string before = hactl::test::slurp(s.path("cib.xml"));
  CHECK(cibadmin(s, "cib.xml", "-C -o resources -X '<primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>'").rc == 78);
  CHECK(cibadmin(s, "cib.xml", "-M -X '<primitive id=\"zz\" description=\"x\"/>'").rc == 105);
  CHECK(cibadmin(s, "cib.xml", "-C -X '<bad'").rc == 65);
  CHECK(cibadmin(s, "cib.xml", "-E").rc == 107);  // dangerous without --force
  CHECK(cibadmin(s, "cib.xml", "-Q -C").rc == 64);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == before);  // refused: nothing written

  CHECK(cibadmin(s, "cib.xml", "-C -o resources -X '<primitive id=\"N\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>'").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-M -X '<primitive id=\"N\" description=\"d\"/>'").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-Q -A \"//primitive[@id='N']\"").out.find("description=\"d\"") != std::string::npos);
  CHECK(cibadmin(s, "cib.xml", "-M -c -o constraints -X '<rsc_location id=\"l9\" rsc=\"G\" node=\"n1\" score=\"5\"/>'").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-D -A \"//rsc_location[@id='l1']\"").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-D -X '<primitive id=\"N\"/>'").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-D -X '<primitive id=\"N\"/>'").rc == 0);  // already gone: success, as Pacemaker's
  Run cons = cibadmin(s, "cib.xml", "-Q -o constraints");
  CHECK(cons.out == "<constraints>\n  <rsc_location id=\"l9\" rsc=\"G\" node=\"n1\" score=\"5\"/>\n</constraints>\n");
  CHECK(cibadmin(s, "cib.xml", "-Q -n").out.find("update-client=\"cibadmin\"") != std::string::npos);
  // --replace of a section; a whole CIB older than the current one is refused.
  CHECK(cibadmin(s, "cib.xml", "-R -o constraints -X '<constraints/>'").rc == 0);
  CHECK(cibadmin(s, "cib.xml", "-Q -o constraints").out == "<constraints/>\n");
  CHECK(cibadmin(s, "cib.xml", "-R -x " + hactl::test::quote(scenario("group-placement"))).rc == 103);
}

TEST_CASE("cibadmin queries match Pacemaker's cibadmin on the same file" * doctest::skip(!hactl::test::have("cibadmin"))) {
  Scratch s;
  const std::string file = hactl::test::quote(scenario("on-fail-standby"));
  for (const char* args : {"-Q", "-Q -o resources", "-Q -o status", "-Q -A \"//lrm_rsc_op[@operation='monitor']\"",
                           "-Q -A \"//nvpair\" -n", "-Q -A \"//nope\""}) {
    CAPTURE(args);
    Run real = s.sh("CIB_file=" + file + " cibadmin " + args);
    Run ours = cibadmin(s, file, args);
    CHECK(ours.rc == real.rc);
    CHECK(ours.out == real.out);
  }
}
