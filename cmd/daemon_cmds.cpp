// Commands that need the running node agent (cluster start/stop/status/kill,
// live status). The node agent is built in later work; until then these say so
// plainly instead of pretending.
#include "cmd/cli.h"

namespace hactl::cmd {

int run_daemon_command(Invocation& inv, const std::string& sub, const Args& args) {
  static const char* live[] = {"start", "stop", "status", "kill", "enable", "disable", "node", "sync", "reload"};
  for (const char* l : live)
    if (sub == l)
      return fail(core::Status::error(core::ExitCode::unimplemented,
                                      "'cluster " + sub + "' needs the hactl node agent, which this build does not include yet"));
  return usage_error("unknown cluster command '" + sub + "'");
}

}  // namespace hactl::cmd
