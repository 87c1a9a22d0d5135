// `hactl status` lays its summary out as pcs and crm_mon do: singular counts,
// "Current DC" and "Last change" from the CIB's own attributes, no blank line
// under "Cluster name", and --full with node ids and the Migration Summary.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
std::string scenario(const std::string& name) {
  return (std::filesystem::path(HACTL_SOURCE_DIR) / "test" / "scheduler" / name / "cib.xml").string();
}
}  // namespace

TEST_CASE("status layout: singular counts, no blank line after the cluster name") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "One n1 addr=10.0.0.1", "cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  Run st = s.hactl("-f cib.xml status");
  REQUIRE(st.rc == 0);
  CHECK(st.out.rfind("Cluster name: One\nCluster Summary:\n", 0) == 0);
  CHECK(has(st.out, "  * 1 node configured\n"));
  CHECK(has(st.out, "  * 1 resource instance configured\n"));
  CHECK(has(st.out, "Last change: "));      // the -f edit stamped cib-last-written
  CHECK(has(st.out, " via hactl"));
  CHECK_FALSE(has(st.out, "Current DC"));   // nor a dc-uuid
}

TEST_CASE("status layout: Current DC and Last change from the CIB; --full shows node ids and the Migration Summary") {
  Scratch s;
  std::string text = hactl::test::slurp(scenario("on-fail-block"));
  const std::string root = "<cib ";
  REQUIRE(text.rfind(root, 0) == 0);
  text.insert(root.size(), "cib-last-written=\"Wed Dec  2 04:00:00 2026\" update-origin=\"n1\" update-client=\"cibadmin\" update-user=\"root\" ");
  std::ofstream(s.path("cib.xml")) << text;

  Run st = s.hactl("-f cib.xml status");
  REQUIRE(st.rc == 0);
  CHECK(has(st.out, "  * Current DC: n1 - partition with quorum\n"));
  CHECK(has(st.out, "  * Last change:  Wed Dec  2 04:00:00 2026 by root via cibadmin on n1\n"));
  CHECK(has(st.out, "  * 3 nodes configured\n"));
  CHECK_FALSE(has(st.out, "Migration Summary"));

  Run full = s.hactl("-f cib.xml status --full");
  REQUIRE(full.rc == 0);
  CHECK(has(full.out, "  * Current DC: n1 (1) - partition with quorum\n"));
  CHECK(has(full.out, "  * Node n1 (1): online\n  * Node n2 (2): online\n"));
  const std::string migration = "\nMigration Summary:\n  * Node: n1 (1):\n    * A: migration-threshold=1000000 fail-count=1 last-failure=";
  CHECK(has(full.out, migration));
  // crm_mon prints the same Migration Summary and Last change for this CIB.
  if (hactl::test::have("crm_mon")) {
    Run mon = s.sh("CIB_file=cib.xml crm_mon -1 -rf --show-detail");
    CHECK(has(mon.out, migration));
    CHECK(has(mon.out, "  * Last change:  Wed Dec  2 04:00:00 2026 by root via cibadmin on n1\n"));
  }
}
