// Unpacking a Cib into the scheduler's working set: node availability
// (lib/pengine/unpack.c determine_online_status*), resource meta defaults
// (complex.c), colocation lists (pcmk_sched_colocation.c) and current state
// from the operation history.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <strings.h>

#include "core/duration.h"
#include "core/scheduler/op_history.h"
#include "core/scheduler/ordering.h"
#include "core/scheduler/recurring_ops.h"
#include "core/scheduler/meta_lookup.h"
#include "core/scheduler/resource_sets.h"
#include "core/scheduler/rules.h"
#include "core/scheduler/unpack_state.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {
namespace {

bool has_rule_set(const std::vector<NvSet>& sets) {
  return std::any_of(sets.begin(), sets.end(), [](const NvSet& s) { return s.has_rule; });
}

bool equals_nocase(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

// complex.c: multiple-active, requires (unpack_requires) and the deprecated
// restart-type. Unknown values fall back to the defaults, as Pacemaker's do.
void unpack_recovery_meta(const WorkingSet& ws, SRsc& r, const std::string& multiple, const std::string& requires_value,
                          const std::string& restart_type) {
  r.multiple_active = "stop_start";
  for (const char* v : {"stop_only", "block", "stop_unexpected"})
    if (equals_nocase(multiple, v)) r.multiple_active = v;
  r.restart_type_restart = equals_nocase(restart_type, "restart");
  r.needs_quorum = !equals_nocase(requires_value, "nothing");
  if (equals_nocase(requires_value, "nothing") || equals_nocase(requires_value, "quorum")) {
    r.needs_fencing = false;
  } else if (equals_nocase(requires_value, "fencing")) {
    r.needs_fencing = true;
  } else if (equals_nocase(requires_value, "unfencing")) {
    r.needs_fencing = !r.is_stonith && ws.stonith_enabled;
  } else {
    // Fencing devices only need quorum: they must be able to run before the
    // nodes they are to fence have been fenced. Without fencing, and with
    // no-quorum-policy=ignore, the default is "nothing".
    r.needs_fencing = !r.is_stonith && ws.stonith_enabled;
    if (!r.is_stonith && !ws.stonith_enabled && ws.no_quorum_policy == "ignore") r.needs_quorum = false;
  }
}

// Pacemaker 2.1.5 keeps only the first ordering between two actions:
// order_actions() drops a new one when the pair is already ordered with any
// flag in common, and every user ordering carries pe_order_optional. So of
// duplicate "A then B" constraints the first one configured decides, whatever
// the later ones' kinds, and a symmetric ordering's inverse ("stop B then stop
// A", created right after it by inverse_ordering) counts as configured too.
void unpack_orderings(WorkingSet& ws) {
  auto inverse = [](const std::string& task) {
    return task == "start" ? std::string("stop") : task == "stop" ? std::string("start")
         : task == "promote" ? std::string("demote") : task == "demote" ? std::string("promote") : std::string();
  };
  std::set<std::array<std::string, 4>> ordered;  // (first, first task, then, then task)
  ws.order_list = expand_order_sets(ws.cib->orders, ws.set_orders);
  for (const OrderConstraint* op : ws.order_list) {
    const OrderConstraint& o = *op;
    if (ws.find_rsc(o.first) < 0 || ws.find_rsc(o.then) < 0) continue;
    const std::string then_action = order_then_task(o);
    if (ordered.insert({o.first, o.first_action, o.then, then_action}).second) ws.orders.push_back(&o);
    const bool symmetrical = order_symmetric(o);
    std::string first_inverse = inverse(o.first_action), then_inverse = inverse(then_action);
    if (symmetrical && !first_inverse.empty() && !then_inverse.empty())
      ordered.insert({o.then, then_inverse, o.first, first_inverse});
  }
}

}  // namespace

// pe_fence_node: the first reason given for fencing a node is the one its
// fence action keeps; the order of these requests is the order Pacemaker
// creates the fence actions in (the Transition Summary lists them reversed).
void request_fencing(WorkingSet& ws, int ni, const std::string& reason) {
  SNode& n = ws.nodes[ni];
  if (n.unclean) return;
  n.unclean = true;
  n.fence_reason = reason;
  ws.fence_requests.push_back(ni);
}

int WorkingSet::find_rsc(std::string_view id) const {
  return rsc_index.find(rscs, [](const SRsc& r) -> const std::string& { return r.id; }, id);
}
int WorkingSet::find_node(std::string_view uname) const {
  return node_index.find(nodes, [](const SNode& n) -> const std::string& { return n.uname; }, uname);
}


bool WorkingSet::can_fence(int node) const {
  if (!stonith_enabled || !have_stonith_resource) return false;
  return have_quorum || no_quorum_policy == "ignore" || (node >= 0 && nodes[node].online);
}

bool node_name_less(const std::string& a, const std::string& b) {
  // Compare runs of digits numerically, the rest case-insensitively.
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit((unsigned char)a[i]) && std::isdigit((unsigned char)b[j])) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit((unsigned char)a[i2])) ++i2;
      while (j2 < b.size() && std::isdigit((unsigned char)b[j2])) ++j2;
      long x = std::stol(a.substr(i, std::min<size_t>(i2 - i, 18)));
      long y = std::stol(b.substr(j, std::min<size_t>(j2 - j, 18)));
      if (x != y) return x < y;
      i = i2;
      j = j2;
      continue;
    }
    int ca = std::tolower((unsigned char)a[i]), cb = std::tolower((unsigned char)b[j]);
    if (ca != cb) return ca < cb;
    ++i;
    ++j;
  }
  return (a.size() - i) < (b.size() - j);
}

