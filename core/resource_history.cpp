#include "core/resource_history.h"

#include <cstdlib>

#include "core/fail_attribute.h"

namespace hactl::core {

std::vector<FailCount> fail_counts(const Cib& cib) {
  std::vector<FailCount> out;
  for (const NodeState& ns : cib.node_states)
    for (auto& [name, value] : ns.transient_attrs) {
      auto f = parse_fail_attribute(name);
      if (!f || !f->is_count) continue;
      const std::string rest = name.substr(std::string_view("fail-count-").size());
      FailCount fc;
      fc.node = ns.uname;
      fc.rsc = f->rsc + f->instance;
      fc.op_key = f->op_key;
      fc.count = parse_score_lenient(value);
      auto lf = ns.transient_attrs.find("last-failure-" + rest);
      if (lf != ns.transient_attrs.end()) fc.last_failure = std::atoll(lf->second.c_str());
      out.push_back(fc);
    }
  return out;
}

}  // namespace hactl::core
