#include "agents/builtin_agents.h"

namespace hactl::agents {

std::string BuiltinCall::param(std::string_view name, std::string_view fallback) const {
  auto it = params.find(std::string(name));
  if (it == params.end() || it->second.empty()) return std::string(fallback);
  return it->second;
}

const std::vector<BuiltinAgent>& builtin_agents() {
  // Sorted by (provider, type): listings rely on it.
  static const std::vector<BuiltinAgent> agents = {
      {"heartbeat", "IPaddr2", kIpaddr2Metadata, &run_builtin_ipaddr2},
      {"heartbeat", "apache", kApacheMetadata, &run_builtin_apache},
      {"pacemaker", "Dummy", kDummyMetadata, &run_builtin_dummy},
  };
  return agents;
}

const BuiltinAgent* find_builtin(std::string_view provider, std::string_view type) {
  for (const auto& a : builtin_agents())
    if (a.provider == provider && a.type == type) return &a;
  return nullptr;
}

}  // namespace hactl::agents
