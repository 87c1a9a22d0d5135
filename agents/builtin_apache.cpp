// Built-in ocf:heartbeat:apache (being written; see the executor issue).
#include <cstdio>

#include "agents/builtin_agents.h"
#include "agents/ocf_result.h"

namespace hactl::agents {

int run_builtin_apache(const BuiltinCall& c) {
  if (c.action == "meta-data") {
    std::fwrite(kApacheMetadata.data(), 1, kApacheMetadata.size(), stdout);
    return 0;
  }
  std::fprintf(stderr, "apache (built-in): action %s not implemented yet\n", c.action.c_str());
  return static_cast<int>(OcfRc::unimplemented);
}

}  // namespace hactl::agents
