// Differential test: random CIBs through hactl's scheduler and Debian's real
// crm_simulate; the final placements must agree. A mismatch prints the seed,
// both placements and the CIB. Skipped when crm_simulate is not installed.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"
#include "test/core/sched_cib_generator.h"
#include "test/core/sched_oracle.h"

using namespace hactl;

namespace {

test::Placement hactl_placement(const std::string& xml, int64_t now) {
  auto doc = core::CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  core::Cib cib = core::read_cib(*doc);
  core::ScheduleOptions opt;
  opt.now = now;
  core::Transition t = core::schedule(cib, opt);
  test::Placement p;
  for (const auto& r : t.placement) p[r.rsc] = r.target.value_or("");
  return p;
}

std::string show(const test::Placement& p) {
  std::string s;
  for (const auto& [r, n] : p) s += r + "=" + (n.empty() ? "-" : n) + " ";
  return s;
}

}  // namespace

TEST_CASE("scheduler agrees with crm_simulate on random CIBs") {
  if (test::crm_simulate_path() == nullptr) {
    MESSAGE("crm_simulate not installed: differential test skipped");
    return;
  }
  int seeds = 300;
  if (const char* e = std::getenv("HACTL_DIFF_SEEDS")) seeds = std::atoi(e);
  uint64_t first = 1;
  if (const char* e = std::getenv("HACTL_DIFF_FIRST")) first = std::strtoull(e, nullptr, 10);
  int agree = 0, total = 0, plain_agree = 0, plain_total = 0;
  for (uint64_t seed = first; seed < first + static_cast<uint64_t>(seeds); ++seed) {
    test::GenParams gp;
    gp.nodes = 3 + static_cast<int>(seed % 6);
    gp.resources = 5 + static_cast<int>((seed * 7) % 20);
    gp.groups = static_cast<int>(seed % 4);
    // Two in three seeds carry failure history and on-fail settings; one in
    // five of those also enables fencing (with a device) so that on-fail=fence
    // and failed stops escalate to fencing.
    if (seed % 3 != 0) {
      gp.p_history = 0.3;
      gp.p_onfail = 0.3;
      gp.p_fencing = 0.2;
    }
    std::string xml = test::generate_cib(seed, gp);
    if (const char* dir = std::getenv("HACTL_DIFF_DUMP"))  // keep the inputs for replay by hand
      std::ofstream(std::string(dir) + "/seed-" + std::to_string(seed) + ".xml") << xml;
    auto oracle = test::oracle_placement(xml, "2024-06-01 12:00:00Z");
    if (!oracle) {
      MESSAGE("seed " << seed << ": crm_simulate gave no usable output");
      continue;
    }
    ++total;
    const bool plain = gp.p_history == 0.0;
    plain_total += plain ? 1 : 0;
    auto mine = hactl_placement(xml, gp.now);
    if (mine == *oracle) {
      ++agree;
      plain_agree += plain ? 1 : 0;
    } else {
      std::cerr << "MISMATCH seed " << seed << "\n pacemaker: " << show(*oracle) << "\n hactl:     " << show(mine)
                << "\n";
      if (std::getenv("HACTL_DIFF_VERBOSE")) std::cerr << xml << "\n";
    }
  }
  MESSAGE("differential agreement: " << agree << "/" << total << " (without failure history: " << plain_agree << "/"
                                       << plain_total << ")");
  // Every seed must agree, with failure history or without.
  CHECK(plain_agree == plain_total);
  CHECK(agree == total);
}
