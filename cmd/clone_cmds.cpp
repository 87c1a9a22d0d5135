#include "cmd/clone_cmds.h"

#include <iostream>

#include "agents/agent_catalog.h"
#include "core/clone_edit.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;

namespace {

bool wants_promotable(const core::KeyValues& meta) {
  for (auto& [k, v] : meta)
    if (k == "promotable" && (v == "true" || v == "1" || v == "yes" || v == "on")) return true;
  return false;
}

// The agent check for every primitive that would be cloned (a group's members too).
Status check_agents(const Invocation& inv, const CibDocument& doc, const std::string& rsc, const core::KeyValues& meta) {
  if (!wants_promotable(meta)) return {};
  core::Element* e = core::find_resource(doc, rsc);
  if (!e) return {};  // clone_resource reports it
  std::vector<core::Element*> prims = std::string_view(e->Name()) == "group" ? core::children(e, "primitive")
                                                                             : std::vector<core::Element*>{e};
  agents::AgentCatalog catalog(inv.root);
  // pcs lets --force past this check for a group's members only (and on create).
  Invocation checked = inv;
  if (std::string_view(e->Name()) != "group") checked.force = false;
  for (core::Element* p : prims) {
    if (core::attr(p, "class") != "ocf") continue;  // clone_resource refuses non-OCF agents
    agents::AgentName name{core::attr(p, "class"), core::attr(p, "provider"), core::attr(p, "type")};
    auto md = catalog.metadata(name);
    if (Status s = check_promotable_agent(checked, md ? &*md : nullptr, name.to_string(), core::attr(p, "id"), meta); !s)
      return s;
  }
  return {};
}

// clone|promotable RSC [CLONE_ID] [k=v...] [meta k=v...]
int clone(Invocation& inv, const Args& a, bool promotable) {
  const std::string cmd = promotable ? "promotable" : "clone";
  if (a.empty()) return usage_error("resource " + cmd + " <resource id | group id> [<clone id>] [clone options]...");
  auto opts = core::parse_clone_options(Args(a.begin() + 1, a.end()), promotable);
  if (!opts) return fail(opts.status());
  std::vector<std::string> warnings;
  int rc = edit_cib(inv, [&](CibDocument& doc) -> Status {
    warnings.clear();
    if (Status s = check_agents(inv, doc, a[0], opts->meta); !s) return s;
    return core::clone_resource(doc, a[0], *opts, inv.force, &warnings).status();
  });
  if (rc == 0)
    for (auto& w : warnings) warn(w);
  return rc;
}

// pcs 0.9: master [MASTER_ID] RSC [options], written as Pacemaker 2.1 writes a
// promotable clone. The legacy option names become the modern ones.
int master(Invocation& inv, const Args& a) {
  legacy_note("resource master", "resource promotable");
  if (a.empty()) return usage_error("resource promotable <resource id | group id> [<clone id>] [clone options]...");
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  Args args = a;
  auto is_rsc = [&](const std::string& id) {
    core::Element* e = core::find_resource(*doc, id);
    return e && (std::string_view(e->Name()) == "primitive" || std::string_view(e->Name()) == "group");
  };
  // The 0.9 order put the new id first; the modern one puts the resource first.
  if (args.size() >= 2 && args[1].find('=') == std::string::npos && !is_rsc(args[0]) && is_rsc(args[1]))
    std::swap(args[0], args[1]);
  else if (args.size() == 1 || args[1].find('=') != std::string::npos)
    args.insert(args.begin() + 1, args[0] + "-master");  // 0.9's default id, which its tutorials go on to use
  for (std::string& x : args) {
    for (const char* old : {"master-max=", "master-node-max="}) {
      if (x.rfind(old, 0) != 0) continue;
      std::string modern = "promoted-" + x.substr(7);
      legacy_note(x.substr(0, x.find('=')), modern.substr(0, modern.find('=')));
      x = modern;
      break;
    }
  }
  return clone(inv, args, true);
}

int unclone(Invocation& inv, const Args& a) {
  if (a.size() != 1) return usage_error("resource unclone <clone id | resource id | group id>");
  return edit_cib(inv, [&](CibDocument& doc) { return core::unclone_resource(doc, a[0]); });
}

}  // namespace

bool is_clone_command(const std::string& sub) {
  return sub == "clone" || sub == "promotable" || sub == "master" || sub == "unclone";
}

int run_clone_command(Invocation& inv, const std::string& sub, const Args& args) {
  if (sub == "clone") return clone(inv, args, false);
  if (sub == "promotable") return clone(inv, args, true);
  if (sub == "master") return master(inv, args);
  return unclone(inv, args);
}

Status check_promotable_agent(const Invocation& inv, const agents::AgentMetadata* md, const std::string& agent,
                              const std::string& rsc, const core::KeyValues& clone_meta) {
  if (!md || !wants_promotable(clone_meta) || md->version != "1.1") return {};
  if (md->find_action("promote") && md->find_action("demote")) return {};
  // pcs names the resource only when it exists already (resource promotable RSC).
  std::string msg = "Clone option 'promotable' is not compatible with '" + agent + "' resource agent" +
                    (rsc.empty() ? "" : " of resource '" + rsc + "'");
  if (inv.force) {
    warn(msg);
    return {};
  }
  return Status::invalid(msg + ", use --force to override");
}

std::string modern_role_noted(const std::string& role) {
  std::string modern = core::modern_role(role);
  if (modern != role) legacy_note(role, modern);
  return modern;
}

}  // namespace hactl::cmd
