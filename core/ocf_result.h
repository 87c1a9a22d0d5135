// Agent result codes, shared by the executor and the controller: the OCF rc an action returned (its own code set, kept
// apart from core::ExitCode and Status), the execution status around it
// (Pacemaker's op-status), and the conversions from LSB/systemd/fence results.
#pragma once

#include <string_view>

namespace hactl::core {

enum class OcfRc : int {
  ok = 0,
  err_generic = 1,
  err_args = 2,
  unimplemented = 3,
  err_perm = 4,
  not_installed = 5,
  not_configured = 6,
  not_running = 7,
  running_promoted = 8,
  failed_promoted = 9,
  degraded = 190,
  degraded_promoted = 191,
  unknown = 193,  // pending / no result yet
};

// Pacemaker's short names: "ok", "error", "invalid parameter", "unimplemented feature",
// "insufficient privileges", "not installed", "not configured", "not running",
// "promoted", "promoted (failed)", "OCF_DEGRADED", ...
std::string_view describe(OcfRc rc);
// An exit code of an OCF agent; codes outside 0..9/190/191 become err_generic.
OcfRc ocf_rc_from_exit(int exit_code);

// Pacemaker's op-status (PCMK_EXEC_*): whether the rc above is meaningful.
enum class ExecStatus : int {
  pending = -1,
  done = 0,
  cancelled = 1,
  timeout = 2,
  not_supported = 3,
  error = 4,
  error_hard = 5,
  error_fatal = 6,
  not_installed = 7,
};
std::string_view describe(ExecStatus s);

// LSB init-script exit codes. For `status` (our monitor): 0 running, 1-3 not
// running (1/2 "dead but pid/lock file exists" are treated as not running, as
// Pacemaker does), 4 unknown → error. For other actions: 0 ok, 1 generic,
// 2 args, 3 unimplemented, 4 perm, 5 not installed, 6 not configured, 7 not running.
OcfRc ocf_rc_from_lsb(int exit_code, bool is_status);

}  // namespace hactl::core
