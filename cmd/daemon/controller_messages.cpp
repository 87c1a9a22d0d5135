#include "cmd/daemon/controller_messages.h"

namespace hactl::cmd::daemon {

std::vector<uint8_t> encode_ctl(CtlMsg type, const nlohmann::json& body) {
  std::string text = body.dump();
  std::vector<uint8_t> out;
  out.reserve(text.size() + 1);
  out.push_back(static_cast<uint8_t>(type));
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::optional<std::pair<CtlMsg, nlohmann::json>> decode_ctl(const std::vector<uint8_t>& payload) {
  if (payload.empty()) return std::nullopt;
  uint8_t t = payload[0];
  if (t < static_cast<uint8_t>(CtlMsg::execute) || t > static_cast<uint8_t>(CtlMsg::please_leave)) return std::nullopt;
  auto body = nlohmann::json::parse(payload.begin() + 1, payload.end(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  return std::make_pair(static_cast<CtlMsg>(t), std::move(body));
}

}  // namespace hactl::cmd::daemon
