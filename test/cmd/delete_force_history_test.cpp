// `resource delete X --force` forgets X's operation history and fail counts,
// so neither hactl nor crm_mon shows "X ORPHANED FAILED" afterwards; without
// --force the history stays (the cluster stops the orphan first), as with pcs.
#include <doctest/doctest.h>

#include <filesystem>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

TEST_CASE("resource delete --force removes the resource's operation history from the status") {
  Scratch s;
  const std::string failed = (std::filesystem::path(HACTL_SOURCE_DIR) / "test" / "scheduler" / "on-fail-block" / "cib.xml").string();
  REQUIRE(s.sh("cp " + hactl::test::quote(failed) + " forced.xml && cp forced.xml kept.xml").rc == 0);
  REQUIRE(hactl::test::slurp(s.path("forced.xml")).find("<lrm_resource id=\"A\"") != std::string::npos);

  REQUIRE(s.hactl("-f kept.xml resource delete A").rc == 0);
  CHECK(hactl::test::slurp(s.path("kept.xml")).find("<lrm_resource id=\"A\"") != std::string::npos);

  Run del = s.hactl("-f forced.xml resource delete A --force");
  REQUIRE(del.rc == 0);
  const std::string cib = hactl::test::slurp(s.path("forced.xml"));
  CHECK(cib.find("<lrm_resource id=\"A\"") == std::string::npos);
  CHECK(cib.find("fail-count-A#") == std::string::npos);
  CHECK(cib.find("<lrm_resource id=\"B\"") != std::string::npos);  // only A's history goes
  Run st = s.hactl("-f forced.xml status");
  CHECK(st.out.find("ORPHANED") == std::string::npos);
  CHECK(st.out.find("A\t(") == std::string::npos);
  if (hactl::test::have("crm_mon")) {
    Run mon = s.sh("CIB_file=forced.xml crm_mon -1");
    CHECK(mon.out.find("ORPHANED") == std::string::npos);
  }
}
