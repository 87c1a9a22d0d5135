// cluster_status(): the scheduler's unpack, reduced to what a status display
// needs (pe_output.c node_list, native.c pcmk__native_output_string,
// group.c group_header).
#include "core/scheduler/cluster_status.h"

#include <algorithm>
#include <unordered_map>

#include "core/scheduler/working_set.h"

namespace hactl::core {
namespace {

// services_ocf_exitcode_str for the results a masked probe failure can carry.
const char* ocf_exit_text(int rc) {
  switch (rc) {
    case 0: return "ok";
    case 1: return "error";
    case 2: return "invalid parameter";
    case 3: return "unimplemented feature";
    case 4: return "insufficient privileges";
    case 5: return "not installed";
    case 6: return "not configured";
    case 7: return "not running";
    case 8: return "promoted";
    case 9: return "promoted (failed)";
    default: return "unknown";
  }
}

// A group's meta-attribute, else the resource default (get_meta_attributes).
std::string group_meta(const Cib& cib, const std::string& group, const std::string& name) {
  if (const Group* g = cib.find_group(group))
    if (auto it = g->meta.find(name); it != g->meta.end()) return it->second;
  auto it = cib.rsc_defaults.find(name);
  return it == cib.rsc_defaults.end() ? std::string() : it->second;
}

PrimitiveStatus primitive_status(const sched::WorkingSet& ws, const sched::SRsc& r,
                                 const std::unordered_map<std::string_view, size_t>& status_order) {
  PrimitiveStatus p;
  p.id = r.id;
  p.agent = r.prim ? r.prim->agent() : std::string();
  p.orphaned = r.orphan;
  // rsc->running_on grows as unpack_node_history walks the status section.
  std::vector<int> on = r.running_on;
  auto rank = [&](int n) {
    auto it = status_order.find(ws.nodes[n].uname);
    return it == status_order.end() ? status_order.size() : it->second;
  };
  std::stable_sort(on.begin(), on.end(), [&](int a, int b) { return rank(a) < rank(b); });
  for (int n : on) p.running_on.push_back(ws.nodes[n].uname);
  // pe__resource_text: an inactive resource is shown where an op is pending.
  const int shown = r.current >= 0 ? r.current : r.pending_node;
  if (shown >= 0) {
    const auto& n = ws.nodes[shown];
    p.node = n.uname;
    p.node_unclean = n.unclean && !n.online;
  }
  p.pending_task = r.pending_task;
  p.failed = r.failed;
  p.managed = r.managed;
  p.blocked = r.blocked;
  p.failure_ignored = r.failure_ignored;
  p.disabled = r.target_stopped;
  if (r.running_on.empty() && r.failed_probe_rc >= 0) p.failed_probe = ocf_exit_text(r.failed_probe_rc);
  return p;
}

// pe__clone_default: the instances (an anonymous one under its primitive's
// id), and the nodes of the clone's table it is not active on.
TopLevelStatus clone_status(const sched::WorkingSet& ws, const sched::SClone& c,
                            const std::unordered_map<std::string_view, size_t>& status_order) {
  TopLevelStatus t;
  t.clone = c.id;
  t.clone_child = c.cfg->child;
  t.unique = c.unique;
  t.promotable = c.promotable;
  t.managed = c.managed;
  t.disabled = c.target_stopped;
  std::vector<char> active(ws.nodes.size(), 0);
  int active_instances = 0;
  for (int ri : c.instances) {
    const auto& r = ws.rscs[ri];
    PrimitiveStatus p = primitive_status(ws, r, status_order);
    if (!c.unique) p.id = c.cfg->child;
    if (c.promotable && !r.running_on.empty()) p.role = r.promoted ? "Promoted" : "Unpromoted";
    t.primitives.push_back(std::move(p));
    if (!r.running_on.empty()) ++active_instances;
    for (int n : r.running_on) active[n] = 1;
  }
  if (c.clone_max > active_instances && !c.unique) {
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      // Without a symmetric cluster the table is still empty here: the nodes
      // the clone is known on stand in for it.
      const bool listed = ws.symmetric || (n < c.known_on.size() && c.known_on[n]);
      if (listed && !active[n]) t.stopped_on.push_back(ws.nodes[n].uname);
    }
    std::sort(t.stopped_on.begin(), t.stopped_on.end(), sched::node_name_less);
  }
  return t;
}

}  // namespace

ClusterStatus cluster_status(const Cib& cib, int64_t now) {
  sched::WorkingSet ws = sched::unpack(cib, now);
  ClusterStatus cs;
  std::unordered_map<std::string_view, size_t> status_order;
  for (const auto& st : cib.node_states) status_order.emplace(st.uname, status_order.size());

  std::vector<bool> busy(ws.nodes.size(), false);
  for (const auto& r : ws.rscs)
    if (!r.is_group)
      for (int n : r.running_on) busy[n] = true;
  for (size_t i = 0; i < ws.nodes.size(); ++i) {
    const auto& n = ws.nodes[i];
    cs.nodes.push_back({n.uname, n.online, n.unclean, n.pending, n.standby, n.standby_onfail, n.maintenance, busy[i]});
  }
  // data_set->nodes is kept sorted by name (pe_create_node, pe__cmp_node_name).
  std::stable_sort(cs.nodes.begin(), cs.nodes.end(),
                   [](const NodeStatus& a, const NodeStatus& b) { return sched::node_name_less(a.uname, b.uname); });

  std::vector<char> clone_shown(ws.clones.size(), 0);
  for (int ti : ws.top) {
    const auto& r = ws.rscs[ti];
    TopLevelStatus t;
    if (r.clone >= 0) {
      if (clone_shown[r.clone]) continue;
      clone_shown[r.clone] = 1;
      cs.resources.push_back(clone_status(ws, ws.clones[r.clone], status_order));
      continue;
    }
    if (r.is_group) {
      t.group = r.id;
      // complex.c: a group's own maintenance meta-attribute unmanages it too
      // (the scheduler only needs that on its members, which inherit it).
      t.managed = r.managed && !is_true(group_meta(cib, r.id, "maintenance"));
      t.disabled = r.target_stopped;
      for (int c : r.children) t.primitives.push_back(primitive_status(ws, ws.rscs[c], status_order));
    } else {
      // print_resource_list skips inactive orphans (deleted, history kept).
      if (r.orphan && r.running_on.empty()) continue;
      t.primitives.push_back(primitive_status(ws, r, status_order));
    }
    cs.resources.push_back(std::move(t));
  }

  for (const auto& r : ws.rscs)
    for (const auto& [n, op] : r.failed_ops) cs.failed_actions.push_back({r.id, ws.nodes[n].uname, op});
  auto node_rank = [&](const FailedAction& f) { return status_order.at(f.node); };
  std::stable_sort(cs.failed_actions.begin(), cs.failed_actions.end(),
                   [&](const FailedAction& a, const FailedAction& b) { return node_rank(a) < node_rank(b); });
  return cs;
}

const NodeStatus* ClusterStatus::find_node(std::string_view uname) const {
  for (const auto& n : nodes)
    if (n.uname == uname) return &n;
  return nullptr;
}

const PrimitiveStatus* ClusterStatus::find_primitive(std::string_view id) const {
  for (const auto& t : resources)
    for (const auto& p : t.primitives)
      if (p.id == id) return &p;
  return nullptr;
}

}  // namespace hactl::core
