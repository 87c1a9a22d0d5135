#include "core/control/execute_request.h"

#include <optional>


namespace hactl::core::control {

namespace {

constexpr int64_t kDefaultTimeoutMs = 20000;  // an action the scheduler gave no timeout

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
  r.timeout_ms = a.timeout_ms > 0 ? a.timeout_ms : kDefaultTimeoutMs;
  for (const auto& [k, v] : p->params) r.params[k] = v;
  for (const auto& [k, v] : p->meta) r.meta[k] = v;
  r.reuse_last_params = orphan.has_value();
  return r;
}

}  // namespace hactl::core::control
