#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/message_schema.h"
#include "cmd/json_text.h"

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

}  // namespace hactl::cmd::daemon
