// Unpacking a Cib into the scheduler's working set: node availability
// (lib/pengine/unpack.c determine_online_status*), resource meta defaults
// (complex.c), colocation lists (pcmk_sched_colocation.c) and current state
// from the operation history.
#include <algorithm>
#include <cctype>

#include "core/duration.h"
#include "core/scheduler/op_history.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {
namespace {

std::string meta_value(const Attributes& meta, const Attributes& defaults, const std::string& name,
                       const std::string& fallback) {
  if (auto it = meta.find(name); it != meta.end()) return it->second;
  if (auto it = defaults.find(name); it != defaults.end()) return it->second;
  return fallback;
}

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

void unpack_node_state(WorkingSet& ws, int ni, const NodeState* st) {
  SNode& n = ws.nodes[ni];
  auto fence = [&](const char* reason) { request_fencing(ws, ni, reason); };
  if (st == nullptr) {
    // Never seen: with fencing and startup-fencing it must be fenced first.
    n.unseen = true;
    if (ws.stonith_enabled && is_true(ws.cib->property("startup-fencing", "true"))) n.unclean = true;
    n.weight = -kInfinity;
    return;
  }
  for (const auto& [k, v] : st->transient_attrs) n.attrs[k] = v;
  auto shutdown_attr = n.attrs.find("shutdown");
  bool shutdown = shutdown_attr != n.attrs.end() && !shutdown_attr->second.empty() && shutdown_attr->second != "0";
  n.shutdown = shutdown;
  bool expected_up = !shutdown && st->expected == "member";
  bool in_ccm = is_true(st->in_ccm);
  bool crmd_online = st->crmd == "online";
  bool online = false;
  if (!ws.stonith_enabled) {
    if (!in_ccm) {
    } else if (crmd_online) {
      online = st->join == "member";
    } else if (expected_up) {
      fence("peer is unexpectedly down");
    }
  } else {
    std::string terminate = n.attrs.count("terminate") ? n.attrs["terminate"] : "";
    bool do_terminate = is_true(terminate) ||
                        (!terminate.empty() && terminate[0] != '0' && std::isdigit((unsigned char)terminate[0]));
    std::string exp = st->expected.empty() ? "down" : st->expected;
    online = in_ccm;
    if (n.shutdown) {
      online = crmd_online;
    } else if (st->in_ccm.empty()) {
      fence("peer has not been seen by the cluster");
    } else if (st->join == "banned") {
      fence("peer failed Pacemaker membership criteria");
    } else if (!do_terminate && exp == "down") {
      if (in_ccm || crmd_online) n.standby = n.pending = true;
    } else if (do_terminate && st->join == "down" && !in_ccm && !crmd_online) {
      online = false;  // just shot
    } else if (!in_ccm) {
      fence("peer is no longer part of the cluster");
    } else if (!crmd_online) {
      fence("peer process is no longer available");
    } else if (do_terminate) {
      fence("termination was requested");
    } else if (st->join == "member") {
    } else if (st->join == "pending" || st->join == "down") {
      n.standby = n.pending = true;
    } else {
      fence("peer was in an unknown state");
    }
  }
  n.online = online;
  if (!online || (online && n.shutdown)) n.weight = -kInfinity;
}


// Whether a failed history entry on node `n` belongs to an op configured with
// on-fail=block (the literal attribute, as Pacemaker's check reads it).
bool failed_op_blocks(const WorkingSet& ws, const SRsc& r, const SNode& n) {
  const NodeState* st = ws.cib->find_node_state(n.uname);
  if (st == nullptr || r.prim == nullptr) return false;
  for (const auto& lr : st->resources) {
    if (lr.id != r.id) continue;
    for (const auto& op : lr.ops) {
      auto c2 = op.transition_key.find(':', op.transition_key.find(':') + 1);
      int expected = c2 == std::string::npos ? -1 : std::atoi(op.transition_key.c_str() + c2 + 1);
      if (op.rc_code == expected && op.op_status == 0) continue;
      for (const auto& cop : r.prim->ops)
        if (cop.on_fail == "block" && cop.name == op.operation && cop.interval_ms == op.interval_ms) return true;
    }
  }
  return false;
}

// process_rsc_state: what the replayed history means for the resource and
// the node (running, failed, blocked, node fenced or put in standby, bans).
void apply_history(WorkingSet& ws, int ri, int ni, const HistoryOutcome& o) {
  SRsc& r = ws.rscs[ri];
  SNode& n = ws.nodes[ni];
  if (o.ban_here) r.history_bans.push_back(ni);
  if (o.ban_everywhere) r.history_bans.push_back(-1);
  if (o.failure_ignored) r.failure_ignored = true;
  if (o.unrecoverable) {
    r.managed = false;
    r.blocked = true;
  }
  // A node that is already unclean will be fenced anyway: nothing more to do,
  // and the resource may start elsewhere once it has been shot.
  OnFail on_fail = n.unclean ? OnFail::ignore : o.on_fail;
  switch (on_fail) {
    case OnFail::fence:
      request_fencing(ws, ni, r.id + " failed there");
      break;
    case OnFail::standby:
      n.standby = true;
      break;
    case OnFail::block:
      r.managed = false;
      r.blocked = true;
      break;
    case OnFail::migrate:
      r.history_bans.push_back(ni);  // "__action_migration_auto__"
      break;
    case OnFail::stop:
      r.next_stopped = true;
      break;
    default:
      break;
  }
  if (!o.active) return;
  r.running_on.push_back(ni);
  if (on_fail != OnFail::ignore) r.failed = true;
  if (r.parent >= 0) {
    auto& pr = ws.rscs[r.parent].running_on;
    if (std::find(pr.begin(), pr.end(), ni) == pr.end()) pr.push_back(ni);
  }
}

}  // namespace

