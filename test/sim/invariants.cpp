#include "test/sim/invariants.h"

#include <algorithm>
#include <set>

#include "core/cib_model.h"
#include "core/scheduler/transition.h"

namespace hactl::test::sim {

std::string check_converged(const SimCluster& c) {
  const uint32_t n = c.size();
  for (uint32_t id = 1; id <= n; ++id)
    if (!c.agent(id)) return "n" + std::to_string(id) + " is down";
  if (!c.network().converged()) return "membership not converged";
  std::vector<uint32_t> all;
  for (uint32_t id = 1; id <= n; ++id) all.push_back(id);
  const std::optional<uint32_t> dc = c.agent(1)->dc();
  for (uint32_t id = 1; id <= n; ++id) {
    if (c.agent(id)->up() != all) return "n" + std::to_string(id) + " does not see every node";
    if (c.agent(id)->dc() != dc) return "nodes disagree on the DC";
  }
  if (!dc) return "no DC";
  const SimAgent& d = *c.agent(*dc);
  if (!d.coordinator().in_term()) return "DC not in its term";
  const auto st = d.coordinator().state();
  if (!st.settled || st.in_flight) return "DC not settled";
  if (d.pending_edits() || d.status_failing()) return "status edits pending";
  if (!d.sync().in_sync()) return "CIB replication not in sync";
  for (uint32_t id = 1; id <= n; ++id)
    if (!(c.agent(id)->cib().version() == d.cib().version()))
      return "n" + std::to_string(id) + " holds CIB " + c.agent(id)->cib().version().to_string() + ", DC " +
             d.cib().version().to_string();
  const core::Cib cib = core::read_cib(d.cib());
  const core::Transition t = core::schedule(cib, {1700000000 + c.now_ms() / 1000, false});
  for (const auto& a : t.actions)
    if (a.runnable && !a.optional && a.kind != core::ActionKind::pseudo)
      return "the scheduler still wants " + a.key() + " on " + a.node;
  std::set<std::string> placed;
  for (const auto& p : t.placement) {
    placed.insert(p.rsc);
    std::vector<std::string> truth;
    for (uint32_t id = 1; id <= n; ++id)
      if (c.machine_up(id) && c.executor(id).running().count(p.rsc)) truth.push_back(c.name_of(id));
    std::vector<std::string> current = p.current;
    std::sort(current.begin(), current.end());
    if (p.blocked) {
      // A failed stop leaves the state on that node unknown (Pacemaker: blocked
      // until cleanup): it may or may not run there, but nowhere else.
      for (const auto& t : truth)
        if (std::find(current.begin(), current.end(), t) == current.end())
          return p.rsc + " runs on " + t + " where the status does not have it (blocked)";
      continue;
    }
    if (truth != current)
      return p.rsc + " runs on " + std::to_string(truth.size()) + " node(s) (" + (truth.empty() ? "" : truth[0]) +
             (truth.size() > 1 ? "," + truth[1] : "") + "), the status says " + std::to_string(current.size());
    std::vector<std::string> want;
    if (p.target) want.push_back(*p.target);
    if (truth != want) return p.rsc + " not where the scheduler places it";
  }
  for (uint32_t id = 1; id <= n; ++id)
    for (const auto& r : c.executor(id).running())
      if (!placed.count(r)) return r + " runs on " + c.name_of(id) + ", unknown to the status";
  return "";
}

WriteCounts check_writes(SimCluster& c) {
  WriteCounts w;
  const SimAgent* dc = nullptr;
  for (uint32_t id = 1; id <= c.size(); ++id)
    if (c.agent(id) && c.agent(id)->is_dc()) dc = c.agent(id);
  if (!dc) return w;
  const core::CibDocument& final_cib = dc->cib();
  const RunLog& log = c.log();
  std::set<std::string> deleted;
  for (const auto& rec : log.writes)
    if (rec.code && *rec.code == 0 && rec.kind == WriteKind::remove) deleted.insert(rec.rsc);
  for (const auto& rec : log.writes) {
    ++w.sent;
    if (!rec.code) {
      ++w.unanswered;
      continue;
    }
    if (*rec.code != 0) {
      ++w.refused;
      continue;
    }
    ++w.acked;
    const bool present = final_cib.find_id(rec.rsc) != nullptr;
    const bool want_present = rec.kind == WriteKind::add && !deleted.count(rec.rsc);
    if (present == want_present) continue;
    bool excused = false;
    for (int64_t s : log.split_ms)
      if (s >= rec.sent_ms) excused = true;
    if (log.last_split_ms && *log.last_split_ms >= rec.sent_ms) excused = true;
    for (const auto& [when, who] : log.dc_changes)
      if (when >= rec.sent_ms && who != rec.acked_by) excused = true;
    if (excused) {
      ++w.dropped_by_merge_rule;
      continue;
    }
    ++w.lost;
    c.log().violation(std::string("acknowledged write lost: ") + (rec.kind == WriteKind::add ? "create " : "delete ") +
                      rec.rsc + " from n" + std::to_string(rec.node) + " at " + std::to_string(rec.sent_ms) +
                      " ms, acknowledged by n" + std::to_string(rec.acked_by) + " at " +
                      std::to_string(rec.answered_ms) + " ms");
  }
  return w;
}

}  // namespace hactl::test::sim
