#include "core/fence_delay.h"

#include <algorithm>
#include <cctype>

#include "core/duration.h"
#include "core/scheduler/cluster_status.h"
#include "core/score.h"

namespace hactl::core {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int64_t duration_or_zero(std::string_view text, const char* name, std::vector<std::string>* problems) {
  auto ms = parse_duration_ms(text);
  if (!ms || *ms < 0) {
    problems->push_back(std::string(name) + " '" + std::string(text) + "' is not a duration: no delay");
    return 0;
  }
  return *ms;
}

// pcmk_delay_base as a map: entries "node:delay" separated by ';', space or tab.
// Only taken as a map when it has a ':' (Pacemaker's get_value_for_target).
std::optional<std::string> mapped_base(std::string_view text, std::string_view target,
                                       std::vector<std::string>* problems) {
  if (text.find(':') == std::string_view::npos) return std::nullopt;
  size_t i = 0;
  while (i <= text.size()) {
    size_t e = text.find_first_of("; \t", i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view entry = text.substr(i, e - i);
    i = e + 1;
    if (entry.empty()) continue;
    size_t c = entry.find(':');
    if (c == std::string_view::npos || c == 0 || c + 1 == entry.size()) {
      problems->push_back("pcmk_delay_base: malformed mapping '" + std::string(entry) + "'");
      continue;
    }
    if (iequal(entry.substr(0, c), target)) return std::string(entry.substr(c + 1));
  }
  return std::nullopt;
}

}  // namespace

DelaySpec device_delay(const Attributes& params, std::string_view target) {
  DelaySpec d;
  if (auto it = params.find("pcmk_delay_max"); it != params.end())
    d.max_ms = duration_or_zero(trim(it->second), "pcmk_delay_max", &d.problems);
  if (auto it = params.find("pcmk_delay_base"); it != params.end()) {
    std::string_view text = trim(it->second);
    std::vector<std::string> map_problems;
    auto one = mapped_base(text, target, &map_problems);
    if (one) {
      d.base_ms = duration_or_zero(*one, "pcmk_delay_base", &d.problems);
    } else if (text.find(':') != std::string_view::npos && !parse_duration_ms(text)) {
      // A map without this target: no base delay for it (not an error).
      d.problems.insert(d.problems.end(), map_problems.begin(), map_problems.end());
    } else {
      d.base_ms = duration_or_zero(text, "pcmk_delay_base", &d.problems);
    }
  }
  if (d.max_ms == 0) d.max_ms = d.base_ms;
  if (d.base_ms > d.max_ms) {
    d.problems.push_back("pcmk_delay_base is larger than pcmk_delay_max: limited to the maximum");
    d.base_ms = d.max_ms;
  }
  return d;
}

int64_t pick_delay_ms(const DelaySpec& d, uint64_t random) {
  if (d.max_ms <= d.base_ms) return d.base_ms;
  const auto span = static_cast<uint64_t>(d.max_ms - d.base_ms) + 1;
  return d.base_ms + static_cast<int64_t>(random % span);
}

int64_t priority_fencing_delay_ms(int64_t property_ms, std::string_view target, const std::vector<NodePriority>& nodes) {
  if (property_ms <= 0 || nodes.empty()) return 0;
  const NodePriority* t = nullptr;
  size_t online = 0;
  int64_t top = nodes.front().priority, lowest = nodes.front().priority;
  for (const auto& n : nodes) {
    if (iequal(n.name, target)) t = &n;
    if (n.online) ++online;
    top = std::max(top, n.priority);
    lowest = std::min(lowest, n.priority);
  }
  if (!t || t->online) return 0;                // only for a node lost from this partition
  if (online > nodes.size() / 2) return 0;      // a majority needs no head start
  if (top == lowest) return 0;                  // equal priorities: device delays decide
  if (t->priority < top) return 0;
  return property_ms;
}

std::vector<NodePriority> node_priorities(const Cib& cib, int64_t now) {
  ClusterStatus cs = cluster_status(cib, now);
  std::vector<NodePriority> out;
  for (const auto& n : cs.nodes) out.push_back({n.uname, n.online, 0});
  for (const auto& top : cs.resources)
    for (const auto& ps : top.primitives) {
      if (ps.failed) continue;
      const Primitive* p = cib.find_primitive(ps.id);
      if (!p) continue;
      std::string v = "0";
      if (auto it = p->meta.find("priority"); it != p->meta.end()) v = it->second;
      else if (auto d = cib.rsc_defaults.find("priority"); d != cib.rsc_defaults.end()) v = d->second;
      const int64_t prio = parse_score_lenient(v);
      if (prio == 0) continue;
      for (const auto& where : ps.running_on)
        for (auto& n : out)
          if (n.name == where) n.priority += prio;
    }
  return out;
}

}  // namespace hactl::core
