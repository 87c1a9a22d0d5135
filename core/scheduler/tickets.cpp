// rsc_ticket constraints: see tickets.h.
#include "core/scheduler/tickets.h"

#include <map>

#include <strings.h>

namespace hactl::core::sched {
namespace {

enum class LossPolicy { stop, demote, fence, freeze };

struct TicketDependency {
  std::string id, ticket;
  bool granted = false, standby = false;
  bool promoted_only = false;  // rsc-role=Promoted (Master)
  bool role_unknown = true;    // no role or Started: matches every active resource
  LossPolicy loss = LossPolicy::stop;
};

bool same_nocase(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

// rsc_ticket_new: fence needs fencing enabled, else it is stop; an unknown
// or absent policy is demote for the Promoted role and stop otherwise.
LossPolicy parse_loss_policy(WorkingSet& ws, const std::string& value, bool promoted, const std::string& ticket) {
  if (same_nocase(value, "fence")) {
    if (ws.stonith_enabled) return LossPolicy::fence;
    ws.warnings.push_back("resetting loss-policy for ticket '" + ticket + "' to 'stop' because fencing is not configured");
    return LossPolicy::stop;
  }
  if (same_nocase(value, "freeze")) return LossPolicy::freeze;
  if (same_nocase(value, "demote")) return LossPolicy::demote;
  if (same_nocase(value, "stop")) return LossPolicy::stop;
  return promoted ? LossPolicy::demote : LossPolicy::stop;
}

// constraints_for_ticket on one primitive (clone instance, group member).
void apply_to_primitive(WorkingSet& ws, int ri, const TicketDependency& t) {
  SRsc& r = ws.rscs[ri];
  const bool active = !r.running_on.empty();
  // A role filter other than Started never matches here: only promotable
  // clones (not scheduled by this module yet) have a Promoted instance.
  const bool role_matches = t.role_unknown;
  auto ban = [&](const char* why) {
    if (r.ticket_ban.empty()) r.ticket_ban = "ticket " + t.ticket + " " + why + " (rsc_ticket " + t.id + ")";
  };
  if (!t.granted && active) {
    switch (t.loss) {
      case LossPolicy::stop:
        ban("was lost");
        break;
      case LossPolicy::demote:
        if (!t.promoted_only) ban("was lost");
        break;
      case LossPolicy::fence:
        if (!role_matches) return;
        ban("was lost");
        for (int ni : r.running_on) request_fencing(ws, ni, "deadman ticket was lost");
        break;
      case LossPolicy::freeze:
        if (!role_matches) return;
        r.managed = false;
        r.blocked = true;
        break;
    }
  } else if (!t.granted) {
    if (!t.promoted_only || t.loss == LossPolicy::stop) ban("is not granted");
  } else if (t.standby) {
    if (!t.promoted_only || t.loss == LossPolicy::stop) ban("is in standby");
  }
}

// The primitives a constraint on `id` reaches, in Pacemaker's child order;
// false when `id` names no resource.
bool for_each_primitive(WorkingSet& ws, const std::string& id, const TicketDependency& t) {
  auto visit = [&](int ri, auto&& self) -> void {
    if (ws.rscs[ri].is_group) {
      for (int c : std::vector<int>(ws.rscs[ri].children)) self(c, self);
      return;
    }
    apply_to_primitive(ws, ri, t);
  };
  if (int ri = ws.find_rsc(id); ri >= 0) {
    visit(ri, visit);
    return true;
  }
  if (int ci = ws.find_clone(id); ci >= 0) {
    for (int i : std::vector<int>(ws.clones[ci].instances)) visit(i, visit);
    return true;
  }
  return false;
}

}  // namespace

void apply_tickets(WorkingSet& ws) {
  std::map<std::string, const TicketState*> states;
  for (const auto& s : ws.cib->ticket_states) states.emplace(s.id, &s);
  for (const TicketConstraint& c : ws.cib->tickets) {
    if (c.ticket.empty()) {
      ws.warnings.push_back("ignoring rsc_ticket '" + c.id + "' without a ticket");
      continue;
    }
    // A ticket the status does not mention has never been granted.
    auto it = states.find(c.ticket);
    auto depend = [&](const std::string& id, const std::string& constraint_id, const std::string& role) {
      TicketDependency t;
      t.id = constraint_id;
      t.ticket = c.ticket;
      if (it != states.end()) {
        t.granted = it->second->granted;
        t.standby = it->second->standby;
      }
      t.promoted_only = same_nocase(role, "Promoted") || same_nocase(role, "Master");
      t.role_unknown = role.empty() || same_nocase(role, "Started");
      t.loss = parse_loss_policy(ws, c.loss_policy, t.promoted_only, c.ticket);
      if (t.granted && !t.standby) return true;
      return for_each_primitive(ws, id, t);
    };
    if (!c.sets.empty()) {
      for (const ResourceSet& set : c.sets) {
        auto role = set.attrs.find("role");
        for (const std::string& id : set.resources)
          if (!depend(id, set.id, role == set.attrs.end() ? std::string() : role->second)) {
            ws.warnings.push_back("ignoring rsc_ticket '" + c.id + "': no resource '" + id + "'");
            break;  // unpack_rsc_ticket_set stops at the first unknown resource
          }
      }
    } else if (c.rsc.empty()) {
      ws.warnings.push_back("ignoring rsc_ticket '" + c.id + "' without a resource");
    } else if (!depend(c.rsc, c.id, c.rsc_role)) {
      ws.warnings.push_back("ignoring rsc_ticket '" + c.id + "': no resource '" + c.rsc + "'");
    }
  }
}

}  // namespace hactl::core::sched
