#include "agents/agent_action.h"

#include <unistd.h>

#include "agents/builtin_agents.h"
#include "agents/builtin_exec.h"
#include "core/utf8.h"
#include "core/agent_confinement.h"

namespace hactl::agents {
namespace {

bool meta_true(std::string_view v) { return v == "true" || v == "yes" || v == "on" || v == "y" || v == "1"; }
bool meta_false(std::string_view v) { return v == "false" || v == "no" || v == "off" || v == "n" || v == "0"; }

// Pacemaker passes meta names with '-' as '_' (OCF_RESKEY_CRM_meta_target_role).
std::string env_name(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

ActionPlan immediate(OcfRc rc, ExecStatus status, std::string reason) {
  ActionPlan p;
  p.immediate = {rc, status};
  p.immediate_reason = std::move(reason);
  return p;
}

std::map<std::string, std::string> meta_with_op(const ActionRequest& r, const ExecutorEnv& env) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : r.meta) m[env_name(k)] = v;
  m["timeout"] = std::to_string(r.timeout_ms);
  m["interval"] = std::to_string(r.interval_ms);
  if (!env.node_name.empty()) m["on_node"] = env.node_name;
  return m;
}

void add_ocf_env(const ActionRequest& r, const ExecutorEnv& e, std::vector<std::string>& env) {
  env.push_back("OCF_RESOURCE_INSTANCE=" + r.rsc);
  env.push_back("OCF_RESOURCE_TYPE=" + r.agent.type);
  env.push_back("OCF_RESOURCE_PROVIDER=" + r.agent.provider);
  for (const auto& [k, v] : r.params) env.push_back("OCF_RESKEY_" + k + "=" + v);
  for (const auto& [k, v] : meta_with_op(r, e)) env.push_back("OCF_RESKEY_CRM_meta_" + k + "=" + v);
}

std::string first_executable(const AgentCatalog& cat, std::initializer_list<const char*> paths) {
  for (const char* p : paths) {
    std::string full = cat.path(p);
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return "";
}

ActionPlan plan_ocf(const AgentCatalog& cat, const ActionRequest& r, const ExecutorEnv& e) {
  std::string on_disk = cat.on_disk_path(r.agent);
  const BuiltinAgent* builtin = find_builtin(r.agent.provider, r.agent.type);
  auto choice = r.meta.find(kBuiltinMeta);
  bool force_builtin = choice != r.meta.end() && meta_true(choice->second);
  bool forbid_builtin = choice != r.meta.end() && meta_false(choice->second);
  bool use_builtin = builtin && (force_builtin || (on_disk.empty() && !forbid_builtin));
  if (!use_builtin && on_disk.empty()) {
    std::string why = force_builtin ? "hactl has no built-in agent " + r.agent.to_string()
                                    : agent_not_installed(r.agent.to_string()).message();
    return immediate(OcfRc::not_installed, ExecStatus::not_installed, why);
  }
  ActionPlan p;
  p.spawn.env = cat.base_environment();
  add_ocf_env(r, e, p.spawn.env);
  if (use_builtin) {
    BuiltinCall call;
    call.action = r.action;
    call.instance = r.rsc;
    call.params = r.params;
    call.meta = meta_with_op(r, e);
    call.timeout_ms = r.timeout_ms;
    call.interval_ms = r.interval_ms;
    call.root = cat.root();
    if (!e.builtin_exec.empty()) {
      p.spawn.argv = builtin_exec_argv(e.builtin_exec, r.agent.provider, r.agent.type, call);
    } else {
      BuiltinFn fn = builtin->run;
      p.spawn.in_child = [call = std::move(call), fn] { return fn(call); };
    }
    p.builtin = true;
  } else {
    p.spawn.argv = {on_disk, r.action};
  }
  return p;
}

ActionPlan plan_lsb(const AgentCatalog& cat, const ActionRequest& r) {
  std::string path = cat.on_disk_path({"lsb", "", r.agent.type});
  if (path.empty()) return immediate(OcfRc::not_installed, ExecStatus::not_installed,
                                     agent_not_installed(r.agent.to_string()).message());
  bool status = r.action == "monitor" || r.action == "status";
  ActionPlan p;
  p.spawn.argv = {path, status ? "status" : r.action};
  p.spawn.env = cat.base_environment();
  p.mapping = status ? RcMapping::lsb_status : RcMapping::lsb;
  return p;
}

ActionPlan plan_systemd(const AgentCatalog& cat, const ActionRequest& r) {
  if (!cat.systemd_running()) {
    return immediate(OcfRc::not_installed, ExecStatus::not_installed,
                     "systemd is not running on this node, so " + r.agent.to_string() + " cannot be managed");
  }
  std::string systemctl = first_executable(cat, {"/usr/bin/systemctl", "/bin/systemctl"});
  if (systemctl.empty()) return immediate(OcfRc::not_installed, ExecStatus::not_installed, "systemctl not found");
  std::string unit = r.agent.type.ends_with(".service") ? r.agent.type : r.agent.type + ".service";
  ActionPlan p;
  p.spawn.env = cat.base_environment();
  if (r.action == "start" || r.action == "stop" || r.action == "reload" || r.action == "restart") {
    p.spawn.argv = {systemctl, r.action, unit};
    p.mapping = RcMapping::systemd_action;
  } else if (r.action == "monitor" || r.action == "status") {
    p.spawn.argv = {systemctl, "is-active", unit};
    p.mapping = RcMapping::systemd_status;
  } else if (r.action == "meta-data" || r.action == "validate-all") {
    return immediate(OcfRc::ok, ExecStatus::done, "");
  } else {
    return immediate(OcfRc::unimplemented, ExecStatus::not_supported,
                     "systemd units have no '" + r.action + "' action");
  }
  return p;
}

// Fence agents take their arguments as name=value lines on stdin. A stonith
// resource's start/monitor check the device; stop only unregisters it (no call).
ActionPlan plan_stonith(const AgentCatalog& cat, const ActionRequest& r) {
  std::string path = cat.on_disk_path(r.agent);
  if (path.empty()) return immediate(OcfRc::not_installed, ExecStatus::not_installed,
                                     agent_not_installed(r.agent.to_string()).message());
  if (r.action == "stop") return immediate(OcfRc::ok, ExecStatus::done, "");
  std::string action = r.action == "start" ? "monitor" : r.action == "meta-data" ? "metadata" : r.action;
  ActionPlan p;
  p.spawn.argv = {path};
  p.spawn.env = cat.base_environment();
  p.spawn.stdin_data = "action=" + action + "\n";
  for (const auto& [k, v] : r.params) {
    if (k.starts_with("pcmk_")) continue;  // interpreted by the cluster, not the agent
    p.spawn.stdin_data += k + "=" + v + "\n";
  }
  p.mapping = RcMapping::fence;
  return p;
}

}  // namespace

std::string ActionResult::key() const { return rsc + "_" + action + "_" + std::to_string(interval_ms); }

ActionPlan plan_action(const AgentCatalog& cat, const ActionRequest& r, const ExecutorEnv& e) {
  ActionPlan p;
  const std::string& s = r.agent.standard;
  // Whatever the CIB names, only agents of their class's directory run.
  if (core::is_runnable_standard(s))
    if (core::Status allowed = core::check_agent_name(s, r.agent.provider, r.agent.type); !allowed)
      return immediate(OcfRc::not_installed, ExecStatus::not_installed, allowed.message());
  if (s == "ocf") p = plan_ocf(cat, r, e);
  else if (s == "lsb") p = plan_lsb(cat, r);
  else if (s == "systemd") p = plan_systemd(cat, r);
  else if (s == "service") p = cat.resolve("systemd:" + r.agent.type) ? plan_systemd(cat, r) : plan_lsb(cat, r);
  else if (s == "stonith") p = plan_stonith(cat, r);
  else return immediate(OcfRc::not_installed, ExecStatus::not_installed, "unknown agent standard '" + s + "'");
  p.spawn.timeout_ms = r.timeout_ms;
  p.spawn.kill_grace_ms = e.kill_grace_ms;
  p.spawn.output_cap = e.output_cap;
  return p;
}

namespace {

OcfRc map_exit(int code, RcMapping m, const ProcessOutcome& o) {
  switch (m) {
    case RcMapping::ocf: return ocf_rc_from_exit(code);
    case RcMapping::lsb: return ocf_rc_from_lsb(code, false);
    case RcMapping::lsb_status: return ocf_rc_from_lsb(code, true);
    case RcMapping::systemd_action: return code == 0 ? OcfRc::ok : OcfRc::err_generic;
    case RcMapping::systemd_status: {
      std::string state = o.out.substr(0, o.out.find('\n'));
      if (state == "active" || state == "reloading") return OcfRc::ok;
      if (state == "failed") return OcfRc::err_generic;
      return OcfRc::not_running;
    }
    case RcMapping::fence: return code == 0 ? OcfRc::ok : code == 2 ? OcfRc::not_running : OcfRc::err_generic;
  }
  return OcfRc::err_generic;
}

// resource-agents print "ocf-exit-reason:TEXT" on stderr; the last one counts.
std::string exit_reason_of(const std::string& err) {
  static constexpr std::string_view kTag = "ocf-exit-reason:";
  std::string reason;
  size_t pos = 0;
  while ((pos = err.find(kTag, pos)) != std::string::npos) {
    size_t end = err.find('\n', pos);
    reason = err.substr(pos + kTag.size(), end == std::string::npos ? std::string::npos : end - pos - kTag.size());
    pos += kTag.size();
  }
  return reason;
}

}  // namespace

void interpret_outcome(const ProcessOutcome& o, RcMapping mapping, const ActionRequest& r, ActionResult& res) {
  // Agents print in the node's locale (Latin-1 on many systems): made valid
  // UTF-8 here, where their text enters, before history, logs or JSON see it.
  res.output = core::to_valid_utf8(o.out);
  res.errors = core::to_valid_utf8(o.err);
  res.pid = o.pid;
  res.started_ms = o.started_ms;
  res.ended_ms = o.ended_ms;
  res.exit_reason = exit_reason_of(res.errors);
  switch (o.end) {
    case ProcessOutcome::End::exited:
      res.rc = map_exit(o.exit_code, mapping, o);
      res.status = ExecStatus::done;
      break;
    case ProcessOutcome::End::signaled:
      res.rc = OcfRc::err_generic;
      res.status = ExecStatus::error;
      if (res.exit_reason.empty()) res.exit_reason = "agent killed by signal " + std::to_string(o.signal);
      break;
    case ProcessOutcome::End::timed_out:
      res.rc = OcfRc::err_generic;
      res.status = ExecStatus::timeout;
      res.exit_reason = r.action + " timed out after " + std::to_string(r.timeout_ms) + "ms";
      break;
    case ProcessOutcome::End::cancelled:
      res.rc = OcfRc::unknown;
      res.status = ExecStatus::cancelled;
      break;
    case ProcessOutcome::End::spawn_failed:
      res.rc = OcfRc::not_installed;
      res.status = ExecStatus::not_installed;
      res.exit_reason = core::to_valid_utf8(o.error);
      break;
  }
}

}  // namespace hactl::agents
