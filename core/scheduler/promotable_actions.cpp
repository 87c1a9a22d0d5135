// Promote and demote actions of promotable clone instances, the clone's
// promote/promoted/demote/demoted pseudo actions and their orderings
// (pcmk__create_promotable_actions, pcmk__order_promotable_instances of
// Pacemaker 2.1.5), and the instances' Transition Summary lines with roles
// (rsc_action_default and rsc_action_item of pcmk_output.c).
#include <algorithm>
#include <unordered_map>

#include "core/scheduler/clone_actions.h"
#include "core/scheduler/promotable.h"

namespace hactl::core::sched {
namespace {

struct PromotableActions {
  const WorkingSet& ws;
  Transition& t;
  const SClone& c;
  const std::vector<int>& start_of;
  const std::vector<std::vector<int>>& stops_of;
  ClonePseudo& p;

  int add(ActionKind kind, const std::string& rsc, const std::string& task, const std::string& node, bool runnable) {
    Action a;
    a.id = static_cast<int>(t.actions.size());
    a.kind = kind;
    a.rsc = rsc;
    a.task = task;
    a.node = node;
    a.runnable = runnable;
    t.actions.push_back(std::move(a));
    return t.actions.back().id;
  }
  void edge(int a, int b) {
    if (a >= 0 && b >= 0) t.edges.push_back({a, b});
  }

  const ResourcePlacement* placement_of(const std::string& id) const {
    for (const auto& pl : t.placement)
      if (pl.rsc == id) return &pl;
    return nullptr;
  }

  // Promoted next, on the node it ends up on, with a start that can run.
  bool promotes(int ri) const {
    const SRsc& r = ws.rscs[ri];
    if (!r.promote_next || !r.managed || r.allocated < 0) return false;
    const ResourcePlacement* pl = placement_of(r.id);
    if (pl == nullptr || !pl->target || *pl->target != ws.nodes[r.allocated].uname) return false;
    return start_of[ri] < 0 || t.actions[start_of[ri]].runnable;
  }

  void build() {
    std::vector<int> promotes_of, demotes_of;
    for (int ri : c.instances) {
      const SRsc& r = ws.rscs[ri];
      const bool up = promotes(ri);
      int demote = -1, promote = -1;
      if (r.promoted && r.managed && r.current >= 0 && (!stops_of[ri].empty() || !up)) {
        // On an unclean node the demote is implied by its fencing, if it can be fenced.
        const SNode& at = ws.nodes[r.current];
        demote = add(at.unclean ? ActionKind::pseudo : ActionKind::demote, r.id, "demote", at.uname,
                     !at.unclean || ws.can_fence(r.current));
        for (int s : stops_of[ri]) edge(demote, s);
        demotes_of.push_back(demote);
      }
      if (up && (start_of[ri] >= 0 || !r.promoted)) {
        promote = add(ActionKind::promote, r.id, "promote", ws.nodes[r.allocated].uname, true);
        edge(start_of[ri], promote);
        edge(demote, promote);
        promotes_of.push_back(promote);
      }
    }
    if (!demotes_of.empty()) {
      p.demote = add(ActionKind::pseudo, c.id, "demote", "", true);
      p.demoted = add(ActionKind::pseudo, c.id, "demoted", "", true);
      for (int a : demotes_of) {
        edge(p.demote, a);
        edge(a, p.demoted);
      }
      edge(p.demoted, p.stop);
    }
    if (!promotes_of.empty()) {
      p.promote = add(ActionKind::pseudo, c.id, "promote", "", true);
      p.promoted = add(ActionKind::pseudo, c.id, "promoted", "", true);
      edge(p.running, p.promote);
      edge(p.demoted, p.promote);
      for (int a : promotes_of) {
        edge(p.promote, a);
        edge(a, p.promoted);
      }
    }
  }

  // rsc_action_item's details for one instance line.
  void add_roles(SummaryItem& s, const std::string& now, const std::string& next) const {
    if (s.verb == "Reload") return;
    if (s.from.empty()) {  // starting
      if (next == "Promoted") {
        // The line is about the promote, which has no reason of its own.
        s.verb = "Promote";
        s.details = "Stopped -> Promoted " + s.to;
        s.reason.clear();
      }
    } else if (s.to.empty() && s.verb == "Stop") {
      s.details = now + " " + s.from;
    } else if (!s.to.empty() && s.to != s.from) {
      s.details = now == next ? s.from + " -> " + s.to + " " + now : now + " " + s.from + " -> " + next + " " + s.to;
    } else {
      s.details = now == next ? now + " " + s.from : now + " -> " + next + " " + s.from;
    }
  }

  std::vector<SummaryItem> lines_for(int ri, std::vector<SummaryItem> lines) const {
    const SRsc& r = ws.rscs[ri];
    const std::string now = r.running_on.empty() ? "Stopped" : r.promoted ? "Promoted" : "Unpromoted";
    const std::string next = r.promote_next ? "Promoted" : "Unpromoted";
    if (lines.empty()) {
      const bool up = promotes(ri);
      if (!r.managed || r.current < 0 || r.running_on.size() != 1) return lines;
      const std::string& node = ws.nodes[r.current].uname;
      if (r.promoted && !up) lines.push_back({"Demote", r.id, node, "", "", false, "Promoted -> Unpromoted " + node});
      if (!r.promoted && up) lines.push_back({"Promote", r.id, node, "", "", false, "Unpromoted -> Promoted " + node});
      return lines;
    }
    for (auto& s : lines) add_roles(s, now, s.verb == "Stop" ? "Stopped" : next);
    return lines;
  }

  // The clone's block of instance lines, rebuilt in place.
  void rewrite_summary() {
    auto& sum = t.summary;
    size_t pos = 0;
    while (pos < sum.size() && sum[pos].verb.rfind("Fence", 0) == 0) ++pos;
    const std::vector<int> order = summary_order(ws);
    std::vector<int> mine;
    for (int ri : order) {
      if (ws.rscs[ri].clone >= 0 && &ws.clones[ws.rscs[ri].clone] == &c) {
        mine.push_back(ri);
        continue;
      }
      if (!mine.empty()) break;
      const SRsc& r = ws.rscs[ri];
      for (int m : r.is_group ? r.children : std::vector<int>{ri})
        while (pos < sum.size() && sum[pos].rsc == ws.rscs[m].id) ++pos;
    }
    std::vector<SummaryItem> block;
    size_t end = pos;
    for (int ri : mine) {
      std::vector<SummaryItem> own;
      while (end < sum.size() && sum[end].rsc == ws.rscs[ri].id) own.push_back(sum[end++]);
      for (auto& s : lines_for(ri, std::move(own))) block.push_back(std::move(s));
    }
    sum.erase(sum.begin() + static_cast<long>(pos), sum.begin() + static_cast<long>(end));
    sum.insert(sum.begin() + static_cast<long>(pos), block.begin(), block.end());
  }
};

}  // namespace

void add_promotable_actions(const WorkingSet& ws, Transition& t, int ci, const std::vector<int>& start_of,
                            const std::vector<std::vector<int>>& stops_of, ClonePseudo& p) {
  PromotableActions pa{ws, t, ws.clones[ci], start_of, stops_of, p};
  pa.build();
  pa.rewrite_summary();
}

}  // namespace hactl::core::sched
