#include "core/exit_code.h"

namespace hactl::core {

const char* describe(ExitCode c) {
  switch (c) {
    case ExitCode::ok: return "OK";
    case ExitCode::error: return "Error occurred";
    case ExitCode::invalid_param: return "Invalid parameter";
    case ExitCode::unimplemented: return "Unimplemented";
    case ExitCode::insufficient_priv: return "Insufficient privileges";
    case ExitCode::not_installed: return "Not installed";
    case ExitCode::not_configured: return "Not configured";
    case ExitCode::not_running: return "Not running";
    case ExitCode::usage: return "Incorrect usage";
    case ExitCode::data_err: return "Invalid data given";
    case ExitCode::no_input: return "Input file not available";
    case ExitCode::no_host: return "Host unknown";
    case ExitCode::unavailable: return "Necessary service unavailable";
    case ExitCode::software: return "Internal software bug";
    case ExitCode::os_err: return "Operating system error occurred";
    case ExitCode::os_file: return "System file not available";
    case ExitCode::cant_create: return "Cannot create output file";
    case ExitCode::io_err: return "I/O error occurred";
    case ExitCode::temp_fail: return "Temporary failure, try again";
    case ExitCode::protocol: return "Protocol violated";
    case ExitCode::no_perm: return "Insufficient privileges";
    case ExitCode::config: return "Invalid configuration";
    case ExitCode::fatal: return "Fatal error occurred, will not respawn";
    case ExitCode::disconnect: return "Not connected";
    case ExitCode::old: return "Update was older than existing configuration";
    case ExitCode::digest: return "Digest mismatch";
    case ExitCode::no_such: return "No such object";
    case ExitCode::quorum: return "Quorum required";
    case ExitCode::unsafe: return "Operation not safe";
    case ExitCode::exists: return "Requested item already exists";
    case ExitCode::multiple: return "Multiple items match request";
    case ExitCode::timeout: return "Timeout occurred";
  }
  return "Unknown exit status";
}

}  // namespace hactl::core
