// Which instances of a promotable clone are promoted (pcmk_sched_promotable.c
// of Pacemaker 2.1.5: promotion_score, pcmk__add_promotion_scores,
// set_instance_priority, sort_promotable_instances, set_instance_role).
#include "core/scheduler/promotable.h"

#include <algorithm>

#include <strings.h>

#include "core/scheduler/assign.h"
#include "core/scheduler/clone_assign.h"
#include "core/scheduler/meta_lookup.h"
#include "core/scheduler/rules.h"

namespace hactl::core::sched {
namespace {

bool has(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool is_role_promoted(const std::string& role) { return role == "Promoted" || role == "Master"; }

// promotion_score_applies: an instance's score counts on a node where it is
// active, where the clone was probed and no other instance is active, or
// anywhere while nothing is known yet; and only where it is allowed.
bool score_applies(const WorkingSet& ws, const SClone& c, const SRsc& r, int n) {
  bool applies = false;
  if (!c.unique) {
    int active = -1;
    for (int ri : c.instances)
      if (has(ws.rscs[ri].running_on, n)) active = ri;
    if (active >= 0 && &ws.rscs[active] == &r) applies = true;
    if (active < 0 && n < static_cast<int>(c.known_on.size()) && c.known_on[n]) applies = true;
  }
  if (!applies && r.running_on.empty() && r.instance_known_on.empty()) applies = true;
  if (!applies && (has(r.instance_known_on, n) || has(r.running_on, n))) applies = true;
  return applies && r.allowed[n] && *r.allowed[n] >= 0;
}

// promotion_score: the node attribute master-<name>, the name being the one
// the history was found under (else the instance id, else the bare id for
// an anonymous clone). `is_default` when no such attribute exists.
Score promotion_score(const WorkingSet& ws, const SClone& c, const SRsc& r, int n, bool* is_default) {
  if (is_default) *is_default = true;
  if (!score_applies(ws, c, r, n)) return 0;
  const Attributes& attrs = ws.nodes[n].attrs;
  const std::string& name = r.history_name.empty() ? r.id : r.history_name;
  auto it = attrs.find("master-" + name);
  if (it == attrs.end() && !c.unique) {
    const std::string bare = name.substr(0, name.find(':'));
    if (bare != name) it = attrs.find("master-" + bare);
  }
  if (it == attrs.end()) return 0;
  if (is_default) *is_default = false;
  return parse_score_lenient(it->second);
}

// Scores of location constraints limited to the Promoted role, per node, for
// the clone (or its primitive): apply_promoted_locations.
std::vector<Score> promoted_locations(const WorkingSet& ws, const SClone& c) {
  std::vector<Score> out(ws.nodes.size(), 0);
  for (const auto& lc : ws.cib->locations) {
    if (lc.rsc != c.id && lc.rsc != c.cfg->child) continue;
    if (!lc.rsc_pattern.empty() || !lc.sets.empty()) continue;
    const bool promoted_only = is_role_promoted(lc.role);
    if (!lc.node.empty() && promoted_only) {
      int ni = ws.find_node(lc.node);
      if (ni >= 0) out[ni] = add_scores(out[ni], lc.score.value_or(0));
    }
    for (const auto& rule : lc.rules) {
      if (!promoted_only && !is_role_promoted(rule.role)) continue;
      for (size_t n = 0; n < ws.nodes.size(); ++n) {
        const auto& attrs = ws.nodes[n].attrs;
        if (!evaluate_rule(rule, attrs, ws.now)) continue;
        Score s = 0;
        if (rule.score) {
          s = *rule.score;
        } else if (!rule.score_attribute.empty()) {
          auto it = attrs.find(rule.score_attribute);
          s = it == attrs.end() ? -kInfinity : parse_score_lenient(it->second);
        }
        out[n] = add_scores(out[n], s);
      }
    }
  }
  return out;
}

// target-role Unpromoted (or Slave) on the clone or its primitive: no
// instance may be promoted.
bool limited_to_unpromoted(const WorkingSet& ws, const SClone& c) {
  const Attributes& d = ws.cib->rsc_defaults;
  std::string role = meta_value(c.cfg->meta, d, "target-role", "");
  if (const Primitive* p = ws.cib->find_primitive(c.cfg->child); p && p->meta.count("target-role"))
    role = p->meta.at("target-role");
  return strcasecmp(role.c_str(), "Unpromoted") == 0 || strcasecmp(role.c_str(), "Slave") == 0;
}

const std::string* node_value(const WorkingSet& ws, int n, const std::string& attr);
bool same_value(const std::string* a, const std::string* b);

// pcmk__apply_coloc_to_priority for "clone:ROLE with primitive".
Score apply_role_coloc(const WorkingSet& ws, const Coloc& k, int chosen, Score priority) {
  const SRsc& p = ws.rscs[k.primary];
  if (p.allocated < 0) return priority;
  if (!same_value(node_value(ws, chosen, k.node_attribute), node_value(ws, p.allocated, k.node_attribute))) {
    if (k.score >= kInfinity && k.dependent_role == "Promoted") return -kInfinity;
    return priority;
  }
  const Score s = k.dependent_role == "Unpromoted" ? -k.score : k.score;
  return add_scores(s, priority);
}

}  // namespace

void add_promotion_scores(WorkingSet& ws, int ci) {
  const SClone& c = ws.clones[ci];
  for (int ri : c.instances) {
    SRsc& r = ws.rscs[ri];
    for (size_t n = 0; n < r.allowed.size(); ++n) {
      // A node that can never be promoted gets no promotion score, which
      // could only shuffle the instances.
      if (!r.allowed[n] || !ws.nodes[n].available()) continue;
      Score s = promotion_score(ws, c, r, static_cast<int>(n), nullptr);
      if (s > 0) {
        r.allowed[n] = add_scores(*r.allowed[n], s);
        ws.note(ri, static_cast<int>(n), s, "promotion score (master-" + r.prim->id + ")");
      }
      if (s > r.priority) r.priority = static_cast<int>(s);
    }
  }
}

void set_instance_roles(WorkingSet& ws, int ci, const InstanceAssigner& a) {
  SClone& c = ws.clones[ci];
  const std::vector<Score> locations = promoted_locations(ws, c);
  const bool unpromoted_only = limited_to_unpromoted(ws, c);
  std::vector<Score> sort_index(ws.rscs.size(), 0);
  // set_instance_priority
  for (int ri : c.instances) {
    SRsc& r = ws.rscs[ri];
    r.promote_next = false;
    const int chosen = r.allocated;
    if (chosen < 0) continue;
    Score priority = -kInfinity;
    if (!unpromoted_only) {
      bool is_default = false;
      priority = promotion_score(ws, c, r, chosen, &is_default);
      if (is_default) priority = -1;  // never promoted without a score
    }
    priority = add_scores(priority, locations[chosen]);
    for (const Coloc& k : c.role_colocs)
      if (k.primary >= 0) priority = apply_role_coloc(ws, k, chosen, priority);
    r.promotion_priority = priority;
    sort_index[ri] = priority;
  }
  // sort_promotable_instances: each instance's priority is added to the
  // clone's weight for its node, which becomes its final sort index.
  NodeTable weight = c.allowed;
  // pcmk__clone_allocate merged what is colocated with the clone into the
  // clone's own table, which the promotion priorities start from.
  for (const Coloc& k : std::vector<Coloc>(ws.colocs))
    if (k.primary_clone == ci && k.dependent >= 0 && (k.influence || ws.rscs[k.dependent].running_on.empty()))
      a.merge_scores(k.dependent, weight, k.node_attribute, static_cast<float>(k.score) / static_cast<float>(kInfinity),
                     true);
  for (int ri : c.instances) {
    const SRsc& r = ws.rscs[ri];
    if (sort_index[ri] >= 0 && r.allocated >= 0)
      weight[r.allocated] = add_scores(sort_index[ri], weight[r.allocated].value_or(0));
  }
  // apply_coloc_to_dependent / apply_coloc_to_primary: what the promoted
  // instances are colocated with, and what is colocated with them.
  for (const Coloc& k : c.role_colocs)
    if (k.primary >= 0 && k.dependent_role == "Promoted")
      a.merge_scores(k.primary, weight, k.node_attribute, static_cast<float>(k.score) / static_cast<float>(kInfinity),
                     k.score < kInfinity);
  for (const Coloc& k : std::vector<Coloc>(ws.colocs))
    if (k.primary_clone == ci && k.primary_role == "Promoted" && k.dependent >= 0 &&
        (k.influence || ws.rscs[k.dependent].running_on.empty()))
      a.merge_scores(k.dependent, weight, k.node_attribute, static_cast<float>(k.score) / static_cast<float>(kInfinity),
                     true);
  for (int ri : c.instances) {
    const SRsc& r = ws.rscs[ri];
    if (!r.managed && r.promoted) sort_index[ri] = kInfinity;
    else if (r.allocated >= 0 && sort_index[ri] >= 0) sort_index[ri] = weight[r.allocated].value_or(0);
  }
  std::vector<int> order = c.instances;
  const std::vector<int> saved_count = c.count;
  c.count.assign(ws.nodes.size(), 0);  // the count is repurposed (zeroed) while sorting
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    if (sort_index[x] != sort_index[y]) return sort_index[x] > sort_index[y];
    const int rx = ws.rscs[x].running_on.empty() ? 0 : ws.rscs[x].promoted ? 2 : 1;
    const int ry = ws.rscs[y].running_on.empty() ? 0 : ws.rscs[y].promoted ? 2 : 1;
    if (rx != ry) return rx > ry;
    return clone_instance_before(ws, c, x, y);
  });
  // set_instance_role: the first promoted-max eligible instances.
  std::vector<int> per_node(ws.nodes.size(), 0);
  int promoted = 0;
  for (int ri : order) {
    SRsc& r = ws.rscs[ri];
    const int n = r.allocated;
    if (sort_index[ri] < 0 || n < 0) continue;
    if (promoted >= c.promoted_max && c.managed) continue;
    // node_to_be_promoted_on: an unmanaged instance stays promoted where it is.
    if (!r.managed && !r.promoted) continue;
    if (r.managed && (r.promotion_priority < 0 || !ws.nodes[n].available())) continue;
    if (!c.allowed[n]) continue;
    if (per_node[n] >= c.promoted_node_max && r.managed) continue;
    if (!r.promoted && !ws.have_quorum && ws.no_quorum_policy == "freeze") continue;
    per_node[n]++;
    r.promote_next = true;
    ++promoted;
  }
  c.count = saved_count;
  c.order = order;
}

}  // namespace hactl::core::sched

