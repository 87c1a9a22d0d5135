// Clones in the working set (lib/pengine/clone.c clone_unpack and unpack.c
// find_anonymous_clone of Pacemaker 2.1.5): a clone becomes clone-max
// primitive instances "rsc:0".."rsc:N-1" with the clone's meta attributes;
// the history of an anonymous clone, recorded under the bare id or any
// instance id, belongs to whichever instance is active on that node, else to
// the first instance not active anywhere yet.
#include <algorithm>
#include <cstdlib>

#include <strings.h>

#include "core/scheduler/meta_lookup.h"
#include "core/scheduler/unpack_state.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {
namespace {

// A non-negative count (pcmk__scan_min_int with minimum 0); `fallback` when unset.
int count_of(const Attributes& meta, const std::string& name, int fallback) {
  auto it = meta.find(name);
  if (it == meta.end()) return fallback;
  long v = std::strtol(it->second.c_str(), nullptr, 10);
  return v < 0 ? 0 : static_cast<int>(std::min<long>(v, 1 << 20));
}

int clone_of_primitive(const WorkingSet& ws, std::string_view prim_id) {
  for (size_t ci = 0; ci < ws.clones.size(); ++ci)
    if (ws.clones[ci].cfg->child == prim_id) return static_cast<int>(ci);
  return -1;
}

}  // namespace

int WorkingSet::find_clone(std::string_view id) const {
  for (size_t ci = 0; ci < clones.size(); ++ci)
    if (clones[ci].id == id) return static_cast<int>(ci);
  return -1;
}

void unpack_clone(WorkingSet& ws, const Clone& c, const std::function<int(const Primitive&)>& add_primitive) {
  const Primitive* p = ws.cib->find_primitive(c.child);
  if (p == nullptr) return;
  const Attributes& d = ws.cib->rsc_defaults;
  SClone sc;
  sc.cfg = &c;
  sc.id = c.id;
  sc.unique = is_true(meta_value(c.meta, d, "globally-unique", "false"));
  sc.interleave = is_true(meta_value(c.meta, d, "interleave", "false"));
  sc.ordered = is_true(meta_value(c.meta, d, "ordered", "false"));
  sc.node_max = count_of(c.meta, "clone-node-max", 1);
  sc.clone_max = count_of(c.meta, "clone-max", std::max<int>(1, static_cast<int>(ws.nodes.size())));
  if (!sc.unique && sc.node_max > 1) sc.node_max = 1;  // anonymous: one instance per node
  // promoted-max / promoted-node-max, else the legacy master-max / master-node-max.
  sc.promotable = c.promotable;
  sc.promoted_max = count_of(c.meta, "promoted-max", count_of(c.meta, "master-max", 1));
  sc.promoted_node_max = count_of(c.meta, "promoted-node-max", count_of(c.meta, "master-node-max", 1));
  sc.managed = is_true(meta_value(c.meta, d, "is-managed", "true")) && !ws.maintenance_mode;
  sc.target_stopped = strcasecmp(meta_value(c.meta, d, "target-role", "Started").c_str(), "Stopped") == 0;
  const int ci = static_cast<int>(ws.clones.size());
  ws.clones.push_back(std::move(sc));
  // clone_unpack: resource-stickiness defaults to 1 for a clone's instances.
  const bool sticky_default = !p->meta.count("resource-stickiness") && !d.count("resource-stickiness");
  for (int i = 0; i < ws.clones[ci].clone_max; ++i) {
    int ri = add_primitive(*p);
    SRsc& r = ws.rscs[ri];
    r.id = p->id + ":" + std::to_string(i);
    r.clone = ci;
    r.instance = i;
    if (sticky_default) r.stickiness = 1;
    r.target_stopped = strcasecmp(meta_value(p->meta, d, "target-role", "Started").c_str(), "Stopped") == 0;
    ws.clones[ci].instances.push_back(ri);
    ws.top.push_back(ri);
  }
}

int clone_history_instance(WorkingSet& ws, int ni, const std::string& lr_id) {
  const std::string_view base = std::string_view(lr_id).substr(0, lr_id.find(':'));
  const int ci = clone_of_primitive(ws, base);
  if (ci < 0) return kNotCloneHistory;
  SClone& c = ws.clones[ci];
  if (c.unique) return kNotCloneHistory;  // a unique instance's history is under its own id
  int chosen = -1, inactive = -1;
  for (int ri : c.instances) {
    const SRsc& r = ws.rscs[ri];
    const bool here = std::find(r.running_on.begin(), r.running_on.end(), ni) != r.running_on.end() ||
                      (r.running_on.empty() && r.pending_node == ni);
    if (here) {
      // find_anonymous_clone: a second history on a node where an instance
      // is already active belongs to an orphan instance, not to this one.
      if (std::find(r.running_on.begin(), r.running_on.end(), ni) != r.running_on.end()) return -1;
      chosen = ri;
      break;
    }
    if (inactive < 0 && r.running_on.empty() && r.pending_node < 0) inactive = ri;
  }
  if (chosen < 0) chosen = inactive;
  // Without fencing requirements an unclean node does not use up an instance.
  if (chosen >= 0 && !ws.rscs[chosen].needs_fencing && (!ws.nodes[ni].online || ws.nodes[ni].unclean)) return -1;
  // unpack_find_resource: the last history entry mapped to an instance names it (clone_name).
  if (chosen >= 0) ws.rscs[chosen].history_name = lr_id;
  if (chosen >= 0) ws.rscs[chosen].instance_known_on.push_back(ni);
  return chosen;
}

