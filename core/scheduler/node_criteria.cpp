// Initial allowed-node tables, location constraints (incl. rules), stickiness
// and migration-threshold bans: Pacemaker's apply_node_criteria stage.
#include <algorithm>

#include "core/scheduler/assign.h"
#include "core/scheduler/op_history.h"
#include "core/scheduler/rules.h"

namespace hactl::core::sched {
namespace {

// resource_location(): adds `score` on node `ni` (or every node when ni < 0),
// creating table entries, recursively for group members.
void resource_location(WorkingSet& ws, int ri, int ni, Score score) {
  SRsc& r = ws.rscs[ri];
  for (int c : r.children) resource_location(ws, c, ni, score);
  auto add = [&](int n) {
    auto& slot = ws.rscs[ri].allowed[n];
    slot = add_scores(slot.value_or(ws.nodes[n].weight), score);
  };
  if (ni >= 0) {
    add(ni);
  } else {
    for (size_t n = 0; n < ws.nodes.size(); ++n) add(static_cast<int>(n));
  }
}

// pcmk__apply_location for one resource and a list of (node, score).
void apply_location_list(WorkingSet& ws, int ri, const std::vector<std::pair<int, Score>>& list) {
  for (const auto& [n, s] : list) {
    auto& slot = ws.rscs[ri].allowed[n];
    slot = slot ? add_scores(*slot, s) : s;
  }
}

void apply_location(WorkingSet& ws, const LocationConstraint& lc) {
  if (!lc.rsc_pattern.empty() || !lc.sets.empty()) {
    ws.warnings.push_back("ignoring location '" + lc.id + "': patterns and sets are not supported");
    return;
  }
  if (lc.role == "Promoted" || lc.role == "Master") return;  // only promotable clones have roles
  int ri = ws.find_rsc(lc.rsc);
  const int ci = ri < 0 ? ws.find_clone(lc.rsc) : -1;
  if (ri < 0 && ci < 0) return;
  std::vector<std::pair<int, Score>> list;
  if (!lc.node.empty()) {
    int ni = ws.find_node(lc.node);
    if (ni < 0) return;  // unknown node: silently ignored, as Pacemaker does
    list.emplace_back(ni, lc.score.value_or(0));
  }
  // The resource a rule's rsc parameters come from: a clone's through its
  // first instance (the clone has no table entry of its own here).
  const SRsc* target = ri >= 0 ? &ws.rscs[ri]
                               : (!ws.clones[ci].instances.empty() ? &ws.rscs[ws.clones[ci].instances.front()] : nullptr);
  for (const auto& rule : lc.rules) {
    // generate_location_rule: Started and Unpromoted apply to every role;
    // a rule for another role cannot concern a primitive or group here.
    if (!rule.role.empty() && rule.role != "Started" && rule.role != "Unpromoted" && rule.role != "Slave") continue;
    RuleContext ctx;
    ctx.now = ws.now;
    if (target && target->prim) {
      ctx.rsc_params = &target->prim->params;
      ctx.rsc_meta = &target->prim->meta;
    }
    for (size_t n = 0; n < ws.nodes.size(); ++n) {
      const auto& attrs = ws.nodes[n].attrs;
      ctx.node_attrs = &attrs;
      if (!evaluate_rule(rule, ctx)) continue;
      // get_node_score: a score-attribute the node lacks is -INFINITY.
      Score s = 0;
      if (rule.score) {
        s = *rule.score;
      } else if (!rule.score_attribute.empty()) {
        auto it = attrs.find(rule.score_attribute);
        s = it == attrs.end() ? -kInfinity : parse_score_lenient(it->second);
      }
      list.emplace_back(static_cast<int>(n), s);
    }
  }
  if (ci >= 0) {
    // clone_rsc_location: the clone and each of its instances.
    SClone& c = ws.clones[ci];
    init_clone_table(ws, c);
    for (const auto& [n, s] : list) c.allowed[n] = c.allowed[n] ? add_scores(*c.allowed[n], s) : s;
    for (int i : c.instances) {
      for (const auto& [n, score] : list) ws.note(i, n, score, "location constraint " + lc.id);
      apply_location_list(ws, i, list);
    }
    return;
  }
  SRsc& r = ws.rscs[ri];
  // A group's preference is carried by its first member's table.
  const int carrier = r.is_group && !r.children.empty() ? r.children.front() : ri;
  for (const auto& [n, score] : list) ws.note(carrier, n, score, "location constraint " + lc.id);
  if (!r.is_group) {
    apply_location_list(ws, ri, list);
    return;
  }
  // Groups: full score on the group and its first member, 0 on the others
  // (the first member already carries the preference for the whole chain).
  apply_location_list(ws, ri, list);
  auto zero = list;
  for (auto& e : zero) e.second = 0;
  bool first = true;
  for (int c : std::vector<int>(r.children)) {
    apply_location_list(ws, c, first ? list : zero);
    first = false;
  }
}

void apply_stickiness(WorkingSet& ws, int ri) {
  SRsc& r = ws.rscs[ri];
  if (r.is_group) {
    for (int c : std::vector<int>(r.children)) apply_stickiness(ws, c);
    return;
  }
  if (!r.managed || r.stickiness < 1 || r.running_on.size() != 1) return;
  int n = r.running_on[0];
  // In an opt-in cluster stickiness must not re-allow a node.
  if (!ws.symmetric && !r.allowed[n]) return;
  ws.note(ri, n, r.stickiness, "resource-stickiness (it is running here)");
  resource_location(ws, ri, n, r.stickiness);
}

}  // namespace

void apply_node_criteria(WorkingSet& ws) {
  for (auto& r : ws.rscs) r.allowed.assign(ws.nodes.size(), std::nullopt);
  if (ws.symmetric) {
    // "symmetric_default": every node with its configured weight.
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
      for (size_t n = 0; n < ws.nodes.size(); ++n) ws.rscs[ri].allowed[n] = ws.nodes[n].config_weight;
    for (size_t n = 0; n < ws.nodes.size(); ++n)
      if (ws.nodes[n].config_weight != 0) ws.note(-1, static_cast<int>(n), ws.nodes[n].config_weight, "node score");
  }
  // process_orphan_resource's "__orphan_do_not_run__": a resource removed
  // from the configuration is stopped wherever it still runs.
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    if (ws.rscs[ri].orphan && ws.stop_orphans) {
      ws.note(static_cast<int>(ri), -1, -kInfinity, "removed from the configuration (stop-orphan-resources)");
      resource_location(ws, static_cast<int>(ri), -1, -kInfinity);
    }
  // Bans implied by the operation history (hard errors, failed stops...).
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    for (int n : std::vector<int>(ws.rscs[ri].history_bans)) {
      ws.note(static_cast<int>(ri), n, -kInfinity, "its operation history (a hard error, failed stop or on-fail policy)");
      resource_location(ws, static_cast<int>(ri), n, -kInfinity);
    }
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    if (!ws.rscs[ri].ticket_ban.empty()) {
      ws.note(static_cast<int>(ri), -1, -kInfinity, ws.rscs[ri].ticket_ban);
      resource_location(ws, static_cast<int>(ri), -1, -kInfinity);
    }
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    for (int n : std::vector<int>(ws.rscs[ri].unmanaged_on)) {
      ws.note(static_cast<int>(ri), n, kInfinity, "unmanaged and active here: it stays");
      resource_location(ws, static_cast<int>(ri), n, kInfinity);
    }
  for (const auto& lc : ws.cib->locations) apply_location(ws, lc);
  for (int t : ws.top) apply_stickiness(ws, t);
  for (size_t n = 0; n < ws.nodes.size(); ++n) {
    for (size_t ri = 0; ri < ws.rscs.size(); ++ri) {
      SRsc& r = ws.rscs[ri];
      if (r.is_group || r.migration_threshold == 0 || r.failure_ignored) continue;
      const auto& cleared = r.failcount_cleared_on;
      if (std::find(cleared.begin(), cleared.end(), static_cast<int>(n)) != cleared.end()) continue;
      // pe_get_failcount drops failure-timeout for good at the first node
      // (in this order) with a failure of an on-fail=block op.
      if (r.failure_timeout_s > 0 && effective_failcount(ws, r, ws.nodes[n], false) > 0 &&
          has_block_failure(ws, r, static_cast<int>(n)))
        r.failure_timeout_s = 0;
      Score fc = effective_failcount(ws, r, ws.nodes[n]);
      if (fc > 0 && r.migration_threshold - fc <= 0) {
        ws.note(static_cast<int>(ri), static_cast<int>(n), -kInfinity,
                "failed " + score_to_string(fc) + " time(s) here, migration-threshold " + score_to_string(r.migration_threshold));
        resource_location(ws, static_cast<int>(ri), static_cast<int>(n), -kInfinity);
      }
    }
  }
}

}  // namespace hactl::core::sched
