// Resource assignment (pcmk_sched_primitive.c, pcmk_sched_group.c,
// pcmk_sched_colocation.c of Pacemaker 2.1.5): colocation scores applied
// from already-assigned primaries, dependents' preferences merged into the
// primary at factor score/INFINITY, then the best node chosen by compare_nodes.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <unordered_map>

#include "core/scheduler/assign.h"
#include "core/scheduler/utilization.h"

namespace hactl::core::sched {
namespace {

struct Assigner {
  WorkingSet& ws;
  std::vector<ScoreLine>* scores;
  NodeCapacities caps{ws};  // placement-strategy (utilization.h)

  bool node_ok(int n, const NodeTable& t, bool consider_score) const {
    if (!ws.nodes[n].available()) return false;
    return !consider_score || (t[n] && *t[n] >= 0);
  }
  bool any_available(const NodeTable& t) const {
    for (size_t n = 0; n < t.size(); ++n)
      if (t[n] && node_ok(static_cast<int>(n), t, true)) return true;
    return false;
  }
  const std::string* node_attr(int n, const std::string& attr) const {
    const auto& a = ws.nodes[n].attrs;
    auto it = a.find(attr.empty() ? std::string("#uname") : attr);
    return it == a.end() ? nullptr : &it->second;
  }
  static bool same_value(const std::string* a, const std::string* b) {
    if (a == nullptr || b == nullptr) return a == b;
    return strcasecmp(a->c_str(), b->c_str()) == 0;
  }

  void record(const char* fn, int ri, const NodeTable& t) {
    if (scores == nullptr) return;
    std::vector<int> idx;
    for (size_t n = 0; n < t.size(); ++n)
      if (t[n]) idx.push_back(static_cast<int>(n));
    std::sort(idx.begin(), idx.end(), [&](int a, int b) { return node_name_less(ws.nodes[a].uname, ws.nodes[b].uname); });
    for (int n : idx) scores->push_back({fn, ws.rscs[ri].id, ws.nodes[n].uname, *t[n]});
  }

  // --- colocation score application (dependent side) ---------------------

  // pcmk__apply_coloc_to_weights
  void apply_coloc_to_weights(int dep, int primary, const Coloc& c) {
    const SRsc& p = ws.rscs[primary];
    const std::string attr = c.node_attribute.empty() ? "#id" : c.node_attribute;
    const std::string* value = nullptr;
    if (p.allocated >= 0) {
      value = node_attr(p.allocated, attr);
    } else if (c.score < 0) {
      return;  // anti-colocation with something that will not run
    }
    NodeTable work = ws.rscs[dep].allowed;
    for (size_t n = 0; n < work.size(); ++n) {
      if (!work[n]) continue;
      if (p.allocated < 0) {
        work[n] = add_scores(-c.score, *work[n]);
      } else if (same_value(node_attr(static_cast<int>(n), attr), value)) {
        if (c.score < kInfinity) work[n] = add_scores(c.score, *work[n]);
      } else if (c.score >= kInfinity) {
        work[n] = add_scores(-c.score, *work[n]);
      }
    }
    if (c.score <= -kInfinity || c.score >= kInfinity || any_available(work)) ws.rscs[dep].allowed = std::move(work);
  }

  // Primitive dependent with primary (a primitive or a group).
  void apply_coloc_score(int dep, int primary, const Coloc& c) {
    if (c.primary_clone >= 0) {
      apply_coloc_with_clone(ws, dep, c, [&](int d, int instance) {
        if (!ws.rscs[instance].provisional) apply_coloc_to_weights(d, instance, c);
      });
      return;
    }
    SRsc& p = ws.rscs[primary];
    if (p.is_group) {
      if (p.provisional || p.children.empty()) return;
      int member = c.score >= kInfinity ? p.children.back() : p.children.front();
      primary = member;
    }
    if (ws.rscs[primary].provisional) return;  // primary not assigned yet (loop)
    if (!ws.rscs[dep].provisional) return;     // dependent already assigned
    apply_coloc_to_weights(dep, primary, c);
  }

  // --- merging dependents' preferences (primary side) -------------------

  // Case-insensitive key of a node's attribute value (same_value's equality);
  // a missing attribute matches only other missing ones.
  std::string value_key(int n, const std::string& attr) const {
    const std::string* v = node_attr(n, attr);
    if (v == nullptr) return std::string(1, '\0');
    std::string k = *v;
    for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return k;
  }

