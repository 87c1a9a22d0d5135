#include "core/fence_device.h"

#include <algorithm>
#include <cctype>

#include "core/duration.h"

namespace hactl::core {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

const std::string* param(const Attributes& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

bool listed(const std::vector<std::string>& names, std::string_view target) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return iequal(n, target); });
}

// One entry of a `list` line or host list, as Pacemaker's parse_list_line
// reads it: the leading run of [A-Za-z0-9_.-]; "on" and "off" are states.
std::optional<std::string> list_entry(std::string_view word) {
  size_t n = 0;
  while (n < word.size() && (std::isalnum(static_cast<unsigned char>(word[n])) || word[n] == '_' || word[n] == '-' ||
                             word[n] == '.'))
    ++n;
  if (n == 0) return std::nullopt;
  std::string e(word.substr(0, n));
  if (iequal(e, "on") || iequal(e, "off")) return std::nullopt;
  return e;
}

}  // namespace

bool is_fencing_param(std::string_view name) {
  if (name == "provides" || name == "stonith-timeout") return true;
  if (!name.starts_with("pcmk_")) return false;
  for (std::string_view p : {"pcmk_action_limit", "pcmk_delay_base", "pcmk_delay_max", "pcmk_host_argument",
                             "pcmk_host_check", "pcmk_host_list", "pcmk_host_map"})
    if (name == p) return true;
  // pcmk_<action>_action / _timeout / _retries
  size_t u = name.find('_', 5);
  if (u == std::string_view::npos || u == 5) return false;
  std::string_view rest = name.substr(u);
  return rest == "_action" || rest == "_timeout" || rest == "_retries";
}

const std::vector<std::string>& standard_fencing_params() {
  static const std::vector<std::string> names = {
      "pcmk_host_argument", "pcmk_host_map",      "pcmk_host_list",     "pcmk_host_check",   "pcmk_delay_max",
      "pcmk_delay_base",    "pcmk_action_limit",  "pcmk_reboot_action", "pcmk_reboot_timeout", "pcmk_reboot_retries",
      "pcmk_off_action",    "pcmk_off_timeout",   "pcmk_off_retries",   "pcmk_on_action",    "pcmk_on_timeout",
      "pcmk_on_retries",    "pcmk_list_action",   "pcmk_list_timeout",  "pcmk_list_retries", "pcmk_monitor_action",
      "pcmk_monitor_timeout", "pcmk_monitor_retries", "pcmk_status_action", "pcmk_status_timeout",
      "pcmk_status_retries"};
  return names;
}

std::vector<std::string> parse_host_list(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t e = text.find('\n', i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(i, e - i);
    i = e + 1;
    if (line.find("invalid") != std::string_view::npos || line.find("variable") != std::string_view::npos) continue;
    size_t j = 0;
    while (j < line.size()) {
      size_t k = line.find_first_of(" \t\r\f\v,;", j);
      if (k == std::string_view::npos) k = line.size();
      if (k > j)
        if (auto entry = list_entry(line.substr(j, k - j)); entry && !listed(out, *entry)) out.push_back(*entry);
      j = k + 1;
    }
  }
  return out;
}

std::optional<std::string> HostMap::port_of(std::string_view node) const {
  for (const auto& [n, port] : entries)
    if (iequal(n, node)) return port;
  return std::nullopt;
}

HostMap parse_host_map(std::string_view text) {
  HostMap m;
  text = trim(text);
  size_t i = 0;
  while (i < text.size()) {
    size_t e = text.find_first_of("; \t", i);
    if (e == std::string_view::npos) e = text.size();
    std::string_view entry = text.substr(i, e - i);
    i = e + 1;
    if (entry.empty()) continue;
    size_t c = entry.find_first_of(":=");
    if (c == std::string_view::npos || c == 0 || c + 1 == entry.size()) {
      m.malformed.emplace_back(entry);
      continue;
    }
    m.entries.emplace_back(std::string(entry.substr(0, c)), std::string(entry.substr(c + 1)));
  }
  return m;
}

HostCheck host_check(const Attributes& params) {
  if (const std::string* v = param(params, "pcmk_host_check")) {
    std::string_view c = trim(*v);
    if (iequal(c, "static-list")) return HostCheck::static_list;
    if (iequal(c, "dynamic-list")) return HostCheck::dynamic_list;
    if (iequal(c, "status")) return HostCheck::status;
    if (iequal(c, "none")) return HostCheck::none;
    return HostCheck::invalid;
  }
  if (param(params, "pcmk_host_list") || param(params, "pcmk_host_map")) return HostCheck::static_list;
  return HostCheck::none;
}

std::string_view to_string(HostCheck c) {
  switch (c) {
    case HostCheck::static_list: return "static-list";
    case HostCheck::dynamic_list: return "dynamic-list";
    case HostCheck::status: return "status";
    case HostCheck::none: return "none";
    case HostCheck::invalid: break;
  }
  return "invalid";
}

