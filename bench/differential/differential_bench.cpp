// Differential bench: seeded random CIBs (the scheduler tests' generator)
// through hactl's scheduler and Debian's real crm_simulate (the tests'
// oracle), comparing the final placement, over many more seeds than CI.
//
// For every mismatch it prints one line per differing resource:
//   MISMATCH seed S rsc R hactl=N1 pacemaker=N2 first|later class | hactl{n:score ...} pacemaker{n:score ...}
// with both schedulers' allocation scores for R (crm_simulate -s). "first"
// marks the differing resource that Pacemaker assigns earliest (its score
// lines come in assignment order), i.e. the likely cause; "later" ones may
// only follow from it. Seeds crm_simulate could not evaluate are "NOORACLE".
// The last line is "TOTAL agree=A compared=C nooracle=X" (run.sh adds the
// shards up).
//
// usage: differential_bench [--first F] [--count N] [--shard K/J] [--history]
//   seeds F .. F+N-1 (default 1 .. 10000), of which this process takes those
//   with (seed - F) % J == K. Case shape per seed is the CI differential
//   test's: nodes 3 + seed%6, resources 5 + (7*seed)%20, groups seed%4.
//   --history: also the generator's failure-history/on-fail/fencing knobs on
//   two seeds in three, as the CI test does when the generator has them.
//   --dump SEED: print that seed's CIB and exit (to rerun it through
//   `hactl simulate -x FILE -s -t NOW` and crm_simulate by hand).
#include <tinyxml2.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/score.h"
#include "core/scheduler/transition.h"
#include "test/core/sched_cib_generator.h"
#include "test/core/sched_oracle.h"

using namespace hactl;

namespace {

constexpr const char* kNow = "2024-06-01 12:00:00Z";

// The CI differential test's extra knobs, set only if this generator has them.
template <class G>
void set_history(G& gp, uint64_t seed) {
  if constexpr (requires { gp.p_history; gp.p_onfail; gp.p_fencing; }) {
    if (seed % 3 != 0) {
      gp.p_history = 0.3;
      gp.p_onfail = 0.3;
      gp.p_fencing = 0.2;
    }
  } else {
    (void)gp;
    (void)seed;
  }
}

using ScoreMap = std::map<std::string, std::string>;  // node -> score text

struct HactlResult {
  bool ok = false;
  std::string error;
  test::Placement placement;
  std::map<std::string, ScoreMap> scores;  // rsc -> node -> score (primitive assign)
};

HactlResult run_hactl(const std::string& xml, int64_t now, bool with_scores) {
  HactlResult r;
  auto doc = core::CibDocument::parse(xml);
  if (!doc.is_ok()) {
    r.error = "hactl could not parse the CIB";
    return r;
  }
  core::Cib cib = core::read_cib(*doc);
  core::ScheduleOptions opt;
  opt.now = now;
  opt.record_scores = with_scores;
  core::Transition t = core::schedule(cib, opt);
  for (const auto& p : t.placement) r.placement[p.rsc] = p.target.value_or("");
  for (const auto& s : t.scores)
    if (s.function == "pcmk__primitive_assign") r.scores[s.rsc][s.node] = core::score_to_string(s.score);
  r.ok = true;
  return r;
}

struct PcmkScores {
  std::map<std::string, ScoreMap> scores;  // rsc -> node -> score (last primitive_assign line)
  std::map<std::string, int> order;        // rsc -> index of its first primitive_assign line
};

// crm_simulate -s: "pcmk__primitive_assign: R allocation score on N: S".
PcmkScores pacemaker_scores(const std::string& xml) {
  PcmkScores ps;
  auto out = test::run_crm_simulate(xml, std::string("-s -Q -t '") + kNow + "'");
  if (!out) return ps;
  std::istringstream in(*out);
  std::string line;
  const std::string prefix = "pcmk__primitive_assign: ", mid = " allocation score on ";
  int idx = 0;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    auto m = line.find(mid);
    if (m == std::string::npos) continue;
    std::string rsc = line.substr(prefix.size(), m - prefix.size());
    std::string rest = line.substr(m + mid.size());
    auto c = rest.rfind(": ");
    if (c == std::string::npos) continue;
    ps.scores[rsc][rest.substr(0, c)] = rest.substr(c + 2);
    ps.order.emplace(rsc, idx++);
  }
  return ps;
}

std::string show(const ScoreMap& m) {
  std::string s = "{";
  for (const auto& [n, v] : m) s += (s.size() > 1 ? " " : "") + n + ":" + v;
  return s + "}";
}

std::string node_or_stopped(const std::string& n) { return n.empty() ? "(stopped)" : n; }

