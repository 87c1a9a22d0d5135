// The on-fail response of a failed operation (pe_actions.c): the op's own
// on-fail, else op_defaults', else Pacemaker's default for the task.
#include "core/scheduler/op_history.h"

#include <algorithm>
#include <cstdlib>
#include <strings.h>
#include "core/scheduler/definition_change.h"

namespace hactl::core::sched {

const char* on_fail_name(OnFail f) {
  switch (f) {
    case OnFail::ignore: return "ignore";
    case OnFail::recover: return "restart";
    case OnFail::migrate: return "migrate";
    case OnFail::block: return "block";
    case OnFail::stop: return "stop";
    case OnFail::standby: return "standby";
    case OnFail::fence: return "fence";
  }
  return "?";
}

FailPolicy fail_policy(const WorkingSet& ws, const Primitive& p, const std::string& task, int64_t interval_ms) {
  // The op definition with the same name and interval (disabled ones too),
  // else op_defaults; a probe only matches an explicit interval-0 monitor.
  std::string value;
  bool found = false;
  for (const auto& op : p.ops) {
    if (op.name == task && op.interval_ms == interval_ms) {
      value = op.on_fail;
      found = true;
      break;
    }
  }
  (void)found;
  if (value.empty()) {
    if (auto it = ws.cib->op_defaults.find("on-fail"); it != ws.cib->op_defaults.end()) value = it->second;
  }
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  // Values that make no sense for a stop, and "demote" outside promotable
  // monitors, fall back to the default.
  if (task == "stop" && (v == "standby" || v == "demote" || v == "stop")) v.clear();
  if (v == "demote" && task != "promote") v.clear();
  FailPolicy fp;
  if (v == "block") {
    fp.on_fail = OnFail::block;
  } else if (v == "fence") {
    fp.on_fail = OnFail::fence;
    if (!ws.stonith_enabled) {  // fence is invalid without fencing: stop instead
      fp.on_fail = OnFail::stop;
      fp.fail_role_stopped = true;
    }
  } else if (v == "standby") {
    fp.on_fail = OnFail::standby;
  } else if (v == "ignore" || v == "nothing") {
    fp.on_fail = OnFail::ignore;
  } else if (v == "migrate") {
    fp.on_fail = OnFail::migrate;
  } else if (v == "stop") {
    fp.on_fail = OnFail::stop;
    fp.fail_role_stopped = true;
  } else if (v == "restart") {
    fp.on_fail = OnFail::recover;
  } else if (task == "stop") {
    // Default for a failed stop: fence the node when fencing is enabled, else
    // block the resource where it is.
    fp.on_fail = ws.stonith_enabled ? OnFail::fence : OnFail::block;
  } else {
    fp.on_fail = OnFail::recover;
  }
  return fp;
}

}  // namespace hactl::core::sched