WorkingSet unpack(const Cib& cib, int64_t now) {
  WorkingSet ws;
  ws.cib = &cib;
  ws.now = now;
  ws.symmetric = is_true(cib.property("symmetric-cluster", "true"));
  ws.stonith_enabled = is_true(cib.property("stonith-enabled", "true"));
  ws.maintenance_mode = is_true(cib.property("maintenance-mode", "false"));
  ws.stop_all = is_true(cib.property("stop-all-resources", "false"));
  ws.no_quorum_policy = cib.property("no-quorum-policy", "stop");
  ws.have_quorum = cib.have_quorum;
  if (ws.no_quorum_policy == "suicide" && (!ws.stonith_enabled || (!ws.have_quorum && !cib.no_quorum_panic))) {
    // unpack_config: suicide needs fencing, and a partition that has had
    // quorum (or no-quorum-panic); otherwise it is "stop".
    ws.no_quorum_policy = "stop";
  }
  for (const auto& u : cib.unsupported) ws.warnings.push_back("ignoring unsupported " + u);

  for (const auto& cn : cib.nodes) {
    if (!cn.type.empty() && cn.type != "member" && cn.type != "normal") continue;
    SNode n;
    n.id = cn.id;
    n.uname = cn.uname;
    n.weight = n.config_weight = cn.score.value_or(0);
    n.attrs = cn.attrs;
    if (has_rule_set(cn.attr_sets)) n.attrs = evaluate_nvsets(cn.attr_sets, {nullptr, nullptr, nullptr, nullptr, nullptr, now});
    n.attrs["#uname"] = cn.uname;
    n.attrs["#id"] = cn.id;
    n.attrs["#kind"] = "cluster";
    n.attrs["#is_dc"] = cn.id == cib.dc_uuid ? "true" : "false";
    ws.nodes.push_back(std::move(n));
  }
  // Node states in status-section order (unpack_status), so that fencing
  // requests are recorded in the order Pacemaker makes them; then the nodes
  // the status does not mention.
  for (auto& n : ws.nodes) n.state = cib.find_node_state(n.uname);
  std::vector<bool> seen(ws.nodes.size(), false);
  for (const auto& st : cib.node_states) {
    int ni = ws.find_node(st.uname);
    if (ni < 0 || seen[ni] || cib.find_node_state(st.uname) != &st) continue;
    seen[ni] = true;
    unpack_node_state(ws, ni, &st);
    // An inquorate partition with no-quorum-policy=suicide fences every
    // member it can see, itself included (unpack_node_state).
    if (!ws.have_quorum && ws.no_quorum_policy == "suicide" && ws.nodes[ni].online)
      request_fencing(ws, ni, "cluster does not have quorum");
  }
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni)
    if (!seen[ni]) unpack_node_state(ws, static_cast<int>(ni), nullptr);
  for (auto& n : ws.nodes) {
    if (auto it = n.attrs.find("standby"); it != n.attrs.end() && is_true(it->second)) n.standby = true;
    if (auto it = n.attrs.find("maintenance"); it != n.attrs.end() && is_true(it->second)) n.maintenance = true;
  }

  // Resources: groups and primitives; members follow their group.
  auto add_primitive = [&](const Primitive& p, int parent) {
    SRsc r;
    r.id = p.id;
    r.prim = &p;
    r.parent = parent;
    // rsc_defaults sets with rules (rsc_expression, dates) are evaluated per resource.
    const Attributes d = has_rule_set(cib.rsc_default_sets)
                             ? evaluate_nvsets(cib.rsc_default_sets, {nullptr, nullptr, nullptr, &p, nullptr, now})
                             : cib.rsc_defaults;
    r.priority = parse_score_lenient(meta_value(p.meta, d, "priority", "0"));
    r.stickiness = parse_score_lenient(meta_value(p.meta, d, "resource-stickiness", "0"));
    r.migration_threshold = parse_score_lenient(meta_value(p.meta, d, "migration-threshold", "INFINITY"));
    if (r.migration_threshold < 0) r.migration_threshold = 1;
    auto ft = parse_duration_ms(meta_value(p.meta, d, "failure-timeout", "0"));
    r.failure_timeout_s = ft ? *ft / 1000 : 0;
    r.managed = is_true(meta_value(p.meta, d, "is-managed", "true")) &&
                !is_true(meta_value(p.meta, d, "maintenance", "false")) && !ws.maintenance_mode;
    r.target_stopped = equals_nocase(meta_value(p.meta, d, "target-role", "Started"), "Stopped");
    r.critical = is_true(meta_value(p.meta, d, "critical", "true"));
    r.is_stonith = p.cls == "stonith";
    if (r.is_stonith) ws.have_stonith_resource = true;
    unpack_recovery_meta(ws, r, meta_value(p.meta, d, "multiple-active", "stop_start"),
                         meta_value(p.meta, d, "requires", ""), meta_value(p.meta, d, "restart-type", ""));
    ws.rscs.push_back(std::move(r));
    return static_cast<int>(ws.rscs.size() - 1);
  };
  for (const auto& ref : cib.resources) {
    if (ref.kind == ResourceRef::Kind::primitive) {
      if (const Primitive* p = cib.find_primitive(ref.id)) ws.top.push_back(add_primitive(*p, -1));
    } else if (ref.kind == ResourceRef::Kind::group) {
      const Group* g = cib.find_group(ref.id);
      if (g == nullptr) continue;
      SRsc gr;
      gr.id = g->id;
      gr.is_group = true;
      const auto& d = cib.rsc_defaults;
      gr.priority = parse_score_lenient(meta_value(g->meta, d, "priority", "0"));
      gr.target_stopped = equals_nocase(meta_value(g->meta, d, "target-role", "Started"), "Stopped");
      gr.managed = is_true(meta_value(g->meta, d, "is-managed", "true")) && !ws.maintenance_mode;
      unpack_recovery_meta(ws, gr, meta_value(g->meta, d, "multiple-active", "stop_start"), "",
                           meta_value(g->meta, d, "restart-type", ""));
      ws.rscs.push_back(std::move(gr));
      int gi = static_cast<int>(ws.rscs.size() - 1);
      ws.top.push_back(gi);
      for (const auto& m : g->members) {
        if (const Primitive* p = cib.find_primitive(m)) {
          int mi = add_primitive(*p, gi);
          ws.rscs[gi].children.push_back(mi);
        }
      }
    } else if (ref.kind == ResourceRef::Kind::clone) {
      if (const Clone* c = cib.find_clone(ref.id)) unpack_clone(ws, *c, [&](const Primitive& p) { return add_primitive(p, -1); });
    }
  }
  // Allocation order: stable by priority, highest first (unpack_resources).
  std::stable_sort(ws.top.begin(), ws.top.end(),
                   [&](int a, int b) { return ws.rscs[a].priority > ws.rscs[b].priority; });
  // Orphans come after the sort: Pacemaker appends them while it reads the
  // status section, after it sorted the configured resources.
  ws.stop_orphans = is_true(cib.property("stop-orphan-resources", "true"));
  for (const LrmResource* lr : find_orphans(ws)) {
    Primitive& p = ws.orphan_primitives.emplace_back();
    p.id = lr->id;
    p.cls = lr->cls;
    p.provider = lr->provider;
    p.type = lr->type;
    int ri = add_primitive(p, -1);
    SRsc& r = ws.rscs[ri];
    r.orphan = true;
    // process_orphan_resource: without stop-orphan-resources it is left
    // alone; with it, apply_node_criteria bans it from every node.
    if (!ws.stop_orphans) r.managed = false;
    ws.top.push_back(ri);
  }

  collect_failures(ws);
  collect_clone_failures(ws);

  // Which nodes have any history of each resource (no probe needed there).
  for (auto& r : ws.rscs) r.history_on.assign(ws.nodes.size(), 0);
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni) {
    if (ws.nodes[ni].state == nullptr) continue;
    for (const auto& lr : ws.nodes[ni].state->resources)
      if (int ri = ws.find_rsc(lr.id); ri >= 0) ws.rscs[ri].history_on[ni] = 1;
  }
  mark_clone_history(ws);

  // Current state from history of online (and unclean) nodes, in status
  // section order (which instance of an anonymous clone a history is).
  for (const auto& state : cib.node_states) {
    const int found = ws.find_node(state.uname);
    if (found < 0 || ws.nodes[found].state != &state || !history_is_read(ws, found)) continue;
    const size_t ni = static_cast<size_t>(found);
    const NodeState* st = &state;
    for (const auto& lr : st->resources) {
      int ri = clone_history_instance(ws, static_cast<int>(ni), lr.id);
      if (ri == kNotCloneHistory) ri = ws.find_rsc(lr.id);
      if (ri < 0 || ws.rscs[ri].is_group) continue;  // no operations, or history of an unmodelled resource
      HistoryOutcome o = replay_history(ws, ws.rscs[ri], static_cast<int>(ni), lr);
      note_active_recurring(ws, ws.rscs[ri], static_cast<int>(ni), lr);
      if (o.failure_timeout_dropped) ws.rscs[ri].failure_timeout_s = 0;
      if (o.failcount_cleared) ws.rscs[ri].failcount_cleared_on.push_back(static_cast<int>(ni));
      // An anonymous instance's actions act on the entry it is active under,
      // not on an earlier entry of the same node with only a probe in it.
      if (o.active && ws.rscs[ri].clone >= 0 && ws.rscs[ri].running_on.empty()) ws.rscs[ri].history_name = lr.id;
      apply_history(ws, ri, static_cast<int>(ni), o);
    }
  }
  apply_multiple_active(ws);
  // Resources on a node in maintenance are left alone.
  for (auto& r : ws.rscs) {
    for (int ni : r.running_on)
      if (ws.nodes[ni].maintenance && !r.is_group) r.managed = false;
  }

  unpack_orderings(ws);

  // Colocations.
  auto add_colocation = [&](const ColocationConstraint& c, const std::string& id, const std::string& dependent,
                            const std::string& primary, Score score) {
    int dep = ws.find_rsc(dependent), pri = ws.find_rsc(primary);
    if (dep < 0 || pri < 0) {
      if (ws.find_clone(dependent) >= 0 || ws.find_clone(primary) >= 0) return;  // unpack_clone_colocations
      ws.warnings.push_back("ignoring colocation '" + c.id + "': unknown resource");
      return;
    }
    Coloc k;
    k.id = id;
    k.dependent = dep;
    k.primary = pri;
    k.score = score;
    k.node_attribute = c.node_attribute;
    const SRsc& d = ws.rscs[dep];
    bool critical = d.is_group ? true : d.critical;
    if (d.is_group) {
      auto it = cib.find_group(d.id)->meta.find("critical");
      if (it != cib.find_group(d.id)->meta.end()) critical = is_true(it->second);
    }
    k.influence = c.influence.value_or(critical);
    ws.colocs.push_back(k);
  };
  for (const auto& c : cib.colocations) {
    if (!c.sets.empty()) {
      for (const auto& sc : expand_colocation_sets(c)) add_colocation(c, sc.id, sc.dependent, sc.primary, sc.score);
    } else if (c.score != 0) {
      add_colocation(c, c.id, c.rsc, c.with_rsc, c.score);
    }
  }
  // Group internal colocations: member i with member i-1 at INFINITY.
  for (size_t gi = 0; gi < ws.rscs.size(); ++gi) {
    if (!ws.rscs[gi].is_group) continue;
    const auto& ch = ws.rscs[gi].children;
    for (size_t i = 1; i < ch.size(); ++i) {
      Coloc k;
      k.id = "group:internal_colocation";
      k.dependent = ch[i];
      k.primary = ch[i - 1];
      k.score = kInfinity;
      k.influence = ws.rscs[ch[i]].critical;
      ws.colocs.push_back(k);
    }
  }
  unpack_clone_colocations(ws);
  // Sorted insertion like g_list_insert_sorted, which puts a new element
  // before the first one that does not sort before it: two colocations on the
  // same pair therefore end up in reverse configuration order, and that order
  // decides which of them a rollback undoes (pcmk__add_this_with,
  // pcmk__add_with_this).
  auto variant = [&](int r) { return ws.rscs[r].is_group ? 1 : 0; };
  for (size_t ci = 0; ci < ws.colocs.size(); ++ci) {
    const Coloc& k = ws.colocs[ci];
    auto& tw = ws.rscs[k.dependent].this_with;
    auto cmp_primary = [&](int x) {  // true if existing x sorts after k
      const Coloc& o = ws.colocs[x];
      const SRsc &a = ws.rscs[o.primary], &b = ws.rscs[k.primary];
      if (a.priority != b.priority) return a.priority < b.priority;
      if (variant(o.primary) != variant(k.primary)) return variant(o.primary) < variant(k.primary);
      return a.id.compare(b.id) >= 0;
    };
    tw.insert(std::find_if(tw.begin(), tw.end(), cmp_primary), static_cast<int>(ci));
    if (k.primary_clone >= 0) continue;  // the clone is assigned as a whole (clone_assign.cpp)
    auto& wt = ws.rscs[k.primary].with_this;
    auto cmp_dependent = [&](int x) {
      const Coloc& o = ws.colocs[x];
      const SRsc &a = ws.rscs[o.dependent], &b = ws.rscs[k.dependent];
      if (a.priority != b.priority) return a.priority < b.priority;
      if (variant(o.dependent) != variant(k.dependent)) return variant(o.dependent) < variant(k.dependent);
      return a.id.compare(b.id) >= 0;
    };
    wt.insert(std::find_if(wt.begin(), wt.end(), cmp_dependent), static_cast<int>(ci));
  }
  return ws;
}

Score effective_failcount(const WorkingSet& ws, const SRsc& rsc, const SNode& n, bool effective) {
  const int ni = static_cast<int>(&n - ws.nodes.data());
  for (const auto& f : rsc.failures) {
    if (f.node != ni) continue;
    bool expired = f.count > 0 && f.last > 0 && rsc.failure_timeout_s > 0 && ws.now > f.last + rsc.failure_timeout_s;
    return effective && expired ? 0 : f.count;
  }
  return 0;
}

}  // namespace hactl::core::sched
