// Built-in ocf:heartbeat:IPaddr2 (being written; see the executor issue).
#include <cstdio>

#include "agents/builtin_agents.h"
#include "agents/ocf_result.h"

namespace hactl::agents {

int run_builtin_ipaddr2(const BuiltinCall& c) {
  if (c.action == "meta-data") {
    std::fwrite(kIpaddr2Metadata.data(), 1, kIpaddr2Metadata.size(), stdout);
    return 0;
  }
  std::fprintf(stderr, "IPaddr2 (built-in): action %s not implemented yet\n", c.action.c_str());
  return static_cast<int>(OcfRc::unimplemented);
}

}  // namespace hactl::agents
