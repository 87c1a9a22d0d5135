// Pacemaker's CLI exit codes (crm_exit_t), the numbers users' scripts already test.
// Kept apart from OCF agent codes (agents/) and from internal Status on purpose:
// conversions between them are explicit.
#pragma once

namespace hactl::core {

enum class ExitCode : int {
  ok = 0,
  error = 1,
  invalid_param = 2,
  unimplemented = 3,
  insufficient_priv = 4,
  not_installed = 5,
  not_configured = 6,
  not_running = 7,
  usage = 64,
  data_err = 65,
  no_input = 66,
  no_host = 68,
  unavailable = 69,
  software = 70,
  os_err = 71,
  os_file = 72,
  cant_create = 73,
  io_err = 74,
  temp_fail = 75,
  protocol = 76,
  no_perm = 77,
  config = 78,
  fatal = 100,
  disconnect = 102,
  old = 103,
  digest = 104,
  no_such = 105,
  quorum = 106,
  unsafe = 107,
  exists = 108,
  multiple = 109,
  timeout = 124,
};

inline int to_int(ExitCode c) { return static_cast<int>(c); }

// Pacemaker's short description of an exit code (crm_error -X).
const char* describe(ExitCode c);

}  // namespace hactl::core
