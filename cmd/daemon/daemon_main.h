// The node agent's composition root: run_daemon() builds the io_context, the
// node agent (membership, CIB store and replication, IPC server) and the
// controller on it, and runs them until the agent stops. The CLI's `hactl
// daemon` / `cluster start` call it with options read from their command line.
#pragma once

#include <string>

namespace hactl::cmd::daemon {

struct DaemonOptions {
  std::string root = "/";  // every path under this prefix (--root / HACTL_ROOT)
  std::string node;        // this node's name; empty: found from addresses / hostname
};

// The process's exit code; errors are printed as "Error: ..." on stderr.
int run_daemon(const DaemonOptions& options);

}  // namespace hactl::cmd::daemon