  void add_scores_matching_attr(NodeTable& work, int ri, const std::string& attr, float factor) {
    // The best available score of `ri` per attribute value, in one pass over
    // the nodes (comparing every node with every node was quadratic).
    const SRsc& r = ws.rscs[ri];
    std::unordered_map<std::string, int> best_by_value;
    for (size_t n = 0; n < r.allowed.size(); ++n) {
      if (!r.allowed[n] || !ws.nodes[n].available()) continue;
      auto [it, fresh] = best_by_value.emplace(value_key(static_cast<int>(n), attr), *r.allowed[n]);
      if (!fresh) it->second = std::max(it->second, *r.allowed[n]);
    }
    for (size_t n = 0; n < work.size(); ++n) {
      if (!work[n]) continue;
      auto it = best_by_value.find(value_key(static_cast<int>(n), attr));
      int score = it == best_by_value.end() ? -kInfinity : std::max(it->second, -kInfinity);
      if (factor < 0 && score < 0) continue;  // a double negative is no preference
      float weight_f = factor * static_cast<float>(score);
      int weight = static_cast<int>(weight_f < 0 ? weight_f - 0.5f : weight_f + 0.5f);
      // The sign of a rounded-away preference comes from the factor.
      if (weight == 0 && score != 0) weight = factor > 0 ? 1 : (factor < 0 ? -1 : 0);
      work[n] = add_scores(weight, *work[n]);
    }
  }

  // pcmk__add_colocated_node_scores with pcmk__coloc_select_active (without
  // it, `select_active` false, a result no node can run with is kept).
  void add_colocated_node_scores(int ri, NodeTable& nodes, const std::string& attr, float factor,
                                 bool select_active = true) {
    SRsc& r = ws.rscs[ri];
    if (r.merging) return;  // dependency loop
    r.merging = true;
    NodeTable work;
    if (r.is_group) {
      if (r.children.empty()) {
        r.merging = false;
        return;
      }
      work = nodes;
      add_colocated_node_scores(r.children.front(), work, attr, factor, select_active);
    } else {
      work = nodes;
      add_scores_matching_attr(work, ri, attr, factor);
    }
    if (any_available(work)) {
      float multiplier = factor < 0 ? -1.0f : 1.0f;
      const std::vector<int> list = r.is_group ? ws.rscs[r.children.back()].with_this : r.with_this;
      for (int ci : list) {
        const Coloc& c = ws.colocs[ci];
        if (!has_influence(c)) continue;
        float f = multiplier * static_cast<float>(c.score) / static_cast<float>(kInfinity);
        add_colocated_node_scores(c.dependent, work, c.node_attribute, f);
      }
    } else if (select_active) {
      r.merging = false;
      return;  // roll back
    }
    nodes = std::move(work);
    r.merging = false;
  }

  bool has_influence(const Coloc& c) const { return c.influence || ws.rscs[c.primary].running_on.empty(); }

  // --- assignment ---------------------------------------------------------

  int current_node(const SRsc& r) const { return r.running_on.empty() ? -1 : r.running_on.front(); }

  void unassign(int ri) {
    SRsc& r = ws.rscs[ri];
    if (r.allocated >= 0) ws.nodes[r.allocated].num_resources--;
    caps.release(r.allocated, ri);
    r.allocated = -1;
    r.provisional = true;
    r.next_stopped = false;
  }

  void finalize(int ri, int chosen, bool force) {
    SRsc& r = ws.rscs[ri];
    if (!force && chosen >= 0) {
      if (!r.allowed[chosen] || *r.allowed[chosen] < 0 || !node_ok(chosen, r.allowed, true)) chosen = -1;
    }
    r.provisional = false;
    r.allocated = chosen;
    if (chosen < 0) {
      r.next_stopped = true;
      return;
    }
    ws.nodes[chosen].num_resources++;
    caps.consume(chosen, ri);
  }

  void assign_best_node(int ri, int prefer) {
    const int most_free = caps.ban_insufficient(ws, ri);
    if (prefer < 0) prefer = most_free;
    SRsc& r = ws.rscs[ri];
    std::vector<int> nodes;
    for (size_t n = 0; n < r.allowed.size(); ++n)
      if (r.allowed[n]) nodes.push_back(static_cast<int>(n));
    int active = current_node(r);
    auto eff = [&](int n) { return ws.nodes[n].available() ? *r.allowed[n] : -kInfinity; };
    std::stable_sort(nodes.begin(), nodes.end(), [&](int a, int b) {
      if (eff(a) != eff(b)) return eff(a) > eff(b);
      if (caps.minimal()) return std::strcmp(ws.nodes[a].uname.c_str(), ws.nodes[b].uname.c_str()) < 0;
      if (int c = caps.balanced() ? caps.compare(a, b) : 0; c != 0) return c < 0;
      if (ws.nodes[a].num_resources != ws.nodes[b].num_resources)
        return ws.nodes[a].num_resources < ws.nodes[b].num_resources;
      if (active >= 0 && (a == active || b == active)) return a == active;
      return std::strcmp(ws.nodes[a].uname.c_str(), ws.nodes[b].uname.c_str()) < 0;
    });
    int chosen = -1;
    if (prefer >= 0 && !nodes.empty() && r.allowed[prefer] && *r.allowed[prefer] >= *r.allowed[nodes[0]] &&
        node_ok(prefer, r.allowed, true)) {
      chosen = prefer;
    }
    if (chosen < 0 && !nodes.empty()) {
      chosen = nodes[0];
      // Keep the current node when it ties with the best (score > 0 only).
      // Pacemaker checks the current node as listed in the resource's
      // running_on, which carries the node's own weight, not the resource's
      // score there: a node with a negative <node score> is never kept this
      // way (assign_best_node).
      const bool active_usable = active >= 0 && ws.nodes[active].available() && ws.nodes[active].weight >= 0;
      if (*r.allowed[chosen] > 0 && ws.nodes[chosen].available() && active_usable) {
        for (size_t i = 1; i < nodes.size(); ++i) {
          if (*r.allowed[nodes[i]] != *r.allowed[chosen]) break;
          if (nodes[i] == active) chosen = active;
        }
      }
    }
    finalize(ri, chosen, false);
  }

