#include "core/scheduler/explain.h"

#include <algorithm>

#include "core/scheduler/assign.h"
#include "core/scheduler/tickets.h"
#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core {
namespace {

std::string why_node_cannot_host(const sched::SNode& n) {
  if (n.unclean) return "unclean (waiting to be fenced)";
  if (!n.online) return "offline";
  if (n.shutdown) return "shutting down";
  if (n.pending) return "joining the cluster";
  if (n.maintenance) return "in maintenance";
  if (n.standby) return "in standby";
  return "";
}

// The part of the final score the node criteria do not explain: colocations
// with other resources and the preferences of resources colocated with it.
std::optional<ScoreReason> colocation_effect(std::optional<Score> criteria, std::optional<Score> final_score) {
  if (!final_score || final_score == criteria) return std::nullopt;
  Score before = criteria.value_or(0);
  bool saturated = *final_score >= kInfinity || *final_score <= -kInfinity || before >= kInfinity || before <= -kInfinity;
  Score effect = saturated ? *final_score : *final_score - before;
  return ScoreReason{"colocations (its own, and the preferences of resources colocated with it)", effect};
}

}  // namespace

Result<PlacementExplanation> explain_placement(const Cib& cib, std::string_view id, int64_t now) {
  sched::WorkingSet ws = sched::unpack(cib, now);
  sched::apply_tickets(ws);
  const int ri = ws.find_rsc(id);
  if (ri < 0) return Status::not_found("resource '" + std::string(id) + "' does not exist");
  PlacementExplanation e;
  e.rsc = std::string(id);
  // A group goes where its first member goes: explain that member.
  int subject = ri;
  if (ws.rscs[ri].is_group) {
    if (ws.rscs[ri].children.empty()) {
      e.notes.push_back("the group has no members: there is nothing to place");
      return e;
    }
    subject = ws.rscs[ri].children.front();
    e.notes.push_back("a group runs where its first member, " + ws.rscs[subject].id + ", runs; its scores are shown");
  } else if (ws.rscs[ri].parent >= 0) {
    const sched::SRsc& group = ws.rscs[ws.rscs[ri].parent];
    e.group = group.id;
    const std::string& first = ws.rscs[group.children.front()].id;
    if (first != e.rsc)
      e.notes.push_back("a member of group " + e.group + ": it runs with the member before it, so the first member's "
                        "preferences decide (see `resource why " + first + "`)");
  }

  std::vector<sched::WorkingSet::Contribution> trace;
  ws.trace = &trace;
  sched::apply_node_criteria(ws);
  ws.trace = nullptr;
  const sched::NodeTable criteria = ws.rscs[subject].allowed;
  const sched::SRsc& s = ws.rscs[subject];

  ScheduleOptions options;
  options.now = now;
  options.record_scores = true;
  const Transition t = schedule(cib, options);
  if (const ResourcePlacement* p = t.find(s.id)) {
    e.current = p->current;
    e.target = p->target;
  }
  for (const SummaryItem& line : t.summary) {
    if (line.rsc != s.id) continue;
    e.action = line.verb;
    e.action_reason = line.reason;
    e.blocked = line.blocked;
    break;
  }

  for (size_t n = 0; n < ws.nodes.size(); ++n) {
    NodeVerdict v;
    v.node = ws.nodes[n].uname;
    v.cannot_host = why_node_cannot_host(ws.nodes[n]);
    for (const ScoreLine& l : t.scores)
      if (l.function == "pcmk__primitive_assign" && l.rsc == s.id && l.node == v.node) v.score = l.score;
    for (const auto& c : trace) {
      bool mine = c.rsc == subject || c.rsc == -1 || c.rsc == ri;
      if (mine && (c.node == static_cast<int>(n) || c.node == -1)) v.reasons.push_back({c.what, c.score});
    }
    if (auto effect = colocation_effect(criteria[n], v.score)) v.reasons.push_back(*effect);
    e.nodes.push_back(std::move(v));
  }
  std::stable_sort(e.nodes.begin(), e.nodes.end(), [](const NodeVerdict& a, const NodeVerdict& b) {
    if (a.cannot_host.empty() != b.cannot_host.empty()) return a.cannot_host.empty();
    return a.score.value_or(-kInfinity - 1) > b.score.value_or(-kInfinity - 1);
  });

  // Equal best scores: say how the tie was broken (assign_best_node).
  if (e.nodes.size() > 1 && e.nodes[0].cannot_host.empty() && e.nodes[1].cannot_host.empty() && e.nodes[0].score &&
      e.nodes[0].score == e.nodes[1].score && *e.nodes[0].score >= 0) {
    e.notes.push_back(e.nodes[0].node + " and " + e.nodes[1].node + " tie at " + score_to_string(*e.nodes[0].score) +
                      ": the node it already runs on wins, else the one with fewer resources placed so far, "
                      "else the first by name");
  }

  // Reasons that hold for every node.
  if (ws.stonith_enabled && !ws.have_stonith_resource)
    e.notes.push_back("stonith-enabled is true but no fencing device is configured: nothing is started "
                      "(configure a stonith resource, or set stonith-enabled=false)");
  if (!ws.have_quorum && ws.no_quorum_policy != "ignore")
    e.notes.push_back("the cluster has no quorum and no-quorum-policy is " + ws.no_quorum_policy);
  if (ws.maintenance_mode) e.notes.push_back("maintenance-mode is on: the cluster leaves every resource alone");
  if (ws.stop_all) e.notes.push_back("stop-all-resources is on");
  if (!ws.symmetric)
    e.notes.push_back("the cluster is opt-in (symmetric-cluster=false): only nodes a location constraint "
                      "allows can run it");
  if (s.target_stopped || ws.rscs[ri].target_stopped)
    e.notes.push_back("target-role is Stopped: the cluster keeps it stopped (`resource enable` starts it)");
  if (s.blocked)
    e.notes.push_back("it failed in a way that blocks it: the cluster leaves it alone until "
                      "`resource cleanup " + s.id + "`");
  else if (!s.managed)
    e.notes.push_back("it is unmanaged (is-managed=false or maintenance): the cluster leaves it where it is");
  for (const ColocationConstraint& c : cib.colocations) {
    if (!c.sets.empty()) continue;
    const bool dependent = c.rsc == s.id || c.rsc == ws.rscs[ri].id;
    const bool primary = c.with_rsc == s.id || c.with_rsc == ws.rscs[ri].id;
    if (!dependent && !primary) continue;
    const std::string& other = dependent ? c.with_rsc : c.rsc;
    std::string where = "stopped";
    int oi = ws.find_rsc(other);
    if (oi >= 0) {
      int probe = ws.rscs[oi].is_group && !ws.rscs[oi].children.empty() ? ws.rscs[oi].children.front() : oi;
      if (const ResourcePlacement* p = t.find(ws.rscs[probe].id); p && p->target) where = "on " + *p->target;
    }
    e.notes.push_back((dependent ? "colocated with " + other : other + " is colocated with it") + " (" + c.id +
                      ", score " + score_to_string(c.score) + "); " + other + " will be " + where);
  }
  return e;
}

}  // namespace hactl::core
