#include "core/scheduler/action_timeout.h"

#include <strings.h>

#include <optional>

#include "core/duration.h"
#include "core/scheduler/rules.h"

namespace hactl::core::sched {
namespace {

std::optional<std::string> attr(const Attributes& a, const char* name) {
  if (auto it = a.find(name); it != a.end()) return it->second;
  return std::nullopt;
}

// find_rsc_op_entry_helper with include_disabled: the action's own <op>.
const Op* own_op(const Primitive& p, const std::string& task, int64_t interval_ms) {
  auto find = [&](const std::string& name, int64_t interval) -> const Op* {
    for (const Op& op : p.ops)
      if (op.interval_ms == interval && strcasecmp(op.name.c_str(), name.c_str()) == 0) return &op;
    return nullptr;
  };
  if (const Op* op = find(task, interval_ms)) return op;
  if (task == "migrate_to" || task == "migrate_from") return find("migrate", 0);
  return nullptr;
}

// find_min_interval_mon: the first enabled monitor with the shortest interval.
const Op* shortest_monitor(const Primitive& p) {
  const Op* best = nullptr;
  for (const Op& op : p.ops)
    if (op.enabled && op.interval_ms > 0 && strcasecmp(op.name.c_str(), "monitor") == 0 &&
        (best == nullptr || op.interval_ms < best->interval_ms))
      best = &op;
  return best;
}

}  // namespace

int64_t action_timeout_ms(const Cib& cib, const Primitive& p, const std::string& task, int64_t interval_ms,
                          int64_t now) {
  const bool probe = task == "monitor" && interval_ms == 0;
  Op this_op;  // what op_defaults' op_expression rules look at
  this_op.name = task;
  this_op.interval_ms = interval_ms;
  RuleContext ctx;
  ctx.rsc = &p;
  ctx.op = &this_op;
  ctx.now = now;
  std::optional<std::string> value = attr(evaluate_nvsets(cib.op_default_sets, ctx), "timeout");
  if (probe)
    if (const Op* mon = shortest_monitor(p))
      if (auto v = attr(mon->attrs, "timeout")) value = v;
  if (const Op* op = own_op(p, task, interval_ms))
    if (auto v = attr(op->attrs, "timeout")) value = v;
  // pcmk_ra_cap_fence_params: a fence device's start and probe.
  if (strcasecmp(p.cls.c_str(), "stonith") == 0 && (task == "start" || probe))
    if (auto v = attr(p.params, "pcmk_monitor_timeout")) value = v;
  if (!value) return kDefaultActionTimeoutMs;
  std::optional<int64_t> ms = parse_msec(*value);
  return ms && *ms >= 0 ? *ms : kDefaultActionTimeoutMs;
}

void fill_action_timeouts(const WorkingSet& ws, Transition& t) {
  for (Action& a : t.actions) {
    if (a.kind != ActionKind::probe && a.kind != ActionKind::start && a.kind != ActionKind::stop &&
        a.kind != ActionKind::monitor)
      continue;
    int ri = ws.find_rsc(a.rsc);
    if (ri < 0 || ws.rscs[ri].prim == nullptr) continue;
    a.timeout_ms = action_timeout_ms(*ws.cib, *ws.rscs[ri].prim, a.task, a.interval_ms, ws.now);
  }
}

}  // namespace hactl::core::sched
