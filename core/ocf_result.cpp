#include "core/ocf_result.h"

namespace hactl::core {

std::string_view describe(OcfRc rc) {
  switch (rc) {
    case OcfRc::ok: return "ok";
    case OcfRc::err_generic: return "error";
    case OcfRc::err_args: return "invalid parameter";
    case OcfRc::unimplemented: return "unimplemented feature";
    case OcfRc::err_perm: return "insufficient privileges";
    case OcfRc::not_installed: return "not installed";
    case OcfRc::not_configured: return "not configured";
    case OcfRc::not_running: return "not running";
    case OcfRc::running_promoted: return "promoted";
    case OcfRc::failed_promoted: return "promoted (failed)";
    case OcfRc::degraded: return "OCF_DEGRADED";
    case OcfRc::degraded_promoted: return "OCF_DEGRADED_PROMOTED";
    case OcfRc::unknown: return "unknown";
  }
  return "unknown";
}

OcfRc ocf_rc_from_exit(int code) {
  if ((code >= 0 && code <= 9) || code == 190 || code == 191) return static_cast<OcfRc>(code);
  return OcfRc::err_generic;
}

std::string_view describe(ExecStatus s) {
  switch (s) {
    case ExecStatus::pending: return "pending";
    case ExecStatus::done: return "complete";
    case ExecStatus::cancelled: return "Cancelled";
    case ExecStatus::timeout: return "Timed Out";
    case ExecStatus::not_supported: return "NOT SUPPORTED";
    case ExecStatus::error: return "Error";
    case ExecStatus::error_hard: return "Hard error";
    case ExecStatus::error_fatal: return "Fatal error";
    case ExecStatus::not_installed: return "Not installed";
  }
  return "?";
}

OcfRc ocf_rc_from_lsb(int code, bool is_status) {
  if (is_status) {
    switch (code) {
      case 0: return OcfRc::ok;
      case 1:
      case 2:
      case 3: return OcfRc::not_running;
      default: return OcfRc::err_generic;
    }
  }
  if (code >= 0 && code <= 7) return static_cast<OcfRc>(code);
  return OcfRc::err_generic;
}

}  // namespace hactl::core
