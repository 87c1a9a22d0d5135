// Unpacking the status section into the working set: each node's state
// (online, unclean, standby, attributes), the failure attributes and what
// a resource's replayed operation history means for it and its node.
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
#include "core/scheduler/working_set.h"
#include "core/fail_attribute.h"
#include "core/scheduler/unpack_state.h"

namespace hactl::core::sched {

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
  // Fail counts stay in the status section (collect_failures reads them
  // there): a big cluster can carry one per resource and node, and copying
  // them into every node's attribute map doubled the scheduler's memory.
  for (const auto& [k, v] : st->transient_attrs)
    if (!is_failure_attribute(k)) n.attrs[k] = v;
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


void for_each_failure_attribute(const WorkingSet& ws, int ni,
                                const std::function<void(const std::string& rsc, bool is_count, const std::string& value)>& fn) {
  static const Attributes kNone;
  const SNode& n = ws.nodes[ni];
  const Attributes& transient = n.state ? n.state->transient_attrs : kNone;
  for (const auto& [name, value] : transient)
    if (auto f = parse_fail_attribute(name)) fn(f->rsc, f->is_count, value);
  for (const auto& [name, value] : n.attrs)
    if (auto f = parse_fail_attribute(name); f && !transient.count(name)) fn(f->rsc, f->is_count, value);
}

void add_failure(SRsc& r, int ni, bool is_count, const std::string& value) {
  auto& records = r.failures;
  if (records.empty() || records.back().node != ni) records.push_back({ni});
  auto& f = records.back();
  if (is_count) f.count = add_scores(f.count, parse_score_lenient(value));
  else f.last = std::max<int64_t>(f.last, std::atoll(value.c_str()));
}

// Sums every node's failure attributes into its resources' failure records,
// once: looking them up per resource and node was the scheduler's hot spot.
// Transient attributes (where the cluster records failures) win over
// permanent ones of the same name.
void collect_failures(WorkingSet& ws) {
  for (size_t ni = 0; ni < ws.nodes.size(); ++ni)
    for_each_failure_attribute(ws, static_cast<int>(ni), [&](const std::string& id, bool is_count, const std::string& value) {
      const int ri = ws.find_rsc(id);
      if (ri >= 0 && !ws.rscs[ri].is_group) add_failure(ws.rscs[ri], static_cast<int>(ni), is_count, value);
    });
}

// process_rsc_state: what the replayed history means for the resource and
// the node (running, failed, blocked, node fenced or put in standby, bans).
void apply_history(WorkingSet& ws, int ri, int ni, const HistoryOutcome& o) {
  SRsc& r = ws.rscs[ri];
  SNode& n = ws.nodes[ni];
  if (o.ban_here) r.history_bans.push_back(ni);
  if (o.ban_everywhere) r.history_bans.push_back(-1);
  if (o.failure_ignored) r.failure_ignored = true;
  // record_failed_op keeps failures seen on online nodes only.
  if (o.failed_probe_rc >= 0 && n.online && r.failed_probe_rc < 0) r.failed_probe_rc = o.failed_probe_rc;
  if (n.online)
    for (const LrmOp* op : o.failed_ops) r.failed_ops.emplace_back(ni, op);
  if (!o.pending_task.empty() && r.pending_task.empty()) {
    r.pending_task = o.pending_task;
    r.pending_node = ni;
  }
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
      n.standby_onfail = true;
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
  // A managed resource thought to be active on a node that is down means the
  // node must be fenced (process_rsc_state); not if the node is in maintenance.
  // A node already unclean keeps its first reason.
  if (!n.online && !n.maintenance && r.managed && ws.stonith_enabled && !n.unclean) {
    n.unclean = true;
    n.fence_reason = r.id + " is thought to be active there";
  }
  // native_add_running: a node is listed once (two histories of one anonymous instance).
  if (std::find(r.running_on.begin(), r.running_on.end(), ni) == r.running_on.end()) r.running_on.push_back(ni);
  if (o.promoted) r.promoted = true;
  if (on_fail != OnFail::ignore) r.failed = true;
  // native_add_running: a resource that is unmanaged by now (is-managed,
  // maintenance, on-fail=block or an unrecoverable stop, a node in
  // maintenance) is pinned where it was found, which also pulls the
  // resources colocated with it there.
  if (n.maintenance) r.managed = false;
  if (!r.managed) r.unmanaged_on.push_back(ni);
  if (r.parent >= 0) {
    auto& pr = ws.rscs[r.parent].running_on;
    if (std::find(pr.begin(), pr.end(), ni) == pr.end()) pr.push_back(ni);
  }
}

// native_add_running and pe__find_active_on: a resource that "requires"
// fencing counts as active on an unclean node until that node is fenced; one
// that does not only counts clean nodes, and is reported on the first clean
// one. Being active on more than one node is handled per multiple-active.
void apply_multiple_active(WorkingSet& ws) {
  for (auto& r : ws.rscs) {
    if (r.is_group || r.running_on.empty()) continue;
    int clean = 0;
    r.current = -1;
    for (int n : r.running_on) {
      bool happy = ws.nodes[n].online && !ws.nodes[n].unclean;
      if (happy) ++clean;
      if (r.current < 0 || (!r.needs_fencing && happy && clean == 1)) r.current = n;
    }
    int count = r.needs_fencing ? static_cast<int>(r.running_on.size()) : clean;
    r.multiply_active = count > 1;
    if (!r.multiply_active || !r.managed) continue;
    if (r.multiple_active == "stop_only") {
      r.history_bans.push_back(-1);  // stop everywhere and never come back
    } else if (r.multiple_active == "block") {
      r.managed = false;
      r.blocked = true;
      // A group with multiple-active=block is blocked as a whole.
      if (r.parent >= 0 && ws.rscs[r.parent].multiple_active == "block") {
        for (int c : ws.rscs[r.parent].children) {
          ws.rscs[c].managed = false;
          ws.rscs[c].blocked = true;
        }
      }
    }
  }
}

// Without fencing an offline node's history is not read at all: nothing can
// be done about what runs there (unpack_node_history). With fencing it is,
// even for a node that left cleanly.
bool history_is_read(const WorkingSet& ws, int ni) {
  const SNode& n = ws.nodes[ni];
  return n.state != nullptr && (n.online || ws.stonith_enabled);
}

// The history entries of resources no longer configured, first sighting of
// each, in the order unpack_status reads them (status-section node order):
// an entry with no operations means nothing (unpack_lrm_resource), a clone
// instance's or an unsupported resource's history is not an orphan's.
std::vector<const LrmResource*> find_orphans(const WorkingSet& ws) {
  const Cib& cib = *ws.cib;
  std::set<std::string_view> unmodelled(cib.unmodelled_resource_ids.begin(), cib.unmodelled_resource_ids.end());
  std::set<std::string_view> seen;
  std::vector<const LrmResource*> out;
  for (const auto& st : cib.node_states) {
    int ni = ws.find_node(st.uname);
    if (ni < 0 || ws.nodes[ni].state != &st || !history_is_read(ws, ni)) continue;
    for (const auto& lr : st.resources) {
      if (lr.ops.empty() || lr.id.empty() || ws.find_rsc(lr.id) >= 0) continue;
      std::string_view base = std::string_view(lr.id).substr(0, lr.id.find(':'));
      if (base.size() != lr.id.size() || unmodelled.count(base)) continue;
      if (seen.insert(lr.id).second) out.push_back(&lr);
    }
  }
  return out;
}

}  // namespace hactl::core::sched
