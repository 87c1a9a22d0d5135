// Assignment of clone instances (pcmk_sched_clone.c distribute_children,
// allocate_instance, can_run_instance and pcmk__cmp_instance of Pacemaker
// 2.1.5): instances keep their current nodes first, at most clone-max are
// placed, at most clone-node-max per node; colocations with a clone.
#include <algorithm>

#include "core/scheduler/assign.h"
#include "core/scheduler/clone_assign.h"
#include "core/scheduler/promotable.h"

namespace hactl::core::sched {
namespace {

struct CloneAssigner {
  WorkingSet& ws;
  SClone& c;
  const InstanceAssigner& a;

  bool node_can_run(int n) const { return ws.nodes[n].available(); }

  bool before(int x, int y) const { return clone_instance_before(ws, c, x, y); }

  // can_run_instance for every node of the instance's table: a node that is
  // unavailable, not allowed for the clone or already full is banned.
  void ban_full_nodes(int ri, int limit) {
    SRsc& r = ws.rscs[ri];
    for (size_t n = 0; n < r.allowed.size(); ++n) {
      if (!r.allowed[n]) continue;
      const bool ok = node_can_run(static_cast<int>(n)) && !r.orphan && c.allowed[n] && *c.allowed[n] >= 0 &&
                      c.count[n] < limit;
      if (!ok) r.allowed[n] = add_scores(*r.allowed[n], -kInfinity);
    }
  }

  int allocate_instance(int ri, int prefer, int limit) {
    SRsc& r = ws.rscs[ri];
    if (!r.provisional) return r.allocated;
    if (r.allocating) return -1;
    if (prefer >= 0 && (!r.allowed[prefer] || *r.allowed[prefer] < 0)) return -1;
    ban_full_nodes(ri, limit);
    NodeTable backup = ws.rscs[ri].allowed;
    int chosen = a.assign(ri, prefer);
    if (chosen >= 0 && prefer >= 0 && chosen != prefer) {
      a.unassign(ri);
      ws.rscs[ri].allowed = std::move(backup);
      chosen = -1;
    }
    if (chosen >= 0) c.count[chosen]++;
    return chosen;
  }

  void distribute() {
    const int max = c.clone_max, per_node = c.node_max;
    c.count.assign(ws.nodes.size(), 0);
    int available = 0;
    for (size_t n = 0; n < ws.nodes.size(); ++n)
      if (c.allowed[n] && node_can_run(static_cast<int>(n))) ++available;
    int loop_max = available > 0 ? max / available : 0;
    if (loop_max < 1) loop_max = 1;
    std::vector<int> order = c.instances;
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return before(x, y); });
    int allocated = 0;
    for (int ri : order) {
      if (allocated >= max) break;
      const SRsc& r = ws.rscs[ri];
      if (r.running_on.empty() || !r.provisional || r.failed) continue;
      const int cur = r.current;
      if (cur < 0 || !node_can_run(cur) || ws.nodes[cur].weight < 0) continue;
      if (c.allowed[cur] && c.count[cur] >= loop_max) continue;
      if (allocate_instance(ri, cur, per_node) >= 0) ++allocated;
    }
    for (int ri : order) {
      SRsc& r = ws.rscs[ri];
      if (!r.provisional) continue;
      if (allocated >= max) {
        // "clone:limit_reached"
        for (auto& slot : r.allowed) slot = add_scores(slot.value_or(0), -kInfinity);
        a.assign(ri, -1);
      } else if (allocate_instance(ri, -1, per_node) >= 0) {
        ++allocated;
      } else if (ws.rscs[ri].provisional) {
        a.assign(ri, -1);
      }
    }
    c.order = order;
  }

  // One probe per node for the clone as a whole: the instance placed there,
  // else one active there, else the first (probe_anonymous_clone).
  void choose_probing_instances() {
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      if (c.known_on[n]) continue;
      int prober = -1;
      for (int ri : c.instances)
        if (ws.rscs[ri].allocated == static_cast<int>(n)) prober = ri;
      if (prober < 0) prober = c.instances.front();
      for (int ri : c.instances)
        if (ri != prober) ws.rscs[ri].history_on[n] = 1;
    }
  }
};