int WorkingSet::find_rsc(std::string_view id) const {
  for (size_t i = 0; i < rscs.size(); ++i)
    if (rscs[i].id == id) return static_cast<int>(i);
  return -1;
}
int WorkingSet::find_node(std::string_view uname) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].uname == uname) return static_cast<int>(i);
  return -1;
}

bool WorkingSet::can_fence(int node) const {
  if (!stonith_enabled || !have_stonith_resource) return false;
  return have_quorum || no_quorum_policy == "ignore" || nodes[node].online;
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
  for (const auto& u : cib.unsupported) ws.warnings.push_back("ignoring unsupported " + u);

  for (const auto& cn : cib.nodes) {
    if (!cn.type.empty() && cn.type != "member" && cn.type != "normal") continue;
    SNode n;
    n.id = cn.id;
    n.uname = cn.uname;
    n.weight = n.config_weight = cn.score.value_or(0);
    n.attrs = cn.attrs;
    n.attrs["#uname"] = cn.uname;
    n.attrs["#id"] = cn.id;
    n.attrs["#kind"] = "cluster";
    n.attrs["#is_dc"] = cn.id == cib.dc_uuid ? "true" : "false";
    ws.nodes.push_back(std::move(n));
  }
  // Node states in status-section order (unpack_status), so that fencing
  // requests are recorded in the order Pacemaker makes them; then the nodes
  // the status does not mention.
  std::vector<bool> seen(ws.nodes.size(), false);
  for (const auto& st : cib.node_states) {
    int ni = ws.find_node(st.uname);
    if (ni < 0 || seen[ni] || cib.find_node_state(st.uname) != &st) continue;
    seen[ni] = true;
    unpack_node_state(ws, ni, &st);
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
    const auto& d = cib.rsc_defaults;
    r.priority = parse_score_lenient(meta_value(p.meta, d, "priority", "0"));
    r.stickiness = parse_score_lenient(meta_value(p.meta, d, "resource-stickiness", "0"));
    r.migration_threshold = parse_score_lenient(meta_value(p.meta, d, "migration-threshold", "INFINITY"));
    if (r.migration_threshold < 0) r.migration_threshold = 1;
    auto ft = parse_duration_ms(meta_value(p.meta, d, "failure-timeout", "0"));
    r.failure_timeout_s = ft ? *ft / 1000 : 0;
    r.managed = is_true(meta_value(p.meta, d, "is-managed", "true")) &&
                !is_true(meta_value(p.meta, d, "maintenance", "false")) && !ws.maintenance_mode;
    r.target_stopped = meta_value(p.meta, d, "target-role", "Started") == "Stopped";
    r.critical = is_true(meta_value(p.meta, d, "critical", "true"));
    r.is_stonith = p.cls == "stonith";
    if (r.is_stonith) ws.have_stonith_resource = true;
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
      gr.target_stopped = meta_value(g->meta, d, "target-role", "Started") == "Stopped";
      gr.managed = is_true(meta_value(g->meta, d, "is-managed", "true")) && !ws.maintenance_mode;
      ws.rscs.push_back(std::move(gr));
      int gi = static_cast<int>(ws.rscs.size() - 1);
      ws.top.push_back(gi);
      for (const auto& m : g->members) {
        if (const Primitive* p = cib.find_primitive(m)) {
          int mi = add_primitive(*p, gi);
          ws.rscs[gi].children.push_back(mi);
        }
      }
    }
  }
  // Allocation order: stable by priority, highest first (unpack_resources).
  std::stable_sort(ws.top.begin(), ws.top.end(),
                   [&](int a, int b) { return ws.rscs[a].priority > ws.rscs[b].priority; });

  // A failure on an op with on-fail=block never expires (failcounts.c
  // block_failure): the timeout would otherwise unblock it behind the user's back.
  for (auto& r : ws.rscs) {
    if (r.is_group || r.failure_timeout_s <= 0) continue;
    for (size_t ni = 0; ni < ws.nodes.size() && r.failure_timeout_s > 0; ++ni) {
      if (effective_failcount(ws, r, ws.nodes[ni], false) <= 0) continue;
      if (failed_op_blocks(ws, r, ws.nodes[ni])) r.failure_timeout_s = 0;
    }
  }

  // Current state from history of online (and unclean) nodes.
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni) {
    SNode& n = ws.nodes[ni];
    // Without fencing, an offline node's history is not read at all
    // (unpack_node_history): what ran there is taken as stopped.
    if (!n.online && !(n.unclean && ws.stonith_enabled)) continue;
    const NodeState* st = cib.find_node_state(n.uname);
    if (st == nullptr) continue;
    for (const auto& lr : st->resources) {
      int ri = ws.find_rsc(lr.id);
      if (ri < 0 || ws.rscs[ri].is_group) continue;  // orphans are not modelled yet
      HistoryOutcome o = replay_history(ws, ws.rscs[ri], static_cast<int>(ni), lr);
      apply_history(ws, ri, static_cast<int>(ni), o);
    }
  }
  // Resources on a node in maintenance are left alone.
  for (auto& r : ws.rscs) {
    for (int ni : r.running_on)
      if (ws.nodes[ni].maintenance && !r.is_group) r.managed = false;
  }

  // Colocations.
  for (const auto& c : cib.colocations) {
    if (!c.sets.empty() || c.score == 0) continue;
    int dep = ws.find_rsc(c.rsc), pri = ws.find_rsc(c.with_rsc);
    if (dep < 0 || pri < 0) {
      ws.warnings.push_back("ignoring colocation '" + c.id + "': unknown resource");
      continue;
    }
    Coloc k;
    k.id = c.id;
    k.dependent = dep;
    k.primary = pri;
    k.score = c.score;
    k.node_attribute = c.node_attribute;
    const SRsc& d = ws.rscs[dep];
    bool critical = d.is_group ? true : d.critical;
    if (d.is_group) {
      auto it = cib.find_group(d.id)->meta.find("critical");
      if (it != cib.find_group(d.id)->meta.end()) critical = is_true(it->second);
    }
    k.influence = c.influence.value_or(critical);
    ws.colocs.push_back(k);
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
  // Sorted insertion like g_list_insert_sorted: stable among equals.
  auto variant = [&](int r) { return ws.rscs[r].is_group ? 1 : 0; };
  for (size_t ci = 0; ci < ws.colocs.size(); ++ci) {
    const Coloc& k = ws.colocs[ci];
    auto& tw = ws.rscs[k.dependent].this_with;
    auto cmp_primary = [&](int x) {  // true if existing x sorts after k
      const Coloc& o = ws.colocs[x];
      const SRsc &a = ws.rscs[o.primary], &b = ws.rscs[k.primary];
      if (a.priority != b.priority) return a.priority < b.priority;
      if (variant(o.primary) != variant(k.primary)) return variant(o.primary) < variant(k.primary);
      return a.id.compare(b.id) > 0;
    };
    tw.insert(std::find_if(tw.begin(), tw.end(), cmp_primary), static_cast<int>(ci));
    auto& wt = ws.rscs[k.primary].with_this;
    auto cmp_dependent = [&](int x) {
      const Coloc& o = ws.colocs[x];
      const SRsc &a = ws.rscs[o.dependent], &b = ws.rscs[k.dependent];
      if (a.priority != b.priority) return a.priority < b.priority;
      if (variant(o.dependent) != variant(k.dependent)) return variant(o.dependent) < variant(k.dependent);
      return a.id.compare(b.id) > 0;
    };
    wt.insert(std::find_if(wt.begin(), wt.end(), cmp_dependent), static_cast<int>(ci));
  }
  return ws;
}