Eligibility can_fence(const Attributes& params, std::string_view target,
                      const std::optional<std::vector<std::string>>& list_output, std::optional<bool> known) {
  const HostCheck check = host_check(params);
  const std::string* map_text = param(params, "pcmk_host_map");
  const HostMap map = parse_host_map(map_text ? *map_text : "");
  switch (check) {
    case HostCheck::none: return {true, false, "pcmk_host_check=none"};
    case HostCheck::static_list: {
      const std::string* list_text = param(params, "pcmk_host_list");
      if (list_text && listed(parse_host_list(*list_text), target)) return {true, false, "in pcmk_host_list"};
      if (map.port_of(target)) return {true, false, "in pcmk_host_map"};
      return {false, false, "not in pcmk_host_list or pcmk_host_map"};
    }
    case HostCheck::dynamic_list: {
      if (!list_output) return {false, true, "asking the device's list"};
      // The device lists ports: a mapped node is looked up by its port.
      auto port = map.port_of(target);
      if (listed(*list_output, port ? std::string_view(*port) : target)) return {true, false, "in the device's list"};
      return {false, false, "not in the device's list"};
    }
    case HostCheck::status:
      if (!known) return {false, true, "asking the device's status"};
      return {*known, false, *known ? "the device's status knows it" : "the device's status does not know it"};
    case HostCheck::invalid: break;
  }
  return {false, false, "invalid pcmk_host_check '" + (param(params, "pcmk_host_check") ? *param(params, "pcmk_host_check") : std::string()) + "'"};
}

std::string fence_action(std::string_view stonith_action) {
  std::string_view a = trim(stonith_action);
  if (iequal(a, "off") || iequal(a, "poweroff")) return "off";
  return "reboot";
}

Attributes fence_agent_args(const Attributes& params, std::string_view target) {
  Attributes args;
  for (const auto& [k, v] : params)
    if (!is_fencing_param(k) && k != "action") args[k] = v;
  args["nodename"] = std::string(target);  // always, per fence-agents' API
  std::string host_arg = "port";
  if (const std::string* v = param(params, "pcmk_host_argument")) host_arg = std::string(trim(*v));
  if (host_arg.empty() || iequal(host_arg, "none")) return args;
  auto configured = params.find(host_arg);
  if (configured != params.end() && !iequal(configured->second, "dynamic")) return args;  // the user's own value
  const std::string* map_text = param(params, "pcmk_host_map");
  auto port = parse_host_map(map_text ? *map_text : "").port_of(target);
  args[host_arg] = port ? *port : std::string(target);
  return args;
}

FencePlan plan_fence(const Cib& cib, std::string_view target) {
  FencePlan plan;
  plan.target = std::string(target);
  const std::string stonith_action = cib.property("stonith-action", "reboot");
  plan.action = fence_action(stonith_action);
  if (plan.action == "reboot" && !iequal(trim(stonith_action), "reboot"))
    plan.notes.push_back("stonith-action '" + stonith_action + "' is not reboot, off or poweroff: using reboot");
  int64_t timeout_ms = 60000;
  const std::string timeout_text = cib.property("stonith-timeout", "60s");
  if (auto ms = parse_duration_ms(timeout_text); ms && *ms > 0) timeout_ms = *ms;
  else plan.notes.push_back("stonith-timeout '" + timeout_text + "' is not a duration: using 60s");
  for (const auto& p : cib.primitives) {
    if (p.cls != "stonith") continue;
    auto role = p.meta.find("target-role");
    if (role != p.meta.end() && role->second == "Stopped") {
      plan.notes.push_back(p.id + ": disabled (target-role=Stopped)");
      continue;
    }
    Eligibility e = can_fence(p.params, target);
    if (!e.can && !e.ask) {
      plan.notes.push_back(p.id + ": cannot fence " + plan.target + " (" + e.why + ")");
      continue;
    }
    if (const std::string* m = param(p.params, "pcmk_host_map"))
      for (const auto& bad : parse_host_map(*m).malformed) plan.notes.push_back(p.id + ": pcmk_host_map: malformed entry '" + bad + "'");
    FenceAttempt a;
    a.device = p.id;
    a.type = p.type;
    a.check = e.ask ? host_check(p.params) : HostCheck::none;
    a.action = plan.action;
    if (const std::string* alias = param(p.params, "pcmk_" + plan.action + "_action"); alias && !trim(*alias).empty())
      a.action = std::string(trim(*alias));
    a.timeout_ms = timeout_ms;
    if (const std::string* t = param(p.params, "pcmk_" + plan.action + "_timeout")) {
      if (auto ms = parse_duration_ms(*t); ms && *ms > 0) a.timeout_ms = *ms;
      else plan.notes.push_back(p.id + ": pcmk_" + plan.action + "_timeout '" + *t + "' is not a duration");
    }
    if (a.check != HostCheck::none) {
      const std::string name = a.check == HostCheck::dynamic_list ? "pcmk_list_timeout" : "pcmk_status_timeout";
      a.check_timeout_ms = timeout_ms;
      if (const std::string* t = param(p.params, name); t)
        if (auto ms = parse_duration_ms(*t); ms && *ms > 0) a.check_timeout_ms = *ms;
    }
    a.params = p.params;
    for (const auto& [k, v] : p.params)
      if (!is_fencing_param(k) && k != "action") a.device_args[k] = v;
    a.args = fence_agent_args(p.params, target);
    a.delay = device_delay(p.params, target);
    for (const auto& problem : a.delay.problems) plan.notes.push_back(p.id + ": " + problem);
    plan.attempts.push_back(std::move(a));
  }
  return plan;
}

}  // namespace hactl::core