// A short cause class from the two score maps and the two choices.
std::string classify(const std::string& mine, const std::string& theirs, const ScoreMap& hs, const ScoreMap& ps) {
  std::string kind = mine.empty() ? "hactl-stops" : theirs.empty() ? "pacemaker-stops" : "other-node";
  if (hs.empty() && ps.empty()) return kind + ",no-scores";
  if (hs.empty()) return kind + ",no-hactl-scores";
  if (ps.empty()) return kind + ",no-pacemaker-scores";
  std::string diff;
  std::map<std::string, int> nodes;
  for (const auto& [n, v] : hs) nodes[n] |= 1;
  for (const auto& [n, v] : ps) nodes[n] |= 2;
  for (const auto& [n, bits] : nodes) {
    auto h = hs.find(n), p = ps.find(n);
    std::string hv = h == hs.end() ? "-" : h->second, pv = p == ps.end() ? "-" : p->second;
    if (hv != pv) diff += (diff.empty() ? "" : ";") + n + ":" + hv + "/" + pv;
  }
  if (diff.empty()) return kind + ",same-scores";
  return kind + ",scores-differ[" + diff + "]";
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t first = 1, count = 10000, shard = 0, shards = 1;
  bool history = false;
  std::optional<uint64_t> dump;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--first") first = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--count") count = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--shard") {
      std::string v = next();
      if (std::sscanf(v.c_str(), "%lu/%lu", &shard, &shards) != 2 || shards == 0 || shard >= shards) {
        std::cerr << "--shard K/J with 0 <= K < J\n";
        return 2;
      }
    } else if (a == "--history") history = true;
    else if (a == "--dump") dump = std::strtoull(next().c_str(), nullptr, 10);
    else {
      std::cerr << "usage: differential_bench [--first F] [--count N] [--shard K/J] [--history] [--dump SEED]\n";
      return 2;
    }
  }
  auto params = [&](uint64_t seed) {
    test::GenParams gp;
    gp.nodes = 3 + static_cast<int>(seed % 6);
    gp.resources = 5 + static_cast<int>((seed * 7) % 20);
    gp.groups = static_cast<int>(seed % 4);
    if (history) set_history(gp, seed);
    return gp;
  };
  if (dump) {
    std::cout << test::generate_cib(*dump, params(*dump));
    return 0;
  }
  if (test::crm_simulate_path() == nullptr) {
    std::cerr << "crm_simulate not installed (package pacemaker-cli-utils)\n";
    return 77;
  }
  uint64_t agree = 0, compared = 0, nooracle = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    if ((seed - first) % shards != shard) continue;
    test::GenParams gp = params(seed);
    std::string xml = test::generate_cib(seed, gp);
    auto oracle = test::oracle_placement(xml, kNow);
    if (!oracle) {
      ++nooracle;
      std::cout << "NOORACLE seed " << seed << std::endl;
      continue;
    }
    ++compared;
    HactlResult mine = run_hactl(xml, gp.now, false);
    if (!mine.ok) {
      std::cout << "MISMATCH seed " << seed << " rsc - hactl=error pacemaker=- first " << mine.error << std::endl;
      continue;
    }
    if (mine.placement == *oracle) {
      ++agree;
      continue;
    }
    mine = run_hactl(xml, gp.now, true);
    PcmkScores ps = pacemaker_scores(xml);
    std::map<std::string, std::string> all;
    for (const auto& [r, n] : mine.placement) all[r];
    for (const auto& [r, n] : *oracle) all[r];
    std::vector<std::string> differing;
    for (const auto& [r, unused] : all) {
      auto h = mine.placement.find(r);
      auto p = oracle->find(r);
      std::string hn = h == mine.placement.end() ? "(absent)" : h->second;
      std::string pn = p == oracle->end() ? "(absent)" : p->second;
      if (hn != pn) differing.push_back(r);
    }
    std::string lead;
    int lead_idx = 1 << 30;
    for (const auto& r : differing) {
      auto o = ps.order.find(r);
      if (o != ps.order.end() && o->second < lead_idx) lead_idx = o->second, lead = r;
    }
    for (const auto& r : differing) {
      std::string hn = mine.placement.count(r) ? mine.placement[r] : "(absent)";
      std::string pn = oracle->count(r) ? oracle->at(r) : "(absent)";
      const ScoreMap& hs = mine.scores[r];
      const ScoreMap& pcs = ps.scores[r];
      std::cout << "MISMATCH seed " << seed << " rsc " << r << " hactl=" << node_or_stopped(hn)
                << " pacemaker=" << node_or_stopped(pn) << " " << (r == lead || lead.empty() ? "first" : "later") << " "
                << classify(hn, pn, hs, pcs) << " | hactl" << show(hs) << " pacemaker" << show(pcs) << std::endl;
    }
  }
  std::cout << "TOTAL agree=" << agree << " compared=" << compared << " nooracle=" << nooracle << std::endl;
  return 0;
}
