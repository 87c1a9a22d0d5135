// `resource standards|providers|agents|describe` from the agent catalog.
#include <iostream>

#include <nlohmann/json.hpp>

#include "agents/agent_catalog.h"
#include "cmd/sys/json_text.h"
#include "cmd/cli.h"

namespace hactl::cmd {

using json = nlohmann::json;

int run_agent_command(Invocation& inv, const std::string& sub, const Args& a) {
  agents::AgentCatalog catalog(inv.root);
  if (sub == "standards" || sub == "providers") {
    auto list = sub == "standards" ? catalog.standards() : catalog.providers();
    if (inv.json()) std::cout << json_text(json(list), 2) << "\n";
    else for (auto& s : list) std::cout << s << "\n";
    return 0;
  }
  if (sub == "agents" || sub == "list") {
    std::string standard, provider;
    if (!a.empty()) {
      auto colon = a[0].find(':');
      standard = a[0].substr(0, colon);
      if (colon != std::string::npos) provider = a[0].substr(colon + 1);
    }
    auto list = catalog.agents(standard, provider);
    if (inv.json()) {
      json out = json::array();
      for (auto& n : list)
        out.push_back({{"standard", n.standard}, {"provider", n.provider.empty() ? json(nullptr) : json(n.provider)},
                       {"type", n.type}, {"builtin", catalog.is_builtin(n)}});
      std::cout << json_text(out, 2) << "\n";
      return 0;
    }
    // With a standard (and provider) given, pcs prints bare types.
    for (auto& n : list) std::cout << (standard.empty() ? n.to_string() : n.type) << "\n";
    return 0;
  }
  // describe
  if (a.empty()) return usage_error("resource describe [STANDARD:[PROVIDER:]]TYPE");
  auto name = catalog.resolve(a[0]);
  if (!name) return fail(name.status());
  auto md = catalog.metadata(*name);
  if (!md) return fail(md.status());
  if (inv.json()) {
    json params = json::array(), actions = json::array();
    for (auto& p : md->parameters)
      params.push_back({{"name", p.name}, {"shortdesc", p.shortdesc}, {"longdesc", p.longdesc}, {"type", p.type},
                        {"default", p.default_value}, {"required", p.required}, {"unique", p.unique}});
    for (auto& x : md->actions)
      actions.push_back({{"name", x.name}, {"timeout", x.timeout}, {"interval", x.interval}, {"role", x.role}, {"depth", x.depth}});
    std::cout << json_text(json{{"name", name->to_string()}, {"shortdesc", md->shortdesc}, {"longdesc", md->longdesc},
                      {"builtin", md->builtin}, {"parameters", params}, {"actions", actions}}, 2)
              << "\n";
    return 0;
  }
  std::cout << name->to_string() << " - " << md->shortdesc << "\n\n" << md->longdesc << "\n\nResource options:\n";
  for (auto& p : md->parameters) {
    std::cout << "  " << p.name;
    if (p.required) std::cout << " (required)";
    if (p.unique) std::cout << " (unique)";
    std::cout << ": " << (p.longdesc.empty() ? p.shortdesc : p.longdesc);
    if (!p.default_value.empty()) std::cout << " [default: " << p.default_value << "]";
    std::cout << "\n";
  }
  std::cout << "\nDefault operations:\n";
  for (auto& x : md->actions) {
    if (x.name == "meta-data" || x.name == "validate-all" || x.name == "status") continue;
    std::cout << "  " << x.name << ":\n    interval=" << (x.interval.empty() ? "0s" : x.interval) << "\n";
    if (!x.timeout.empty()) std::cout << "    timeout=" << x.timeout << "\n";
  }
  if (md->builtin) std::cout << "\n(built into hactl)\n";
  return 0;
}

}  // namespace hactl::cmd
