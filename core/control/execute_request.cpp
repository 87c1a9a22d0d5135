#include "core/control/execute_request.h"

#include <optional>

#include "core/duration.h"

namespace hactl::core::control {

namespace {

constexpr int64_t kDefaultTimeoutMs = 20000;

// A resource removed from the configuration (an orphan the scheduler stops)
// as the node's history knows it: its agent only. Its parameters are gone
// from the CIB; the node's executor reuses those it last ran it with.
std::optional<Primitive> orphan_primitive(const Cib& cib, const Action& a) {
  const LrmResource* lr = find_lrm_resource(cib, a.node, a.rsc);
  if (lr == nullptr || lr->type.empty()) return std::nullopt;
  Primitive p;
  p.id = lr->id;
  p.cls = lr->cls;
  p.provider = lr->provider;
  p.type = lr->type;
  return p;
}

}  // namespace

int64_t action_timeout_ms(const Cib& cib, const Primitive& p, const std::string& task, int64_t interval_ms) {
  for (const auto& op : p.ops)
    if (op.name == task && op.interval_ms == interval_ms && op.timeout_ms) return *op.timeout_ms;
  if (task == "monitor")
    for (const auto& op : p.ops)
      if (op.name == "monitor" && op.timeout_ms) return *op.timeout_ms;
  if (auto it = cib.op_defaults.find("timeout"); it != cib.op_defaults.end())
    if (auto ms = parse_duration_ms(it->second); ms && *ms > 0) return *ms;
  return kDefaultTimeoutMs;
}

Result<ExecuteRequest> build_execute_request(const Cib& cib, const Action& a) {
  const Primitive* p = cib.find_primitive(a.rsc);
  std::optional<Primitive> orphan;
  if (!p && (orphan = orphan_primitive(cib, a))) p = &*orphan;
  if (!p) return Status::not_found("resource " + a.rsc + " is not configured");
  ExecuteRequest r;
  r.rsc = a.rsc;
  r.standard = p->cls;
  r.provider = p->provider;
  r.type = p->type;
  r.action = a.kind == ActionKind::probe ? "monitor" : a.task;
  r.interval_ms = a.interval_ms;
  r.timeout_ms = action_timeout_ms(cib, *p, r.action, a.interval_ms);
  for (const auto& [k, v] : p->params) r.params[k] = v;
  for (const auto& [k, v] : p->meta) r.meta[k] = v;
  r.reuse_last_params = orphan.has_value();
  return r;
}

}  // namespace hactl::core::control
