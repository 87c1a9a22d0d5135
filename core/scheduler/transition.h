// The scheduler's public contract: schedule(cib, options) -> Transition.
// Pure and deterministic: the same Cib and options give the same Transition
// byte for byte; "now" is an input (fail-count expiry, date rules).
// Semantics follow Pacemaker 2.1.5's scheduler for primitives and groups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cib_model.h"
#include "core/score.h"

namespace hactl::core {

struct ScheduleOptions {
  int64_t now = 0;           // epoch seconds; fail-count expiry and date rules
  bool record_scores = false;  // fill Transition::scores (costly on big CIBs)
  // The CIB is a saved copy (crm_simulate -x) whose private parameters may be
  // masked: a definition change only in them is not acted on.
  bool sanitized = false;
  // Live migration (allow-migrate) as migrate_to/migrate_from. The live
  // controller turns it off until it executes them: it stops and starts.
  bool allow_migration = true;
};

// migrate_to runs on the source, migrate_from on the target (migration.h).
enum class ActionKind { probe, start, stop, monitor, fence, pseudo, promote, demote, migrate_to, migrate_from };
const char* action_kind_name(ActionKind k);

struct Action {
  int id = 0;                 // index in Transition::actions
  ActionKind kind = ActionKind::pseudo;
  std::string rsc;            // resource (or group for pseudo actions); empty for fence
  std::string history_rsc;    // the id its history is recorded under, when not `rsc` (anonymous clone instances)
  std::string node;           // where it runs; empty for pseudo actions
  std::string task;           // Pacemaker task name: start, stop, monitor, stonith, running...
  int64_t interval_ms = 0;    // monitors
  // How long the executor lets it run, as Pacemaker's graph has it
  // (CRM_meta_timeout): set for probes, starts, stops and monitors; 0 for
  // fencing (the fencer decides) and pseudo actions. action_timeout.h.
  int64_t timeout_ms = 0;
  std::string key() const;    // "Web_start_0", "Web_monitor_10000", "G_running_0"
  bool runnable = true;       // false: blocked (quorum, ordering, failed fencing)
  bool optional = false;      // kept only for ordering; not executed
  std::string reason;
};

// "before" must complete before "after" may start.
struct OrderingEdge {
  int before = 0, after = 0;
};

// One line of the Transition Summary.
struct SummaryItem {
  std::string verb;  // Start Stop Move Recover Restart Fence
  std::string rsc;   // resource, or node for Fence
  std::string from, to;
  std::string reason;
  bool blocked = false;
  // Set for instances of promotable clones: the text in parentheses as
  // crm_simulate prints it, roles included ("Unpromoted -> Promoted n1").
  std::string details = {};
};

struct ResourcePlacement {
  std::string rsc;
  std::vector<std::string> current;      // nodes it is active on now
  std::optional<std::string> target;     // after the transition; nullopt = stopped
  bool managed = true;
  bool failed = false;
  bool blocked = false;  // on-fail=block or a failed stop: no action until cleanup
};

struct ScoreLine {
  std::string function;  // pcmk__primitive_assign | pcmk__group_assign
  std::string rsc, node;
  Score score = 0;
};

struct Transition {
  std::vector<ResourcePlacement> placement;  // every primitive, CIB order, then the active orphans
  std::vector<Action> actions;
  std::vector<OrderingEdge> edges;
  std::vector<SummaryItem> summary;
  std::vector<ScoreLine> scores;
  std::vector<std::string> warnings;  // unsupported elements ignored, loops broken...

  const ResourcePlacement* find(std::string_view rsc) const;
};

Transition schedule(const Cib& cib, const ScheduleOptions& options);

}  // namespace hactl::core