  void assign(int ri, int prefer) {
    SRsc& r = ws.rscs[ri];
    if (r.is_group) return assign_group(ri, prefer);
    if (r.clone >= 0 && !ws.clones[r.clone].assigning && !ws.clones[r.clone].assigned) {
      InstanceAssigner ia{[&](int i, int p) {
                            assign(i, p);
                            return ws.rscs[i].allocated;
                          },
                          [&](int i) { unassign(i); },
                          [&](int i, NodeTable& t, const std::string& attr, float f, bool active) {
                            add_colocated_node_scores(i, t, attr, f, active);
                          }};
      return assign_clone(ws, r.clone, ia);
    }
    if (r.parent >= 0 && !ws.rscs[r.parent].allocating) assign(r.parent, prefer);
    if (!ws.rscs[ri].provisional) return;
    if (ws.rscs[ri].allocating) return;  // assignment loop
    ws.rscs[ri].allocating = true;

    for (int ci : std::vector<int>(ws.rscs[ri].this_with)) {
      const Coloc c = ws.colocs[ci];
      std::optional<NodeTable> archive;
      if (c.score < 0 && c.score > -kInfinity) archive = ws.rscs[ri].allowed;
      assign(c.primary, -1);
      apply_coloc_score(ri, c.primary, c);
      if (archive && !any_available(ws.rscs[ri].allowed)) ws.rscs[ri].allowed = std::move(*archive);
    }
    for (int ci : std::vector<int>(ws.rscs[ri].with_this)) {
      const Coloc c = ws.colocs[ci];
      if (!has_influence(c)) continue;
      float factor = static_cast<float>(c.score) / static_cast<float>(kInfinity);
      NodeTable t = ws.rscs[ri].allowed;
      add_colocated_node_scores(c.dependent, t, c.node_attribute, factor);
      ws.rscs[ri].allowed = std::move(t);
    }
    SRsc& me = ws.rscs[ri];
    if (me.target_stopped) {
      me.next_stopped = true;
      for (auto& slot : me.allowed) {
        // resource_location(rsc, NULL, -INFINITY): every node, created if absent.
        slot = add_scores(slot.value_or(0), -kInfinity);
      }
    }
    record("pcmk__primitive_assign", ri, me.allowed);

    if (ws.stonith_enabled && !ws.have_stonith_resource) me.managed = false;
    if (!me.managed) {
      finalize(ri, current_node(me), true);
    } else if (ws.stop_all) {
      finalize(ri, -1, true);
    } else {
      assign_best_node(ri, prefer);
    }
    ws.rscs[ri].allocating = false;
  }

  void assign_group(int gi, int prefer) {
    SRsc& g = ws.rscs[gi];
    if (!g.provisional || g.allocating) return;
    if (g.children.empty()) {
      g.provisional = false;
      return;
    }
    g.allocating = true;
    // "G with X" becomes "first member with X"; "X with G" becomes "X with last member".
    int first = g.children.front(), last = g.children.back();
    for (int ci : g.this_with) insert_sorted(ws.rscs[first].this_with, ci, true);
    g.this_with.clear();
    for (int ci : g.with_this) insert_sorted(ws.rscs[last].with_this, ci, false);
    g.with_this.clear();
    record("pcmk__group_assign", gi, g.allowed);
    for (int c : std::vector<int>(ws.rscs[gi].children)) assign(c, prefer);
    SRsc& g2 = ws.rscs[gi];
    g2.next_stopped = ws.rscs[first].next_stopped;
    g2.allocated = ws.rscs[first].allocated;
    g2.allocating = false;
    g2.provisional = false;
  }

  void insert_sorted(std::vector<int>& list, int ci, bool by_primary) {
    const Coloc& k = ws.colocs[ci];
    auto after = [&](int x) {
      const Coloc& o = ws.colocs[x];
      int oa = by_primary ? o.primary : o.dependent, kb = by_primary ? k.primary : k.dependent;
      const SRsc &a = ws.rscs[oa], &b = ws.rscs[kb];
      if (a.priority != b.priority) return a.priority < b.priority;
      if (a.is_group != b.is_group) return !a.is_group;
      return a.id.compare(b.id) >= 0;  // before equals, as g_list_insert_sorted
    };
    list.insert(std::find_if(list.begin(), list.end(), after), ci);
  }
};

}  // namespace

void assign_all(WorkingSet& ws, std::vector<ScoreLine>* scores) {
  sort_for_utilization(ws);
  Assigner a{ws, scores};
  for (int t : ws.top) a.assign(t, -1);
}

}  // namespace hactl::core::sched
