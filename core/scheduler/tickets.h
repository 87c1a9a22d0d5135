// Ticket dependencies (rsc_ticket, Pacemaker's pcmk_sched_tickets.c): a
// resource that depends on a ticket may run only while the ticket is granted
// and not in standby. Losing a ticket the resource is active under applies
// its loss-policy: stop (ban everywhere), demote (the same for a resource
// without roles), fence (ban, and fence the nodes it is active on) or
// freeze (leave it where it is, unmanaged).
#pragma once

#include <string>

#include "core/scheduler/working_set.h"

namespace hactl::core::sched {

// Called after unpack, before the node criteria: records the bans in
// SRsc::ticket_ban, freezes resources and asks for fencing.
void apply_tickets(WorkingSet& ws);

}  // namespace hactl::core::sched
