#include "agents/builtin_exec.h"

#include <cstdio>
#include <cstdlib>

#include "agents/ocf_result.h"

namespace hactl::agents {
namespace {

constexpr std::string_view kReskey = "OCF_RESKEY_";
constexpr std::string_view kMeta = "CRM_meta_";

int64_t to_ms(const std::map<std::string, std::string>& meta, const std::string& name, int64_t fallback) {
  auto it = meta.find(name);
  if (it == meta.end()) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  return end != it->second.c_str() && *end == '\0' ? v : fallback;
}

}  // namespace

std::vector<std::string> builtin_exec_argv(const std::string& program, const std::string& provider,
                                           const std::string& type, const BuiltinCall& call) {
  return {program, kBuiltinAgentVerb, call.root, provider, type, call.action};
}

BuiltinCall builtin_call_from(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  BuiltinCall c;
  if (args.size() >= 4) {
    c.root = args[0];
    c.action = args[3];
  }
  for (const std::string& kv : env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string_view name(kv.data(), eq);
    std::string value = kv.substr(eq + 1);
    if (name == "OCF_RESOURCE_INSTANCE") c.instance = value;
    if (!name.starts_with(kReskey)) continue;
    name.remove_prefix(kReskey.size());
    // Meta names arrive as the executor wrote them ('-' already '_'), as in-process built-ins get them.
    if (name.starts_with(kMeta)) c.meta[std::string(name.substr(kMeta.size()))] = value;
    else c.params[std::string(name)] = value;
  }
  c.timeout_ms = to_ms(c.meta, "timeout", c.timeout_ms);
  c.interval_ms = to_ms(c.meta, "interval", c.interval_ms);
  return c;
}

int run_builtin_exec(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const BuiltinAgent* b = args.size() == 4 ? find_builtin(args[1], args[2]) : nullptr;
  if (!b) {
    std::fprintf(stderr, "Error: usage: hactl %s ROOT PROVIDER TYPE ACTION (a built-in agent)\n", kBuiltinAgentVerb);
    return static_cast<int>(OcfRc::not_installed);
  }
  int rc = b->run(builtin_call_from(args, env));
  std::fflush(stdout);
  std::fflush(stderr);
  return rc;
}

}  // namespace hactl::agents
