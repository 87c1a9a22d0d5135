// Golden scheduler scenarios: test/scheduler/<name>/cib.xml with the
// Transition Summary and placement hactl decided in expected.txt. Any change
// in a decision shows up as a diff here. After a reviewed change, regenerate
// with HACTL_GOLDEN_UPDATE=1; when crm_simulate is installed the update also
// checks the placement against it and records the verdict in the file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"
#include "test/core/sched_oracle.h"

using namespace hactl;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kNow = 1717243200;  // 2024-06-01 12:00:00Z, as the generator uses
constexpr const char* kNowText = "2024-06-01 12:00:00Z";

std::string read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The decision text: Transition Summary lines, then every primitive's place.
std::string render(const core::Transition& t) {
  std::string out = "Transition Summary:\n";
  for (const auto& s : t.summary) {
    out += "  * " + s.verb + " " + s.rsc;
    if (!s.details.empty()) out += " ( " + s.details + " )";  // promotable instances: with roles
    else if (!s.from.empty() && !s.to.empty()) out += " ( " + s.from + " -> " + s.to + " )";
    else if (!s.from.empty() || !s.to.empty()) out += " ( " + s.from + s.to + " )";
    if (!s.reason.empty()) out += " due to " + s.reason + (s.blocked ? " (blocked)" : "");
    else if (s.blocked) out += " blocked";
    out += "\n";
  }
  out += "Placement:\n";
  for (const auto& p : t.placement) {
    out += "  " + p.rsc + " = " + p.target.value_or("Stopped");
    if (p.failed) out += " (was FAILED)";
    if (p.blocked) out += " (blocked)";
    else if (!p.managed) out += " (unmanaged)";
    out += "\n";
  }
  return out;
}

std::string strip_comments(const std::string& text) {
  std::string out, line;
  std::istringstream in(text);
  while (std::getline(in, line))
    if (line.empty() || line[0] != '#') out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("golden scheduler scenarios") {
  const fs::path root = fs::path(HACTL_SOURCE_DIR) / "test" / "scheduler";
  REQUIRE(fs::is_directory(root));
  const bool update = std::getenv("HACTL_GOLDEN_UPDATE") != nullptr;
  int count = 0;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    CAPTURE(dir.filename().string());
    std::string xml = read(dir / "cib.xml");
    auto doc = core::CibDocument::parse(xml);
    REQUIRE(doc.is_ok());
    core::Cib cib = core::read_cib(*doc);
    core::ScheduleOptions opt;
    opt.now = kNow;
    core::Transition t = core::schedule(cib, opt);
    std::string got = render(t);
    ++count;
    if (update) {
      std::string header = "# Written by hactl's scheduler (HACTL_GOLDEN_UPDATE=1), now = " + std::string(kNowText) + ".\n";
      if (test::crm_simulate_path() != nullptr) {
        auto oracle = test::oracle_placement(xml, kNowText);
        test::Placement mine;
        for (const auto& p : t.placement) mine[p.rsc] = p.target.value_or("");
        header += oracle && *oracle == mine
                      ? "# Placement checked against crm_simulate (Pacemaker 2.1.5) when generated: identical.\n"
                      : "# Placement checked against crm_simulate (Pacemaker 2.1.5) when generated: DIFFERENT.\n";
      } else {
        header += "# crm_simulate was not available when generated: not cross-checked.\n";
      }
      std::ofstream(dir / "expected.txt") << header << got;
      continue;
    }
    std::string expected = read(dir / "expected.txt");
    CHECK(expected.find("DIFFERENT") == std::string::npos);  // a golden file must not enshrine a known divergence
    CHECK(strip_comments(expected) == got);
  }
  CHECK(count > 0);
  MESSAGE(count << " golden scenarios");
}
