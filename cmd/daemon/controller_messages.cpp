#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/message_schema.h"
#include "cmd/sys/json_text.h"

namespace hactl::cmd::daemon {

std::vector<uint8_t> encode_ctl(CtlMsg type, const nlohmann::json& body) {
  std::string text = json_text(body);
  std::vector<uint8_t> out;
  out.reserve(text.size() + 1);
  out.push_back(static_cast<uint8_t>(type));
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::optional<std::pair<CtlMsg, nlohmann::json>> decode_ctl(const std::vector<uint8_t>& payload, std::string* error) {
  if (payload.empty()) return std::nullopt;
  uint8_t t = payload[0];
  if (t < static_cast<uint8_t>(CtlMsg::execute) || t > static_cast<uint8_t>(CtlMsg::please_leave)) return std::nullopt;
  auto body = nlohmann::json::parse(payload.begin() + 1, payload.end(), nullptr, false);
  std::string why = body.is_discarded() ? "not JSON" : ctl_message_error(static_cast<CtlMsg>(t), body);
  if (!why.empty()) {
    if (error) *error = why;
    return std::nullopt;
  }
  return std::make_pair(static_cast<CtlMsg>(t), std::move(body));
}

nlohmann::json execute_to_json(const core::control::ExecuteRequest& r) {
  nlohmann::json params = nlohmann::json::object(), meta = nlohmann::json::object();
  for (const auto& [k, v] : r.params) params[k] = v;
  for (const auto& [k, v] : r.meta) meta[k] = v;
  nlohmann::json m = {{"rsc", r.rsc},       {"standard", r.standard},     {"provider", r.provider},
                      {"type", r.type},     {"action", r.action},         {"interval_ms", r.interval_ms},
                      {"timeout_ms", r.timeout_ms}, {"params", params},   {"meta", meta},
                      {"dc", r.route.dc},   {"term", r.route.term},       {"tid", r.route.tid},
                      {"aid", r.route.aid}};
  if (r.reuse_last_params) m["reuse_last_params"] = true;
  return m;
}

core::control::ActionReport report_from_json(uint32_t from, const nlohmann::json& m) {
  core::control::ActionReport r;
  r.from = from;
  r.rsc = m.value("rsc", "");
  r.action = m.value("action", "");
  r.standard = m.value("standard", "");
  r.provider = m.value("provider", "");
  r.type = m.value("type", "");
  r.reason = m.value("reason", "");
  r.interval_ms = m.value("interval_ms", int64_t{0});
  r.rc = static_cast<core::OcfRc>(m.value("rc", static_cast<int>(core::OcfRc::err_generic)));
  r.status = static_cast<core::ExecStatus>(m.value("status", static_cast<int>(core::ExecStatus::error)));
  r.route = {m.value("dc", 0u), m.value("term", int64_t{0}), m.value("tid", int64_t{0}), m.value("aid", -1)};
  return r;
}

}  // namespace hactl::cmd::daemon
