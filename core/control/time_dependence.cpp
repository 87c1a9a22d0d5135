#include "core/control/time_dependence.h"

#include "core/fail_attribute.h"

namespace hactl::core::control {

namespace {

bool has_date(const Rule& r) {
  if (!r.date_expressions.empty()) return true;
  for (const Rule& n : r.rules)
    if (has_date(n)) return true;
  return false;
}

bool has_date(const std::vector<Rule>& rules) {
  for (const Rule& r : rules)
    if (has_date(r)) return true;
  return false;
}

bool has_date(const std::vector<NvSet>& sets) {
  for (const NvSet& s : sets)
    if (has_date(s.rules)) return true;
  return false;
}

bool expires_failures(const Attributes& meta) {
  auto it = meta.find("failure-timeout");
  return it != meta.end() && !it->second.empty() && it->second != "0";
}

}  // namespace

bool depends_on_time(const Cib& cib) {
  for (const auto& l : cib.locations)
    if (has_date(l.rules)) return true;
  for (const auto& n : cib.nodes)
    if (has_date(n.attr_sets)) return true;
  for (const auto& p : cib.primitives)
    if (has_date(p.instance_sets) || has_date(p.meta_sets)) return true;
  for (const auto& g : cib.groups)
    if (has_date(g.instance_sets)) return true;
  if (has_date(cib.rsc_default_sets) || has_date(cib.op_default_sets)) return true;
  bool any_failure = false;
  for (const auto& ns : cib.node_states)
    for (const auto& [name, value] : ns.transient_attrs)
      if (auto f = parse_fail_attribute(name); f && !f->is_count) any_failure = true;
  if (!any_failure) return false;
  if (expires_failures(cib.rsc_defaults)) return true;
  for (const auto& p : cib.primitives)
    if (expires_failures(p.meta)) return true;
  for (const auto& c : cib.clones)
    if (expires_failures(c.meta)) return true;
  return false;
}

}  // namespace hactl::core::control
