// The coordinator's events: views, terms, CIB changes, hellos, leaving nodes, ticks.
#include "core/control/coordinator.h"

#include <algorithm>

#include "core/status_edits.h"

namespace hactl::core::control {

namespace {

constexpr int64_t kDebounceMs = 20;   // coalesce bursts of results and view changes
constexpr int64_t kRecheckMs = 1000;  // action deadlines, failure-timeout expiry
// An unchanged CIB whose outcome cannot change with time is scheduled again
// only this often, as a safety net (Pacemaker's cluster-recheck-interval).
constexpr int64_t kQuietRecheckMs = 60000;

bool contains(const std::vector<uint32_t>& v, uint32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

bool View::has(uint32_t id) const { return contains(up, id); }

bool ActionReport::ok() const {
  return status == ExecStatus::done && (rc == OcfRc::ok || (is_probe() && rc == OcfRc::not_running));
}

std::string Coordinator::Ctx::name_of(uint32_t id) const {
  if (in.conf)
    if (const ClusterNode* n = in.conf->find_id(id)) return n->name;
  return std::to_string(id);
}

const CibDocument& Coordinator::Ctx::cib() {
  if (out.edits.empty()) return in.cib();
  if (!edited) edited = in.cib().clone();
  for (; applied < out.edits.size(); ++applied) out.edits[applied].apply(*edited);
  return *edited;
}

Effects Coordinator::on(const Event& event, const Inputs& in) {
  Effects out;
  Ctx c{in, out};
  if (next_recheck_ == 0) next_recheck_ = in.now.mono_ms + kRecheckMs;
  std::visit(Overloaded{
                 [&](const ViewChanged&) { on_view(c); },
                 [&](const CibChanged& e) { on_cib(c, e.adopted); },
                 [&](const ResultReceived& e) { on_result(c, e.report); },
                 [&](const HelloReceived& e) { on_hello(c, e); },
                 [&](const LeaveReceived& e) { on_leave(c, e.from); },
                 [&](const StopAllRequested&) { on_stop_all(c); },
                 [&](const Tick&) { on_tick(c); },
                 [&](const FenceFinished& e) { on_fence_finished(c, e); },
                 [&](const CleanupRequested& e) { on_cleanup(c, e); },
             },
             event);
  return out;
}

int64_t Coordinator::next_wakeup() const {
  int64_t at = next_recheck_;
  if (due_) at = std::min(at, *due_);
  if (grace_until_ && !term_) at = std::min(at, *grace_until_);
  return at;
}

void Coordinator::on_tick(Ctx& c) {
  const int64_t now = c.in.now.mono_ms;
  if (grace_until_ && !term_ && now >= *grace_until_) on_view(c);
  if (now >= next_recheck_) {
    next_recheck_ = now + kRecheckMs;
    check_deadlines(c);
    // Failure-timeout expiry and date rules change the outcome with time alone.
    if (term_ && (time_matters_ || now - last_schedule_ms_ >= kQuietRecheckMs)) kick(c, 0);
  }
  if (due_ && now >= *due_) {
    due_.reset();
    run_schedule(c);
  }
}

void Coordinator::kick(Ctx& c, int64_t delay_ms) {
  if (!acting(c) || due_) return;  // the first kick of a burst sets the time
  due_ = c.in.now.mono_ms + delay_ms;
}

void Coordinator::on_view(Ctx& c) {
  if (c.in.stopping) return;
  if (!c.in.view.is_dc()) {
    if (term_) c.info("no longer the DC: placement stops here");
    term_ = false;
    grace_until_.reset();
    due_.reset();
    c.out.drop_pending_edits = true;  // not ours to write any more; the new DC re-probes
    run_.reset();
    inflight_.clear();
    return;
  }
  if (!term_) {
    // A booting node waits out the grace: the others may run resources it
    // cannot see yet, and it would start them a second time.
    const int64_t end = options_.started_ms + options_.grace_ms;
    if (c.in.now.mono_ms < end) {
      grace_until_ = end;
      return;
    }
    grace_until_.reset();
    begin_term(c);
    return;
  }
  const auto& up = c.in.view.up;
  for (auto it = inflight_.begin(); it != inflight_.end();) {
    if (!contains(up, it->second.node)) {
      c.log(LogLevel::warn, "controller",
            "node " + c.name_of(it->second.node) + " left with action " +
                (run_ ? run_->transition().actions[it->first].key() : std::to_string(it->first)) + " in flight");
      if (run_) run_->lost(it->first);
      it = inflight_.erase(it);
    } else {
      ++it;
    }
  }
  for (uint32_t id : prev_up_)
    if (!contains(up, id)) {
      lost_in_term_.insert(id);
      commanded_.erase(id);
      sessions_.erase(id);
      leaving_.erase(id);
    }
  if (run_ && up != prev_up_) run_->abort(AbortReason::membership_changed, "membership changed");
  kick(c, kDebounceMs);
}

void Coordinator::begin_term(Ctx& c) {
  term_ = true;
  term_id_ = c.in.now.mono_ms;
  tid_ = 0;
  run_.reset();
  inflight_.clear();
  next_call_.clear();
  commanded_.clear();
  // sessions_ and dcs_followed_by_ are kept: the hellos that came before the
  // term (members say hello when views merge, before the grace ends) are the
  // baseline a later restart is told from. Cleared, a node whose machine
  // restarted faster than the failure timeout was never seen lost nor
  // restarted, and its dead resources stayed Started in the status.
  lost_in_term_.clear();
  prev_up_ = c.in.view.up;
  std::vector<std::string> names, stale_marks;
  for (uint32_t id : prev_up_) {
    names.push_back(c.name_of(id));
    // Shutdown marks are left by earlier runs (the whole cluster stopped, or
    // the node restarted), except those of nodes that said `leave` to this
    // node already (during its grace): they are leaving now.
    if (!leaving_.count(id)) stale_marks.push_back(c.name_of(id));
  }
  c.info("acting as DC: re-probing every member so that running resources are adopted");
  c.edit({[names, stale_marks](CibDocument& doc) {
            for (const auto& n : names) wipe_node_history(doc, n);
            for (const auto& n : stale_marks) clear_shutdown_mark(doc, n);
          },
          "new DC"});
  kick(c, 0);
}

// The history of a node is no longer trusted: wipe it, so it is probed again.
void Coordinator::forget_node(Ctx& c, uint32_t id, const std::string& why) {
  commanded_.erase(id);
  c.edit({[name = c.name_of(id)](CibDocument& doc) { wipe_node_history(doc, name); }, why});
}

void Coordinator::on_cib(Ctx& c, bool adopted) {
  if (!c.in.view.is_dc()) return;
  if (adopted && term_) {
    // After a partition heals, the DC takes the CIB with the highest version,
    // possibly the other side's: its status section is that side's view (e.g.
    // a resource stopped there, never started here), not what runs now on the
    // nodes of this side. Re-probe every member, as a new DC does; otherwise
    // a resource still running here is unknown and started a second time.
    c.info("the CIB was replaced by a member's copy: re-probing every member");
    next_call_.clear();  // its histories may number higher
    for (uint32_t id : c.in.view.up) forget_node(c, id, "CIB adopted from a member");
    if (run_) run_->abort(AbortReason::cib_replaced, "CIB replaced by a member's copy");
    kick(c, kDebounceMs);
  }
  const auto v = c.cib().version();
  std::pair<long, long> epoch{v.admin_epoch, v.epoch};
  if (epoch != config_epoch_) {
    if (config_epoch_.first >= 0 && run_ && !run_->idle())
      run_->abort(AbortReason::configuration_changed, "configuration changed");
    config_epoch_ = epoch;
    kick(c, kDebounceMs);
  }
}

void Coordinator::on_hello(Ctx& c, const HelloReceived& h) {
  auto it = sessions_.find(h.from);
  // A first hello from a node this DC already sent actions to: they went to
  // an executor it never heard from (that node's earlier hello was lost with
  // a broken connection), which may have restarted since.
  const bool unknown = it == sessions_.end() && commanded_.count(h.from);
  const bool restarted = unknown || (it != sessions_.end() && it->second != h.session);
  sessions_[h.from] = h.session;
  auto f = dcs_followed_by_.find(h.from);
  const bool diverged = f != dcs_followed_by_.end() && f->second != h.dcs_followed;
  dcs_followed_by_[h.from] = h.dcs_followed;
  const std::string name = c.name_of(h.from);
  if (acting(c) && !leaving_.count(h.from) && has_shutdown_mark(c.cib(), name)) {
    // A shutdown mark from an earlier run of that node (a leaving node says
    // `leave` again after its hello, which sets the mark anew).
    c.edit({[name](CibDocument& doc) { clear_shutdown_mark(doc, name); }, "stale shutdown mark of " + name});
    kick(c, kDebounceMs);
  }
  if ((!restarted && !diverged) || !acting(c)) return;
  // Its executor restarted (the monitors are gone), or it followed another DC
  // meanwhile (which may have started resources there): its history is stale.
  c.info("node " + name + (restarted ? " restarted its executor" : " followed another DC meanwhile") +
         ": probing its resources");
  forget_node(c, h.from, "executor restart");
  for (auto& [aid, where] : inflight_)
    if (where.node == h.from && run_) run_->lost(aid);
  std::erase_if(inflight_, [&](auto& e) { return e.second.node == h.from; });
  if (run_) run_->abort(AbortReason::history_stale, "history of " + name + " is stale");
  kick(c, kDebounceMs);
}

void Coordinator::on_leave(Ctx& c, uint32_t from) {
  if (!c.in.view.is_dc()) return;
  const std::string name = c.name_of(from);
  if (leaving_.insert(from).second) c.info("node " + name + " is shutting down: moving its resources away");
  if (!has_shutdown_mark(c.cib(), name))
    c.edit({[id = std::to_string(from), name, when = c.in.now.wall_s](CibDocument& doc) {
              if (!has_shutdown_mark(doc, name)) set_shutdown_mark(doc, id, name, when);
            },
            "shutdown of " + name});
  if (run_) run_->abort(AbortReason::node_leaving, "node " + name + " is shutting down");
  kick(c, 0);
}

// `cluster stop --all`: every member is marked as shutting down at once, so
// nothing migrates to a node that is about to leave too; the resources stop in
// reverse order, and each agent exits when the DC confirms its node runs nothing.
void Coordinator::on_stop_all(Ctx& c) {
  if (!c.in.view.is_dc()) return;
  c.info("stopping the whole cluster");
  for (uint32_t id : c.in.view.up) on_leave(c, id);
  for (uint32_t id : c.in.view.up) c.out.please_leave.push_back(id);
}

}  // namespace hactl::core::control
