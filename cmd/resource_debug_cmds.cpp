// `resource debug-start|debug-stop|debug-monitor|debug-promote|debug-demote|debug-validate RSC [--full]`
// (pcs's commands, which run `crm_resource --force-*`): one action of a configured
// primitive, run on this node now, outside the cluster: the cluster is not told
// and does not react. Prints Pacemaker's result line and the agent's output;
// the exit code is the agent's OCF rc, as crm_resource's is.
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "agents/agent_action.h"
#include "agents/executor_loop.h"
#include "cmd/cli.h"
#include "core/cib_model.h"
#include "core/duration.h"

namespace hactl::cmd {

namespace {

using core::ExitCode;
using core::Status;

// Pacemaker's default when neither the op nor op_defaults sets a timeout.
constexpr int64_t kDefaultTimeoutMs = 20000;

std::string action_of(const std::string& sub) {
  std::string a = sub.substr(std::string("debug-").size());
  return a == "validate" ? "validate-all" : a;
}

// The timeout of the configured op of that name (a one-shot monitor prefers the
// interval-0 probe op, then any monitor), else op_defaults, else 20 s.
int64_t timeout_of(const core::Cib& cib, const core::Primitive& p, const std::string& action) {
  const core::Op* best = nullptr;
  for (const core::Op& op : p.ops) {
    if (op.name != action || !op.timeout_ms) continue;
    if (!best || (op.interval_ms == 0 && best->interval_ms != 0)) best = &op;
  }
  if (best) return *best->timeout_ms;
  if (auto it = cib.op_defaults.find("timeout"); it != cib.op_defaults.end()) {
    if (auto ms = core::parse_duration_ms(it->second); ms && *ms > 0) return *ms;
  }
  return kDefaultTimeoutMs;
}

std::string node_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "";
  std::string h = host;
  return h.substr(0, h.find('.'));
}

// crm_resource prints each line of the agent's output behind " >  stdout: ".
void print_lines(std::string_view prefix, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) std::cout << " >  " << prefix << ": " << line << "\n";
}

}  // namespace

int run_resource_debug_command(Invocation& inv, const std::string& sub, const Args& a) {
  static const char* const kSubs[] = {"debug-start",   "debug-stop",   "debug-monitor",
                                      "debug-promote", "debug-demote", "debug-validate"};
  bool known = false;
  for (const char* s : kSubs) known = known || sub == s;
  if (!known) return usage_error("unknown command 'resource " + sub + "'");
  if (a.size() != 1) return usage_error("resource " + sub + " <resource id> [--full]");
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  const std::string& id = a[0];
  const core::Primitive* p = cib.find_primitive(id);
  if (!p) {
    if (const core::Group* g = cib.find_group(id)) {
      std::string members;
      for (const auto& m : g->members) members += (members.empty() ? "" : ", ") + m;
      return fail(Status::error(ExitCode::usage, "unable to " + sub + " a group, try one of the group's resource(s) (" +
                                                     members + ")"));
    }
    return fail(Status::not_found("unable to find resource '" + id + "'"));
  }

  agents::ActionRequest req;
  req.rsc = p->id;
  req.agent = {p->cls, p->provider, p->type};
  req.action = action_of(sub);
  req.interval_ms = 0;
  req.timeout_ms = timeout_of(cib, *p, req.action);
  req.params = p->params;
  for (const auto& [k, v] : cib.rsc_defaults) req.meta[k] = v;
  for (const auto& [k, v] : p->meta) req.meta[k] = v;

  agents::AgentCatalog catalog(inv.root);
  agents::ExecutorEnv env;
  env.node_name = node_name();
  std::string agent = req.agent.to_string();

  if (inv.full) {
    // What crm_resource -V shows: which program runs, with which environment.
    agents::ActionPlan plan = agents::plan_action(catalog, req, env);
    std::cout << "Running " << req.action << " of " << req.rsc << " (" << agent << ") on this node, timeout "
              << core::format_duration(req.timeout_ms) << "\n";
    if (plan.immediate) std::cout << "  agent: none (" << plan.immediate_reason << ")\n";
    else if (plan.builtin) std::cout << "  agent: built into hactl\n";
    else {
      std::string cmdline;
      for (const auto& w : plan.spawn.argv) cmdline += (cmdline.empty() ? "" : " ") + w;
      std::cout << "  agent: " << cmdline << "\n";
    }
    for (const auto& e : plan.spawn.env) {
      if (e.rfind("OCF_", 0) == 0) std::cout << "  " << e << "\n";
    }
  }

  agents::ActionResult r = agents::run_action_sync(catalog, req, env);

  std::string what = "Operation " + req.action + " for " + req.rsc + " (" + agent + ")";
  int code = static_cast<int>(r.rc);
  if (r.status == agents::ExecStatus::done) {
    std::cout << what << " returned: '" << agents::describe(r.rc) << "' (" << code << ")\n";
  } else {
    std::cout << what << " failed: '" << agents::describe(r.status) << "' (" << static_cast<int>(r.status) << ")\n";
    // crm_resource: a timeout exits 124 (CRM_EX_TIMEOUT); other failures keep the rc.
    if (r.status == agents::ExecStatus::timeout) code = core::to_int(ExitCode::timeout);
    else if (r.rc == agents::OcfRc::ok || r.rc == agents::OcfRc::unknown) code = static_cast<int>(agents::OcfRc::err_generic);
  }
  if (!r.exit_reason.empty() && r.output.find(r.exit_reason) == std::string::npos &&
      r.errors.find(r.exit_reason) == std::string::npos)
    print_lines("exit-reason", r.exit_reason);
  print_lines("stdout", r.output);
  print_lines("stderr", r.errors);
  if (inv.full) {
    std::cout << "  (" << (r.builtin ? "built-in" : "on-disk") << ", " << r.ended_ms - r.started_ms << " ms)\n";
  }
  return code;
}

}  // namespace hactl::cmd
