// schedule(): unpack -> node criteria -> assignment -> blocking (quorum,
// mandatory orderings) -> actions, ordering edges and the summary.
#include <algorithm>
#include <memory>
#include <set>

#include "core/scheduler/action_timeout.h"
#include "core/cib_references.h"
#include "core/scheduler/assign.h"
#include "core/scheduler/definition_change.h"
#include "core/scheduler/migration.h"
#include "core/scheduler/tickets.h"
#include "core/scheduler/transition.h"
#include "core/scheduler/transition_builder.h"
#include "core/scheduler/working_set.h"

namespace hactl::core {

const char* action_kind_name(ActionKind k) {
  switch (k) {
    case ActionKind::probe: return "probe";
    case ActionKind::start: return "start";
    case ActionKind::stop: return "stop";
    case ActionKind::monitor: return "monitor";
    case ActionKind::fence: return "fence";
    case ActionKind::pseudo: return "pseudo";
    case ActionKind::promote: return "promote";
    case ActionKind::demote: return "demote";
    case ActionKind::migrate_to: return "migrate_to";
    case ActionKind::migrate_from: return "migrate_from";
  }
  return "?";
}

std::string Action::key() const {
  if (kind == ActionKind::fence) return "stonith-" + node + "-reboot";
  return rsc + "_" + task + "_" + std::to_string(interval_ms);
}

const ResourcePlacement* Transition::find(std::string_view rsc) const {
  for (const auto& p : placement)
    if (p.rsc == rsc) return &p;
  return nullptr;
}

Transition schedule(const Cib& configured, const ScheduleOptions& options) {
  // Constraints naming templates or tags are scheduled as the sets they stand for.
  const std::unique_ptr<Cib> expanded = expand_references(configured);
  const Cib& cib = expanded ? *expanded : configured;
  sched::WorkingSet ws = sched::unpack(cib, options.now);
  sched::apply_tickets(ws);
  sched::apply_node_criteria(ws);
  sched::check_definition_changes(ws, options.sanitized);
  Transition t;
  sched::assign_all(ws, options.record_scores ? &t.scores : nullptr);
  sched::build_transition(ws, t);
  if (options.allow_migration) sched::plan_migrations(ws, t);
  sched::fill_action_timeouts(ws, t);
  t.warnings = ws.warnings;
  return t;
}

}  // namespace hactl::core