// append_parent_colocation: the instances weigh the preferences of what is
// colocated with the clone when not every node gets an instance (or the
// colocation is negative).
void share_dependents(WorkingSet& ws, int ci) {
  SClone& c = ws.clones[ci];
  int available = 0;
  for (size_t n = 0; n < ws.nodes.size(); ++n)
    if (c.allowed[n] && ws.nodes[n].available()) ++available;
  const bool all = c.clone_max < available;
  for (size_t k = 0; k < ws.colocs.size(); ++k) {
    const Coloc& col = ws.colocs[k];
    if (col.primary_clone != ci || (!all && col.score >= 0)) continue;
    if (!col.influence && !ws.rscs[col.dependent].running_on.empty()) continue;
    for (int ri : c.instances) ws.rscs[ri].with_this.push_back(static_cast<int>(k));
  }
}

}  // namespace

bool clone_instance_before(const WorkingSet& ws, const SClone& c, int x, int y) {
  const SRsc &a1 = ws.rscs[x], &b1 = ws.rscs[y];
  const size_t na = a1.running_on.size(), nb = b1.running_on.size();
  if (na > 0 && nb > 0 && na != nb) return na < nb;
  // The instance's node where it is active, if its own table still allows it.
  auto active_allowed = [](const SRsc& r) { return r.current < 0 || (r.allowed[r.current] && *r.allowed[r.current] >= 0); };
  const bool ca = active_allowed(a1), cb = active_allowed(b1);
  if (ca != cb) return ca;
  if (a1.priority != b1.priority) return a1.priority > b1.priority;
  const int n1 = a1.current, n2 = b1.current;
  if (n1 < 0 || n2 < 0) return n1 >= 0 && n2 < 0;
  const bool r1 = ws.nodes[n1].available(), r2 = ws.nodes[n2].available();
  if (r1 != r2) return r1;
  const bool p1 = c.allowed[n1].has_value(), p2 = c.allowed[n2].has_value();
  if (!p1 || !p2) return p1 && !p2;
  const int k1 = n1 < static_cast<int>(c.count.size()) ? c.count[n1] : 0;
  const int k2 = n2 < static_cast<int>(c.count.size()) ? c.count[n2] : 0;
  if (k1 != k2) return k1 < k2;
  if (a1.failed != b1.failed) return !a1.failed;
  return a1.instance < b1.instance;
}

void init_clone_table(WorkingSet& ws, SClone& c) {
  if (!c.allowed.empty()) return;
  c.allowed.assign(ws.nodes.size(), std::nullopt);
  if (ws.symmetric)
    for (size_t n = 0; n < ws.nodes.size(); ++n) c.allowed[n] = ws.nodes[n].config_weight;
}

void assign_clone(WorkingSet& ws, int ci, const InstanceAssigner& a) {
  SClone& c = ws.clones[ci];
  if (c.assigned || c.assigning || c.instances.empty()) return;
  c.assigning = true;
  init_clone_table(ws, c);
  if (c.promotable) {
    add_promotion_scores(ws, ci);
    // pcmk__clone_allocate: what the clone is colocated with comes first.
    for (const Coloc& k : std::vector<Coloc>(c.role_colocs))
      if (k.primary >= 0) a.assign(k.primary, -1);
  }
  share_dependents(ws, ci);
  CloneAssigner ca{ws, c, a};
  ca.distribute();
  if (c.promotable) set_instance_roles(ws, ci, a);
  ca.choose_probing_instances();
  c.assigning = false;
  c.assigned = true;
}

void apply_coloc_with_clone(WorkingSet& ws, int dep, const Coloc& c, const std::function<void(int, int)>& per_instance) {
  const SClone& clone = ws.clones[c.primary_clone];
  if (!clone.assigned) return;
  SRsc& d = ws.rscs[dep];
  if (!d.provisional) return;
  if (clone.promotable && !c.primary_role.empty()) {
    apply_coloc_with_role(ws, dep, c);
    return;
  }
  if (c.score >= kInfinity) {
    // Only nodes where an instance was placed (node_list_exclude).
    std::vector<char> placed(ws.nodes.size(), 0);
    for (int ri : clone.instances) {
      const SRsc& r = ws.rscs[ri];
      if (r.allocated >= 0 && !r.blocked) placed[r.allocated] = 1;
    }
    for (size_t n = 0; n < d.allowed.size(); ++n)
      if (d.allowed[n] && !placed[n]) d.allowed[n] = -kInfinity;
    return;
  }
  for (int ri : clone.instances) per_instance(dep, ri);
}

}  // namespace hactl::core::sched
