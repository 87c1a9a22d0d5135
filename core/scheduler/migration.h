// Live migration (allow-migrate, Pacemaker's pcmk_sched_migration.c): a
// managed, healthy primitive that moves between two clean nodes is migrated
// instead of stopped and started: migrate_to on the source, migrate_from on
// the target, then the stop on the source; its start becomes a pseudo-action
// that completes the migration. The Transition Summary says Migrate.
//
// Modelled: full migrations of primitives (also group members) whose move
// the transition already plans. Not modelled yet: continuing or recovering a
// partial migration found in the history, dangling migrations, and
// migration-limit; orderings with other resources' migrations only get the
// extra edges onto migrate_to, not Pacemaker's fallback to stop/start when a
// dependency cannot migrate.
#pragma once

#include "core/scheduler/transition.h"
#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// pcmk__rsc_can_migrate plus "it is moving": whether primitive `ri` may
// migrate from its current node to `target`.
bool can_migrate(const WorkingSet& ws, int ri, int target);

// Whether primitive `ri` migrates to the node it was assigned. A migration
// ordered after the start of a resource that moves by stop and start cannot
// happen (its migrate_to would wait for that resource's stop, which waits
// for the migration): the resource moves by stop and start too, and
// `blocked_by` names that resource.
bool migrates(const WorkingSet& ws, int ri, std::string* blocked_by = nullptr);

// Rewrites the moves of migratable resources in `t` into migrations. Runs
// after build_transition.
void plan_migrations(const WorkingSet& ws, Transition& t);

}  // namespace hactl::core::sched
