// Helpers for the simulated-network tests: measuring detection and agreement
// times from a SimNetwork's observations.
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include "net/sim/sim_network.h"

namespace hactl::net::test {

inline double ms_between(TimePoint a, TimePoint b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// First time, at or after `since`, that `observer` saw `node` enter `state`.
inline std::optional<TimePoint> first_seen(const sim::SimNetwork& net, NodeId observer, NodeId node, MemberState state,
                                           TimePoint since) {
  for (const auto& o : net.observations())
    if (o.at >= since && o.observer == observer && o.event.node == node && o.event.state == state) return o.at;
  return std::nullopt;
}

struct Detection {
  std::optional<double> first_ms;  // first survivor to declare the node dead
  std::optional<double> all_ms;    // every running survivor declared it dead
};

inline Detection detection(const sim::SimNetwork& net, NodeId victim, TimePoint crashed_at) {
  Detection d;
  std::optional<TimePoint> first, last;
  bool all = true;
  for (NodeId o = 1; o <= net.size(); ++o) {
    if (o == victim || !net.running(o)) continue;
    auto t = first_seen(net, o, victim, MemberState::dead, crashed_at);
    if (!t) {
      all = false;
      continue;
    }
    if (!first || *t < *first) first = t;
    if (!last || *t > *last) last = t;
  }
  if (first) d.first_ms = ms_between(crashed_at, *first);
  if (all && last) d.all_ms = ms_between(crashed_at, *last);
  return d;
}

// Dead declarations, at or after `since`, about nodes that were running and
// reachable from the observer: false positives.
inline std::size_t false_deaths(const sim::SimNetwork& net, TimePoint since) {
  std::size_t n = 0;
  for (const auto& o : net.observations())
    if (o.at >= since && o.event.state == MemberState::dead && net.running(o.event.node) &&
        net.reachable(o.observer, o.event.node))
      ++n;
  return n;
}

inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace hactl::net::test
