#include "core/resource_history.h"

#include <cstdlib>

namespace hactl::core {

std::vector<FailCount> fail_counts(const Cib& cib) {
  std::vector<FailCount> out;
  const std::string prefix = "fail-count-";
  for (const NodeState& ns : cib.node_states)
    for (auto& [name, value] : ns.transient_attrs) {
      if (name.rfind(prefix, 0) != 0) continue;
      std::string rest = name.substr(prefix.size());
      FailCount fc;
      fc.node = ns.uname;
      auto hash = rest.find('#');
      fc.rsc = rest.substr(0, hash);
      if (hash != std::string::npos) fc.op_key = rest.substr(hash + 1);
      fc.count = parse_score_lenient(value);
      auto lf = ns.transient_attrs.find("last-failure-" + rest);
      if (lf != ns.transient_attrs.end()) fc.last_failure = std::atoll(lf->second.c_str());
      out.push_back(fc);
    }
  return out;
}

}  // namespace hactl::core
