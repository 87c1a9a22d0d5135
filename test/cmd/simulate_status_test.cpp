// crm_simulate's "Current cluster status" and "Revised Cluster Status"
// sections: test/cmd/simulate_status/<name>/cib.xml, with expected.txt as
// Pacemaker 2.1.5's crm_simulate printed those two sections for it
// (-S -t 2024-06-01T12:00:00Z). Where crm_simulate is installed, the
// expectation is checked against it again.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

namespace fs = std::filesystem;

// The two status sections of crm_simulate -S output, blank lines kept.
std::string status_sections(const std::string& out) {
  std::istringstream in(out);
  std::string line, kept;
  bool on = false;
  while (std::getline(in, line)) {
    if (line == "Current cluster status:" || line == "Revised Cluster Status:") on = true;
    else if (line == "Transition Summary:" || line.rfind("Setting effective", 0) == 0) on = false;
    if (on) kept += line + "\n";
  }
  return kept;
}

}  // namespace

TEST_CASE("simulate prints the current and revised status as crm_simulate does") {
  const fs::path root = fs::path(HACTL_SOURCE_DIR) / "test" / "cmd" / "simulate_status";
  const bool oracle = hactl::test::have("crm_simulate");
  int scenarios = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    const std::string name = dir.path().filename().string();
    const std::string cib = (dir.path() / "cib.xml").string();
    const std::string expected = hactl::test::slurp((dir.path() / "expected.txt").string());
    INFO("scenario " << name);
    REQUIRE(!expected.empty());
    Scratch s;
    const std::string args = "-x " + hactl::test::quote(cib) + " -S -t 2024-06-01T12:00:00Z";
    Run got = s.tool("crm_simulate", args);
    REQUIRE(got.rc == 0);
    CHECK(status_sections(got.out) == expected);
    if (oracle) {
      Run real = s.sh("crm_simulate " + args + " 2>/dev/null");
      CHECK(status_sections(real.out) == expected);
    }
    ++scenarios;
  }
  CHECK(scenarios >= 3);
}
