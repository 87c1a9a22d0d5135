// crm_resource's agent queries (--list-standards, --list-ocf-providers,
// --list-agents, --show-metadata, --list-ocf-alternatives), answered from the
// agent catalog; crmsh asks these before it writes a primitive. Meta-data is
// printed in the OCF resource-agent layout rebuilt from what the catalog parsed.
#include <iostream>

#include "agents/agent_catalog.h"
#include "cmd/crm_tool_support.h"
#include "cmd/xml_out.h"

namespace hactl::cmd {

namespace {

using core::ExitCode;
using core::Status;

void print_metadata(const agents::AgentName& name, const agents::AgentMetadata& md) {
  std::cout << "<?xml version=\"1.0\"?>\n";
  XmlOut x(std::cout);
  x.open("resource-agent", {{"name", name.type}, {"version", md.version.empty() ? "1.0" : md.version}});
  x.text("version", "1.0");
  x.text("longdesc", md.longdesc, {{"lang", "en"}});
  x.text("shortdesc", md.shortdesc, {{"lang", "en"}});
  x.open("parameters");
  for (const auto& p : md.parameters) {
    x.open("parameter", {{"name", p.name}, {"unique", p.unique ? "1" : "0"}, {"required", p.required ? "1" : "0"}});
    x.text("longdesc", p.longdesc, {{"lang", "en"}});
    x.text("shortdesc", p.shortdesc, {{"lang", "en"}});
    XmlAttrs content = {{"type", p.type.empty() ? "string" : p.type}};
    if (!p.default_value.empty()) content.emplace_back("default", p.default_value);
    x.leaf("content", content);
    x.close();
  }
  x.close();
  x.open("actions");
  for (const auto& a : md.actions) {
    XmlAttrs attrs = {{"name", a.name}};
    if (!a.timeout.empty()) attrs.emplace_back("timeout", a.timeout);
    if (!a.interval.empty()) attrs.emplace_back("interval", a.interval);
    if (!a.depth.empty()) attrs.emplace_back("depth", a.depth);
    if (!a.role.empty()) attrs.emplace_back("role", a.role);
    x.leaf("action", attrs);
  }
  x.close();
  x.close();
}

}  // namespace

int run_crm_resource_agent_query(const std::string& what, const std::string& spec) {
  Invocation inv = tool_invocation("text");
  agents::AgentCatalog catalog(inv.root);
  if (what == "standards") {
    for (const auto& s : catalog.standards()) std::cout << s << "\n";
    return 0;
  }
  if (what == "providers" && spec.empty()) {
    for (const auto& p : catalog.providers()) std::cout << p << "\n";
    return 0;
  }
  if (what == "providers" || what == "alternatives") {  // providers of this OCF type
    int found = 0;
    for (const auto& a : catalog.agents("ocf"))
      if (a.type == spec) {
        std::cout << a.provider << "\n";
        ++found;
      }
    if (found) return 0;
    return tool_error("crm_resource", Status::not_found("No ocf:*:" + spec + " agent found"));
  }
  if (what == "agents") {
    const auto colon = spec.find(':');
    const std::string standard = spec.substr(0, colon), provider = colon == std::string::npos ? "" : spec.substr(colon + 1);
    auto list = catalog.agents(standard, provider);
    if (list.empty()) return tool_error("crm_resource", Status::not_found("No agents found for standard '" + spec + "'"));
    for (const auto& a : list) std::cout << a.type << "\n";
    return 0;
  }
  auto name = catalog.resolve(spec);
  if (!name) return tool_error("crm_resource", name.status());
  auto md = catalog.metadata(*name);
  if (!md) return tool_error("crm_resource", md.status());
  print_metadata(*name, *md);
  return 0;
}

}  // namespace hactl::cmd
