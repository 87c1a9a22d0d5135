// A resource deleted from the configuration while it still runs (an orphan)
// is shown as crm_mon shows it, after the configured resources, until it has
// stopped; `resource status --output-as json` marks it.
#include <doctest/doctest.h>

#include <filesystem>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

std::string scenario(const std::string& name) {
  return (std::filesystem::path(HACTL_SOURCE_DIR) / "test" / "scheduler" / name / "cib.xml").string();
}

}  // namespace

TEST_CASE("status shows a running orphan as ORPHANED, an unmanaged one as such, a stopped one not at all") {
  Scratch s;
  Run run = s.hactl("-f " + hactl::test::quote(scenario("orphan-running-stopped")) + " status");
  REQUIRE(run.rc == 0);
  const size_t a = run.out.find("  * A\t(ocf:pacemaker:Dummy):\t Started n1\n");
  const size_t d = run.out.find("  * D\t(ocf:heartbeat:IPaddr2):\t ORPHANED Started n2\n");
  CHECK(a != std::string::npos);
  CHECK(d != std::string::npos);
  CHECK(a < d);

  Run unmanaged = s.hactl("-f " + hactl::test::quote(scenario("orphan-stop-orphan-resources-false")) + " status");
  CHECK(unmanaged.out.find("  * D\t(ocf:heartbeat:IPaddr2):\t ORPHANED Started n2 (unmanaged)\n") != std::string::npos);

  Run stopped = s.hactl("-f " + hactl::test::quote(scenario("orphan-already-stopped")) + " status");
  REQUIRE(stopped.rc == 0);
  CHECK(stopped.out.find("D\t(") == std::string::npos);

  Run json = s.hactl("-f " + hactl::test::quote(scenario("orphan-running-stopped")) + " resource status --output-as json");
  REQUIRE(json.rc == 0);
  CHECK(json.out.find("\"orphaned\": true") != std::string::npos);
  CHECK(json.out.find("\"agent\": \"ocf:heartbeat:IPaddr2\"") != std::string::npos);
}
