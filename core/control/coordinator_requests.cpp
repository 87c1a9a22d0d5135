// The coordinator's requests (cleanup, state), fencing outcomes and leaving nodes.
#include <algorithm>

#include "core/control/coordinator.h"
#include "core/scheduler/cluster_status.h"
#include "core/status_edits.h"

namespace hactl::core::control {

namespace {
constexpr size_t kFenceHistory = 20;
}

void Coordinator::on_cleanup(Ctx& c, const CleanupRequested& req) {
  const CibDocument& current = c.cib();
  Cib cib = read_cib(current);
  std::vector<std::string> targets;
  if (const Group* g = cib.find_group(req.rsc)) {
    targets = g->members;
  } else if (!req.rsc.empty()) {
    // An orphan (deleted, history left: `resource delete --force`) is cleaned as crm_resource cleans one.
    bool orphan = false;
    for (const auto& ns : cib.node_states)
      for (const auto& lr : ns.resources) orphan = orphan || lr.id == req.rsc;
    if (!cib.find_primitive(req.rsc) && !orphan) {
      c.out.reply = Reply{ExitCode::no_such, "Resource '" + req.rsc + "' not found"};
      return;
    }
    targets.push_back(req.rsc);
  }
  if (targets.empty()) targets.push_back("");
  // cleanup forgets the history of what failed; refresh (and delete --force) all of it.
  auto doc = current.clone();
  int n = 0;
  for (const auto& t : targets) n += clear_failures(doc, t, req.node, true, !req.refresh);
  c.info("cleanup of " + (req.rsc.empty() ? std::string("all resources") : req.rsc) +
         (req.node.empty() ? "" : " on " + req.node) + ": " + std::to_string(n) + " entries cleared, re-probing");
  if (n > 0)
    c.edit({[targets, node = req.node, refresh = req.refresh](CibDocument& d) {
              for (const auto& t : targets) clear_failures(d, t, node, true, !refresh);
            },
            "cleanup"});
  kick(c, 0);
  c.out.reply = Reply{ExitCode::ok, "", n};
}

void Coordinator::on_fence_finished(Ctx& c, const FenceFinished& f) {
  if (!f.cancelled) {
    fence_history_.push_back({f.target, f.ok, c.in.now.wall_s, f.reason});
    if (fence_history_.size() > kFenceHistory) fence_history_.erase(fence_history_.begin());
    if (f.ok) {
      c.log(LogLevel::info, "fencing", "node " + f.target + " fenced");
      if (const ClusterNode* n = c.in.conf->find(f.target)) {
        // Cleanly down: what ran there is stopped, its transient attributes gone
        // (as Pacemaker's controller erases them after a fencing).
        c.edit({[id = std::to_string(n->id), target = f.target](CibDocument& doc) {
                  record_node_fenced(doc, id, target);
                },
                "fenced " + f.target});
      }
    } else {
      c.log(LogLevel::error, "fencing",
            "fencing of " + f.target + " FAILED: " + f.reason + "; its resources stay blocked");
    }
  }
  if (f.aid >= 0 && run_ && f.tid == tid_ && inflight_.count(f.aid)) {
    inflight_.erase(f.aid);
    run_->completed(f.aid, f.ok);
    dispatch_ready(c);
  }
  kick(c, 0);
}

void Coordinator::release_leavers(Ctx& c) {
  if (leaving_.empty() || !acting(c)) return;
  const CibDocument& doc = c.cib();
  Cib cib = read_cib(doc);
  ClusterStatus cs = cluster_status(cib, c.in.now.wall_s);
  for (auto it = leaving_.begin(); it != leaving_.end();) {
    const std::string name = c.name_of(*it);
    if (!has_shutdown_mark(doc, name)) {
      ++it;
      continue;
    }
    const NodeStatus* status = cs.find_node(name);
    const uint32_t id = *it;
    const bool busy = std::any_of(inflight_.begin(), inflight_.end(), [&](auto& e) { return e.second.node == id; }) ||
                      (status && status->running_resources);
    if (busy) {
      ++it;
      continue;
    }
    c.info("node " + name + " runs no resources any more: it may exit");
    c.out.leave_done.push_back(id);
    it = leaving_.erase(it);
  }
}

CoordinatorState Coordinator::state() const {
  CoordinatorState s;
  const bool busy = (run_ && run_->in_flight() > 0) || reschedule_ || due_.has_value();
  s.acting = term_;
  s.settled = term_ && settled_ && !run_ && !busy;
  s.transition = tid_;
  s.in_flight = run_ ? run_->in_flight() : 0;
  s.last_abort = last_abort_;
  s.blocked = blocked_;
  s.cib_version = scheduled_version_;
  s.schedules = schedules_;
  s.fencing = fence_history_;
  return s;
}

}  // namespace hactl::core::control