namespace hactl::core::sched {
namespace {

const std::string* node_value(const WorkingSet& ws, int n, const std::string& attr) {
  const auto& attrs = ws.nodes[n].attrs;
  auto it = attrs.find(attr.empty() ? std::string("#uname") : attr);
  return it == attrs.end() ? nullptr : &it->second;
}

bool same_value(const std::string* a, const std::string* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return strcasecmp(a->c_str(), b->c_str()) == 0;
}

}  // namespace

void apply_coloc_with_role(WorkingSet& ws, int dep, const Coloc& c) {
  const SClone& clone = ws.clones[c.primary_clone];
  SRsc& d = ws.rscs[dep];
  std::vector<char> affected(ws.nodes.size(), 0);
  for (int ri : clone.instances) {
    const SRsc& r = ws.rscs[ri];
    if (r.allocated < 0) continue;
    const std::string role = r.promote_next ? "Promoted" : "Unpromoted";
    if (role != c.primary_role) continue;
    affected[r.allocated] = 1;
    if (c.score >= kInfinity) continue;  // mandatory: only the exclusion below matters
    const std::string* value = node_value(ws, r.allocated, c.node_attribute);
    for (size_t n = 0; n < d.allowed.size(); ++n)
      if (d.allowed[n] && same_value(node_value(ws, static_cast<int>(n), c.node_attribute), value))
        d.allowed[n] = add_scores(*d.allowed[n], c.score);
  }
  if (c.score >= kInfinity && !(c.dependent_role == "Promoted" && c.primary_role == "Promoted"))
    for (size_t n = 0; n < d.allowed.size(); ++n)
      if (d.allowed[n] && !affected[n]) d.allowed[n] = -kInfinity;
}

}  // namespace hactl::core::sched