Score effective_failcount(const WorkingSet& ws, const SRsc& rsc, const SNode& n, bool effective) {
  // fail-count-RSC#op_interval (also RSC:N for clone instances); legacy
  // per-resource form fail-count-RSC as well.
  Score count = 0;
  int64_t last = 0;
  const std::string fc = "fail-count-" + rsc.id, lf = "last-failure-" + rsc.id;
  auto matches = [](const std::string& name, const std::string& prefix) {
    if (name.compare(0, prefix.size(), prefix) != 0) return false;
    std::string rest = name.substr(prefix.size());
    if (!rest.empty() && rest[0] == ':') {
      size_t i = 1;
      while (i < rest.size() && std::isdigit((unsigned char)rest[i])) ++i;
      rest = rest.substr(i);
    }
    return rest.empty() || (rest[0] == '#' && rest.find('_') != std::string::npos);
  };
  for (const auto& [name, value] : n.attrs) {
    if (matches(name, fc)) count = add_scores(count, parse_score_lenient(value));
    if (matches(name, lf)) last = std::max<int64_t>(last, std::atoll(value.c_str()));
  }
  if (effective && count > 0 && last > 0 && rsc.failure_timeout_s > 0 && ws.now > last + rsc.failure_timeout_s) count = 0;
  return count;
}

}  // namespace hactl::core::sched
