// The timeout of each executable action, as Pacemaker 2.1.5's
// unpack_operation computes the CRM_meta_timeout it puts in the graph.
// Internal to core/scheduler.
#pragma once

#include <cstdint>
#include <string>

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

constexpr int64_t kDefaultActionTimeoutMs = 20000;  // CRM_DEFAULT_OP_TIMEOUT_S

// In order of precedence: for a fence device's start or probe its
// pcmk_monitor_timeout parameter; the <op> with this name and interval
// (disabled ones too; migrate_to/migrate_from fall back to a "migrate" op);
// for a probe, the timeout attribute of the enabled monitor with the
// shortest interval; op_defaults (their rules evaluated for this op);
// 20 s. Values are read as crm_get_msec reads them (parse_msec): one it
// cannot read, or a negative one, gives 20 s.
int64_t action_timeout_ms(const Cib& cib, const Primitive& p, const std::string& task, int64_t interval_ms,
                          int64_t now);

// Fills Action::timeout_ms of every probe, start, stop and monitor.
void fill_action_timeouts(const WorkingSet& ws, Transition& t);

}  // namespace hactl::core::sched
