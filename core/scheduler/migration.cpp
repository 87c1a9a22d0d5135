// Live migration: see migration.h.
#include "core/scheduler/migration.h"

#include <algorithm>

#include "core/scheduler/meta_lookup.h"
#include "core/scheduler/ordering.h"

namespace hactl::core::sched {
namespace {

int find_action(const Transition& t, ActionKind kind, const std::string& rsc, const std::string& node) {
  for (const Action& a : t.actions)
    if (a.kind == kind && a.rsc == rsc && a.node == node && a.interval_ms == 0) return a.id;
  return -1;
}

// Appends a copy of action `id` and turns the original slot into `kind`;
// edges that named the original now name the copy. The migration actions
// thus take the stop's and the start's places in the action order, and the
// stop and the (pseudo) start come after them, as Pacemaker executes them.
int move_to_end(Transition& t, int id, ActionKind kind) {
  Action copy = t.actions[id];
  copy.id = static_cast<int>(t.actions.size());
  Action& slot = t.actions[id];
  slot.kind = kind;
  slot.task = action_kind_name(kind);
  slot.reason.clear();
  t.actions.push_back(std::move(copy));
  const int moved = t.actions.back().id;
  for (OrderingEdge& e : t.edges) {
    if (e.before == id) e.before = moved;
    if (e.after == id) e.after = moved;
  }
  return moved;
}

}  // namespace

bool can_migrate(const WorkingSet& ws, int ri, int target) {
  const SRsc& r = ws.rscs[ri];
  if (r.is_group || r.prim == nullptr || r.clone >= 0 || r.orphan) return false;
  if (!is_true(meta_value(r.prim->meta, ws.cib->rsc_defaults, "allow-migrate", "false"))) return false;
  if (!r.managed || r.failed || r.blocked || r.pending_task == "start") return false;
  // One clean source: a multiply active resource is recovered, not migrated.
  if (r.running_on.size() != 1 || r.current < 0 || target < 0 || r.current == target) return false;
  const SNode &from = ws.nodes[r.current], &to = ws.nodes[target];
  return !from.unclean && from.online && !to.unclean && to.online;
}

namespace {

bool moving(const SRsc& r) { return r.managed && r.current >= 0 && r.allocated >= 0 && r.allocated != r.current; }

bool migrates_within(const WorkingSet& ws, int ri, std::string* blocked_by, int depth) {
  if (!can_migrate(ws, ri, ws.rscs[ri].allocated)) return false;
  if (depth > 32) return true;  // a cycle of orderings: judged by its nearer links
  // The resources whose start this one's start is ordered after: user
  // orderings "X start then this start", and the previous group member.
  std::vector<int> firsts;
  const SRsc& r = ws.rscs[ri];
  if (r.parent >= 0) {
    const auto& ch = ws.rscs[r.parent].children;
    auto it = std::find(ch.begin(), ch.end(), ri);
    if (it != ch.begin() && it != ch.end()) firsts.push_back(*(it - 1));
  }
  for (const OrderConstraint* o : ws.order_list) {
    if (o->first_action != "start" || order_then_task(*o) != "start") continue;
    const int then = ws.find_rsc(o->then);
    if (then != ri && !(then >= 0 && ws.rscs[then].is_group && then == r.parent)) continue;
    const int first = ws.find_rsc(o->first);
    if (first < 0) continue;
    const SRsc& f = ws.rscs[first];
    if (f.is_group) {
      if (!f.children.empty()) firsts.push_back(f.children.back());
    } else {
      firsts.push_back(first);
    }
  }
  for (int f : firsts) {
    if (f == ri || !moving(ws.rscs[f]) || migrates_within(ws, f, nullptr, depth + 1)) continue;
    if (blocked_by) *blocked_by = ws.rscs[f].id;
    return false;
  }
  return true;
}

}  // namespace

bool migrates(const WorkingSet& ws, int ri, std::string* blocked_by) {
  return migrates_within(ws, ri, blocked_by, 0);
}

void plan_migrations(const WorkingSet& ws, Transition& t) {
  for (SummaryItem& line : t.summary) {
    if (line.verb != "Move" || line.blocked) continue;
    const int ri = ws.find_rsc(line.rsc);
    const int target = ws.find_node(line.to);
    if (ri < 0 || ws.rscs[ri].allocated != target || !can_migrate(ws, ri, target)) continue;
    std::string blocked_by;
    if (!migrates(ws, ri, &blocked_by)) {
      if (line.reason.empty() && !blocked_by.empty()) line.reason = "unrunnable " + blocked_by + " stop";
      continue;
    }
    const int start = find_action(t, ActionKind::start, line.rsc, line.to);
    const int stop = find_action(t, ActionKind::stop, line.rsc, line.from);
    if (start < 0 || stop < 0 || !t.actions[start].runnable || !t.actions[stop].runnable) continue;
    const int migrate_to = stop, migrate_from = start;
    const int new_stop = move_to_end(t, stop, ActionKind::migrate_to);
    const int new_start = move_to_end(t, start, ActionKind::migrate_from);
    t.actions[migrate_to].node = line.from;
    t.actions[migrate_from].node = line.to;
    t.actions[new_start].kind = ActionKind::pseudo;  // completes when migrate_from and the stop have
    // What had to come before the start or the stop (other resources'
    // orderings, probes) comes before migrate_to (pcmk__order_migration_equivalents).
    std::vector<OrderingEdge> added;
    for (const OrderingEdge& e : t.edges)
      if ((e.after == new_start || e.after == new_stop) && e.before != new_stop && e.before != new_start)
        added.push_back({e.before, migrate_to});
    added.push_back({migrate_to, migrate_from});
    added.push_back({migrate_from, new_stop});
    added.push_back({migrate_from, new_start});
    t.edges.insert(t.edges.end(), added.begin(), added.end());
    line.verb = "Migrate";
  }
  auto& e = t.edges;
  std::sort(e.begin(), e.end(), [](const OrderingEdge& x, const OrderingEdge& y) {
    return x.before != y.before ? x.before < y.before : x.after < y.after;
  });
  e.erase(std::unique(e.begin(), e.end(),
                      [](const OrderingEdge& x, const OrderingEdge& y) { return x.before == y.before && x.after == y.after; }),
          e.end());
}

}  // namespace hactl::core::sched
