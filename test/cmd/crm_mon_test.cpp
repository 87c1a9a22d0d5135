// crm_mon's personality: the same documents as Pacemaker's crm_mon on the same
// CIB (XML up to the timestamp and version strings; text layouts), and the
// offline behaviour (last change after a write, -s's line and exit code).
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

std::string scenario(const std::string& name) {
  return (std::filesystem::path(HACTL_SOURCE_DIR) / "test" / "scheduler" / name / "cib.xml").string();
}

// What may differ between two runs: the time of the run and the software version.
std::string normalized(std::string s) {
  s = std::regex_replace(s, std::regex("(last_update time=\")[^\"]*"), "$1T");
  s = std::regex_replace(s, std::regex("(Last updated: ).*"), "$1T");
  s = std::regex_replace(s, std::regex("(<crm_mon version=\")[^\"]*"), "$1V");
  return s;
}

// A spread of the golden scenarios: groups, failures (fail counts, blocked),
// standby on failure, offline and unclean nodes, orphans, bans, maintenance.
const char* const kScenarios[] = {"blocked-primary-keeps-dependent", "group-stop-blocked-by-member", "on-fail-standby",
                                  "fence-reasons", "orphan-multiply-active", "location-prefers", "maintenance-mode",
                                  "probe-not-installed", "target-role-stopped", "group-restart-behind-blocked-stop"};

}  // namespace

TEST_CASE("crm_mon gives Pacemaker's documents on the same CIB" * doctest::skip(!hactl::test::have("crm_mon"))) {
  Scratch s;
  for (const char* name : kScenarios) {
    for (const char* args : {"--output-as xml --inactive", "--output-as xml", "-X --inactive", "-1", "-1 -r -o", "-1 -r -t"}) {
      CAPTURE(name);
      CAPTURE(args);
      const std::string env = "CIB_file=" + hactl::test::quote(scenario(name)) + " ";
      Run real = s.sh(env + "crm_mon " + args);
      Run ours = s.sh(env + hactl::test::quote(Scratch::tool_path("crm_mon")) + " " + args);
      CHECK(ours.rc == real.rc);
      CHECK(normalized(ours.out) == normalized(real.out));
    }
  }
}

TEST_CASE("crm_mon shows who changed a CIB file last, in the form ha_cluster_exporter parses") {
  Scratch s;
  REQUIRE(s.sh("cp " + hactl::test::quote(scenario("on-fail-standby")) + " cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml property set maintenance-mode=false").rc == 0);
  Run xml = s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path("crm_mon")) + " -X --inactive");
  REQUIRE(xml.rc == 0);
  // time.ANSIC: "Mon Jan _2 15:04:05 2006"
  CHECK(std::regex_search(xml.out, std::regex("<last_change time=\"[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}\" user=\"\" client=\"hactl\" origin=\"\"/>")));
  CHECK(xml.out.rfind("<crm_mon version=", 0) == 0);
  Run text = s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path("crm_mon")) + " -1");
  CHECK(std::regex_search(text.out, std::regex("Last change:  [A-Z][a-z]{2} .* via hactl\n")));
}

TEST_CASE("crm_mon -s: one line, exit 0 when all is well, 1 with an offline node or no DC") {
  Scratch s;
  const std::string mon = hactl::test::quote(Scratch::tool_path("crm_mon"));
  Run ok = s.sh("CIB_file=" + hactl::test::quote(scenario("on-fail-standby")) + " " + mon + " -s");
  CHECK(ok.rc == 0);
  CHECK(ok.out == "CLUSTER OK: 2 nodes online, 1 standby node, 2 resource instances configured\n");
  Run warn = s.sh("CIB_file=" + hactl::test::quote(scenario("fence-reasons")) + " " + mon + " -s");
  CHECK(warn.rc == 1);
  CHECK(warn.out == "CLUSTER WARN: offline node: n2 offline node: n4 offline node: n6\n");
  Run bad = s.sh("CIB_file=" + hactl::test::quote(scenario("fence-reasons")) + " " + mon + " --output-as yaml");
  CHECK(bad.rc == 64);
}

TEST_CASE("crm_mon without CIB_file and without a running agent says so: exit 102, or 2 (critical) with -s") {
  Scratch s;
  Run r = s.tool("crm_mon", "-1");
  CHECK(r.rc == 102);
  CHECK(r.err.find("crm_mon: Connection to cluster failed") != std::string::npos);
  Run check = s.tool("crm_mon", "-s");
  CHECK(check.rc == 2);
  CHECK(check.err.find("crm_mon: CLUSTER CRIT: Connection to cluster failed") != std::string::npos);
}