// Which nodes know the clone (no probe there); every instance shares it.
void mark_clone_history(WorkingSet& ws) {
  for (auto& c : ws.clones) c.known_on.assign(ws.nodes.size(), 0);
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni) {
    if (ws.nodes[ni].state == nullptr) continue;
    for (const auto& lr : ws.nodes[ni].state->resources) {
      const std::string_view base = std::string_view(lr.id).substr(0, lr.id.find(':'));
      if (int ci = clone_of_primitive(ws, base); ci >= 0) ws.clones[ci].known_on[ni] = 1;
    }
  }
  for (auto& c : ws.clones)
    for (int ri : c.instances)
      for (size_t ni = 0; ni < ws.nodes.size(); ++ni)
        if (c.known_on[ni]) ws.rscs[ri].history_on[ni] = 1;
}

// fail-count-RSC#op_interval (or RSC:N) on a node counts for every instance
// there: an anonymous instance's fail count is looked up by the bare id.
void collect_clone_failures(WorkingSet& ws) {
  if (ws.clones.empty()) return;
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni)
    for_each_failure_attribute(ws, static_cast<int>(ni), [&](const std::string& id, bool is_count, const std::string& value) {
      const int ci = clone_of_primitive(ws, id);
      if (ci < 0) return;
      for (int ri : ws.clones[ci].instances) add_failure(ws.rscs[ri], static_cast<int>(ni), is_count, value);
    });
}

// "clone with X": each instance is colocated with X (append_parent_colocation
// keeps mandatory and negative ones for every instance). "X with clone": one
// colocation whose primary stands for the whole clone (primary_clone).
namespace {
// Started means any role; the legacy names are the modern ones.
std::string coloc_role(const std::string& role) {
  if (strcasecmp(role.c_str(), "Promoted") == 0 || strcasecmp(role.c_str(), "Master") == 0) return "Promoted";
  if (strcasecmp(role.c_str(), "Unpromoted") == 0 || strcasecmp(role.c_str(), "Slave") == 0) return "Unpromoted";
  return "";
}
}  // namespace

void unpack_clone_colocations(WorkingSet& ws) {
  for (const auto& c : ws.cib->colocations) {
    if (!c.sets.empty() || c.score == 0) continue;
    int dep_clone = ws.find_clone(c.rsc), pri_clone = ws.find_clone(c.with_rsc);
    if (dep_clone < 0 && pri_clone < 0) continue;
    int dep = ws.find_rsc(c.rsc), pri = ws.find_rsc(c.with_rsc);
    if ((dep_clone < 0 && dep < 0) || (pri_clone < 0 && pri < 0)) continue;
    Coloc k;
    k.id = c.id;
    k.score = c.score;
    k.node_attribute = c.node_attribute;
    k.dependent_role = dep_clone >= 0 && ws.clones[dep_clone].promotable ? coloc_role(c.rsc_role) : "";
    k.primary_role = pri_clone >= 0 && ws.clones[pri_clone].promotable ? coloc_role(c.with_rsc_role) : "";
    if (!k.dependent_role.empty()) {
      // pcmk__colocation_affects: by role, it sets promotion priorities once
      // the instances are placed; while they are placed (no next role yet)
      // only a negative one applies.
      k.primary = pri;
      ws.clones[dep_clone].role_colocs.push_back(k);
      if (c.score > 0) continue;
    }
    if (pri_clone >= 0 && dep_clone >= 0) {
      // Clone with clone: each instance is colocated with the primary clone
      // as a whole (pcmk__clone_apply_coloc_score for every instance).
      if (ws.clones[pri_clone].instances.empty() || !k.dependent_role.empty()) continue;
      k.primary = ws.clones[pri_clone].instances.front();
      k.primary_clone = pri_clone;
      for (int ri : ws.clones[dep_clone].instances) {
        k.dependent = ri;
        k.influence = c.influence.value_or(ws.rscs[ri].critical);
        ws.colocs.push_back(k);
      }
      continue;
    }
    if (pri_clone >= 0) {
      if (ws.clones[pri_clone].instances.empty()) continue;
      k.dependent = dep;
      k.primary = ws.clones[pri_clone].instances.front();
      k.primary_clone = pri_clone;
      k.influence = c.influence.value_or(ws.rscs[dep].is_group ? true : ws.rscs[dep].critical);
      ws.colocs.push_back(k);
      continue;
    }
    k.primary = pri;
    // A finite positive one only counts when not every node gets an instance.
    int available = 0;
    for (const auto& n : ws.nodes) available += n.available() ? 1 : 0;
    if (c.score > 0 && c.score < kInfinity && ws.clones[dep_clone].clone_max >= available) continue;
    for (int ri : ws.clones[dep_clone].instances) {
      k.dependent = ri;
      k.influence = c.influence.value_or(ws.rscs[ri].critical);
      ws.colocs.push_back(k);
    }
  }
}

}  // namespace hactl::core::sched
