#include "core/resource_history.h"

#include <algorithm>
#include <cstdlib>

namespace hactl::core {

bool node_is_online(const NodeState& ns) {
  return is_true(ns.in_ccm) && ns.crmd == "online" && (ns.join.empty() || ns.join == "member");
}

std::vector<ResourceOnNode> resource_history(const Cib& cib) {
  std::vector<ResourceOnNode> out;
  for (const NodeState& ns : cib.node_states) {
    if (!node_is_online(ns)) continue;
    for (const LrmResource& lr : ns.resources) {
      std::vector<const LrmOp*> ops;
      for (const LrmOp& op : lr.ops) ops.push_back(&op);
      std::stable_sort(ops.begin(), ops.end(), [](const LrmOp* a, const LrmOp* b) { return a->call_id < b->call_id; });
      ResourceOnNode r{lr.id, ns.uname};
      for (const LrmOp* op : ops) {
        bool ok = op->op_status == 0 && op->rc_code == 0;
        bool not_running = op->op_status == 0 && op->rc_code == 7;
        if (op->operation == "start" || op->operation == "promote" || op->operation == "demote" ||
            op->operation == "migrate_from") {
          r.active = ok;
          r.failed = !ok;
        } else if (op->operation == "stop" || op->operation == "migrate_to") {
          r.active = !ok;
          r.failed = !ok;
        } else if (op->operation == "monitor") {
          if (op->interval_ms == 0) {  // probe: 7 is the expected "not running"
            r.active = ok || (!not_running && op->rc_code != 5);
            r.failed = !ok && !not_running && op->rc_code != 5;
          } else if (!ok) {
            r.active = !not_running;
            r.failed = true;
          }
        }
        if (!ok && !(op->operation == "monitor" && op->interval_ms == 0 && not_running)) r.last_failure = op;
      }
      out.push_back(r);
    }
  }
  return out;
}

std::vector<std::string> active_nodes(const Cib& cib, std::string_view rsc) {
  std::vector<std::string> out;
  for (const ResourceOnNode& r : resource_history(cib))
    if (r.rsc == rsc && r.active) out.push_back(r.node);
  return out;
}

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
