// Utilization and placement-strategy: see utilization.h.
#include "core/scheduler/utilization.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include <strings.h>

namespace hactl::core::sched {
namespace {

// utilization_value: an integer, invalid values count 0.
int value_of(const std::string& s) {
  if (s.empty()) return 0;
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (end == s.c_str()) return 0;
  return static_cast<int>(std::clamp<long>(v, INT_MIN, INT_MAX));
}

std::string strategy_name(const WorkingSet& ws) { return ws.cib->property("placement-strategy", "default"); }

}  // namespace

NodeCapacities::NodeCapacities(const WorkingSet& ws) : ws_(ws) {
  const std::string s = strategy_name(ws);
  if (strcasecmp(s.c_str(), "utilization") == 0) strategy_ = Strategy::utilization;
  else if (strcasecmp(s.c_str(), "minimal") == 0) strategy_ = Strategy::minimal;
  else if (strcasecmp(s.c_str(), "balanced") == 0) strategy_ = Strategy::balanced;
  remaining_.resize(ws.nodes.size());
  for (size_t n = 0; n < ws.nodes.size(); ++n)
    if (const Node* cn = ws.cib->find_node(ws.nodes[n].uname))
      for (const auto& [k, v] : cn->utilization) remaining_[n][k] = value_of(v);
  needs_.resize(ws.rscs.size());
  for (size_t ri = 0; ri < ws.rscs.size(); ++ri)
    if (const Primitive* p = ws.rscs[ri].prim)
      for (const auto& [k, v] : p->utilization) needs_[ri][k] = value_of(v);
}

int NodeCapacities::compare(int a, int b) const {
  int result = 0;
  const Values &x = remaining_[a], &y = remaining_[b];
  for (const auto& [k, v] : x) {
    auto it = y.find(k);
    int other = it == y.end() ? 0 : it->second;
    if (v > other) --result;
    else if (v < other) ++result;
  }
  for (const auto& [k, v] : y) {
    if (x.count(k)) continue;
    if (0 > v) --result;
    else if (0 < v) ++result;
  }
  return result;
}

void NodeCapacities::consume(int node, int ri) {
  if (!enabled() || node < 0) return;
  // Only names the node has are tracked (update_utilization_value subtracts
  // from a missing value as from 0).
  for (const auto& [k, v] : needs_[ri]) remaining_[node][k] -= v;
}

void NodeCapacities::release(int node, int ri) {
  if (!enabled() || node < 0) return;
  for (const auto& [k, v] : needs_[ri]) remaining_[node][k] += v;
}

bool NodeCapacities::enough(int node, const Values& need) const {
  for (const auto& [k, v] : need) {
    auto it = remaining_[node].find(k);
    if (v > (it == remaining_[node].end() ? 0 : it->second)) return false;
  }
  return true;
}

// The needs of `ri` if it is still unassigned (a group: its members').
void NodeCapacities::add_needs(const WorkingSet& ws, int ri, Values& sum) const {
  const SRsc& r = ws.rscs[ri];
  if (r.is_group) {
    for (int c : r.children) add_needs(ws, c, sum);
    return;
  }
  if (!r.provisional) return;
  for (const auto& [k, v] : needs_[ri]) sum[k] += v;
}

int NodeCapacities::ban_insufficient(WorkingSet& ws, int ri) {
  if (!enabled()) return -1;
  // pcmk__colocated_resources: itself, its group, and what is colocated with
  // it at INFINITY either way, transitively.
  std::vector<int> group{ri};
  for (size_t i = 0; i < group.size(); ++i) {
    auto add = [&](int x) {
      if (std::find(group.begin(), group.end(), x) == group.end()) group.push_back(x);
    };
    const SRsc& r = ws.rscs[group[i]];
    for (int ci : r.this_with)
      if (ws.colocs[ci].score >= kInfinity) add(ws.colocs[ci].primary);
    for (int ci : r.with_this)
      if (ws.colocs[ci].score >= kInfinity) add(ws.colocs[ci].dependent);
  }
  Values together;
  for (int x : group) add_needs(ws, x, together);
  SRsc& r = ws.rscs[ri];
  // pcmk__node_available(node, true, false): a negative score counts as unavailable.
  auto usable = [&](size_t n) { return r.allowed[n] && *r.allowed[n] >= 0 && ws.nodes[n].available(); };
  bool any_capable = false;
  int most_capable = -1;
  for (size_t n = 0; n < r.allowed.size(); ++n) {
    if (!usable(n)) continue;
    if (enough(static_cast<int>(n), together)) any_capable = true;
    if (most_capable < 0 || compare(static_cast<int>(n), most_capable) < 0) most_capable = static_cast<int>(n);
  }
  const Values& alone = needs_[ri];
  for (size_t n = 0; n < r.allowed.size(); ++n) {
    if (!usable(n)) continue;
    if (enough(static_cast<int>(n), any_capable ? together : alone)) continue;
    ws.note(ri, static_cast<int>(n), -kInfinity, "not enough remaining capacity (placement-strategy)");
    r.allowed[n] = add_scores(*r.allowed[n], -kInfinity);
  }
  return any_capable ? -1 : most_capable;
}

void sort_for_utilization(WorkingSet& ws) {
  NodeCapacities caps(ws);
  if (!caps.enabled()) return;
  // The cluster's nodes by their own weight, then capacity (balanced), then name.
  std::vector<int> nodes(ws.nodes.size());
  for (size_t n = 0; n < nodes.size(); ++n) nodes[n] = static_cast<int>(n);
  auto weight = [&](int n) { return ws.nodes[n].available() ? ws.nodes[n].weight : -kInfinity; };
  std::stable_sort(nodes.begin(), nodes.end(), [&](int a, int b) {
    if (weight(a) != weight(b)) return weight(a) > weight(b);
    if (caps.minimal()) return std::strcmp(ws.nodes[a].uname.c_str(), ws.nodes[b].uname.c_str()) < 0;
    if (caps.balanced()) {
      int c = caps.compare(a, b);
      if (c != 0) return c < 0;
    }
    return std::strcmp(ws.nodes[a].uname.c_str(), ws.nodes[b].uname.c_str()) < 0;
  });
  // A resource's scores: its own table (a group's first member carries the
  // group's preferences).
  auto table = [&](int ri) -> const NodeTable& {
    const SRsc& r = ws.rscs[ri];
    return r.is_group && !r.children.empty() ? ws.rscs[r.children.front()].allowed : r.allowed;
  };
  auto score_on = [&](int ri, int n) -> Score {
    if (n < 0) return -kInfinity;
    const auto& t = table(ri);
    return t[n] ? *t[n] : -kInfinity;
  };
  auto current = [&](int ri) {
    const SRsc& r = ws.rscs[ri];
    if (r.is_group) {
      for (int c : r.children)
        if (ws.rscs[c].current >= 0) return ws.rscs[c].current;
      return -1;
    }
    return r.current;
  };
  std::stable_sort(ws.top.begin(), ws.top.end(), [&](int a, int b) {
    if (ws.rscs[a].priority != ws.rscs[b].priority) return ws.rscs[a].priority > ws.rscs[b].priority;
    Score x = score_on(a, current(a)), y = score_on(b, current(b));
    if (x != y) return x > y;
    for (int n : nodes) {
      x = score_on(a, n);
      y = score_on(b, n);
      if (x != y) return x > y;
    }
    return false;
  });
}

}  // namespace hactl::core::sched
