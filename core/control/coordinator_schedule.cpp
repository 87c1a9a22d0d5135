// The coordinator's placement loop: schedule, dispatch in graph order, record results.
#include <algorithm>

#include "core/cib_write_stamp.h"
#include "core/control/coordinator.h"
#include "core/control/execute_request.h"
#include "core/control/time_dependence.h"
#include "core/status_edits.h"
#include "core/version.h"

namespace hactl::core::control {

namespace {

constexpr int64_t kDebounceMs = 20;
constexpr int64_t kFailureBackoffMs = 1000;  // after a failed action: don't spin on a broken agent
constexpr int64_t kStatusRetryMs = 1000;
constexpr int64_t kDeadlineMarginMs = 10000;
constexpr int64_t kFenceDeadlineMs = 120000;  // until the driver gives the fence's own bound

bool contains(const std::vector<uint32_t>& v, uint32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string action_text(const Action& a) { return a.key() + (a.node.empty() ? "" : " on " + a.node); }

}  // namespace

void Coordinator::run_schedule(Ctx& c) {
  if (!acting(c)) return;
  if (run_ && !run_->idle()) {
    reschedule_ = true;
    return;
  }
  reschedule_ = false;
  // With the edits emitted earlier in this same event (a new term's history
  // wipe, a re-probe): else the first transition of a term trusts the history
  // it just wiped.
  const CibDocument& current = c.cib();
  if (c.in.status_failing && c.in.status_failing()) {
    // What happened is not all in the status: a decision on it could repeat
    // or undo an action. The driver retries saving; scheduling resumes after it.
    kick(c, kStatusRetryMs);
    return;
  }
  // Edits are applied here to a copy (what the scheduler reads) and emitted
  // for the driver to apply to the real CIB in the same order.
  auto doc = current.clone();
  const auto& view = c.in.view;
  if (apply_membership(doc, *c.in.conf, view.up, view.quorate, view.self))
    c.edit({[conf = *c.in.conf, up = view.up, quorate = view.quorate, self = view.self](CibDocument& d) {
              apply_membership(d, conf, up, quorate, self);
            },
            "membership"});
  // A new DC records its version, as Pacemaker's controller does on election:
  // a configuration change (crm_config), stamped as the controller's.
  if (set_dc_version(doc, kDcVersion)) {
    const std::string self = c.name_of(view.self);
    const int64_t when = c.in.now.wall_s;
    auto stamp = [self, when](CibDocument& d) {
      if (!set_dc_version(d, kDcVersion)) return;
      d.bump_epoch();
      stamp_cib_write(d, {self, "crmd", "hacluster"}, when);
    };
    doc.bump_epoch();
    stamp_cib_write(doc, {self, "crmd", "hacluster"}, when);
    c.edit({stamp, "DC version"});
  }
  for (uint32_t id : view.up)
    if (!contains(prev_up_, id) || lost_in_term_.erase(id)) {
      // (Re)joined, even for an instant between two schedules: whatever its
      // executor knew is gone or unknown: probe it.
      wipe_node_history(doc, c.name_of(id));
      forget_node(c, id, "membership");
      c.info("node " + c.name_of(id) + " joined: probing its resources");
    }
  prev_up_ = view.up;
  Cib cib = read_cib(doc);
  time_matters_ = depends_on_time(cib);
  last_schedule_ms_ = c.in.now.mono_ms;
  ++schedules_;

  ScheduleOptions options;
  options.now = c.in.now.wall_s;
  options.allow_migration = false;  // not executed live yet: a move is a stop and a start
  Transition t = schedule(cib, options);
  scheduled_version_ = cib.version.to_string();
  blocked_.clear();
  for (const auto& s : t.summary)
    if (s.blocked)
      blocked_.push_back(s.verb + " " + s.rsc + (s.to.empty() ? "" : " on " + s.to) +
                         (s.reason.empty() ? "" : " (" + s.reason + ")"));
  size_t executable = 0;
  for (const auto& a : t.actions)
    if (a.runnable && !a.optional && a.kind != ActionKind::pseudo) ++executable;
  if (executable == 0) {
    if (!settled_)
      c.info("cluster settled (CIB " + scheduled_version_ + ")" +
             (blocked_.empty() ? std::string() : ", blocked: " + blocked_.front()));
    settled_ = true;
    run_.reset();
    release_leavers(c);
    return;
  }
  settled_ = false;
  ++tid_;
  const std::string tname = "transition " + std::to_string(tid_) + ": ";
  for (const auto& s : t.summary)
    c.log(LogLevel::info, "scheduler",
          tname + s.verb + " " + s.rsc + (s.from.empty() ? "" : " " + s.from) + (s.to.empty() ? "" : " -> " + s.to) +
              (s.reason.empty() ? "" : " (" + s.reason + ")") + (s.blocked ? " BLOCKED" : ""));
  c.log(LogLevel::info, "scheduler",
        tname + std::to_string(executable) + " actions, " + std::to_string(t.edges.size()) + " ordering edges");
  run_cib_ = std::move(cib);
  run_.emplace(std::move(t));
  dispatch_ready(c);
}

void Coordinator::dispatch_ready(Ctx& c) {
  if (!run_) return;
  // Dispatching can complete actions at once (a node that is not up), which
  // makes more ready: loop until nothing new is ready.
  for (;;) {
    auto ready = run_->take_ready();
    if (ready.empty()) break;
    for (const Action* a : ready) dispatch(c, *a);
  }
  if (!run_->idle()) return;
  last_abort_ = run_->aborted() ? run_->abort_detail() : std::string();
  c.info("transition " + std::to_string(tid_) + (run_->aborted() ? " aborted: " + last_abort_ : " complete"));
  const bool failed = run_->aborted() && run_->abort_reason() == AbortReason::action_failed;
  run_.reset();
  release_leavers(c);
  kick(c, failed ? kFailureBackoffMs : 0);
}

void Coordinator::dispatch(Ctx& c, const Action& a) {
  const int aid = a.id;
  const int64_t now = c.in.now.mono_ms;
  if (a.kind == ActionKind::fence) {
    c.log(LogLevel::info, "controller", "fencing " + a.node + " (" + a.reason + ")");
    inflight_[aid] = {c.in.view.self, now + kFenceDeadlineMs};
    c.out.fences.push_back({a.node, aid, tid_});
    return;
  }
  const ClusterNode* node = c.in.conf->find(a.node);
  auto request = run_cib_ ? build_execute_request(*run_cib_, a) : Result<ExecuteRequest>(Status::not_found("no CIB"));
  if (!node || !c.in.view.has(node->id) || !request) {
    c.log(LogLevel::warn, "controller",
          "cannot run " + action_text(a) + ": " + (request ? "node is not up" : request.status().message()));
    inflight_[aid] = {0, 0};
    run_->completed(aid, false);
    inflight_.erase(aid);
    return;
  }
  ExecuteRequest r = std::move(*request);
  r.route = {c.in.view.self, term_id_, tid_, aid};
  inflight_[aid] = {node->id, now + r.timeout_ms + kDeadlineMarginMs};
  c.info("transition " + std::to_string(tid_) + ": initiating " + action_text(a) +
         (a.reason.empty() ? "" : " (" + a.reason + ")"));
  commanded_.insert(node->id);
  c.out.executes.push_back({node->id, std::move(r)});
}

void Coordinator::on_result(Ctx& c, const ActionReport& m) {
  if (!c.in.view.is_dc()) return;
  const std::string node = c.name_of(m.from);
  OpResult r;
  r.node = node;
  r.rsc = m.rsc;
  r.cls = m.standard;
  r.provider = m.provider;
  r.type = m.type;
  r.operation = m.action;
  r.interval_ms = m.interval_ms;
  // Without a completed execution the rc means nothing: an error, unless it says more.
  const bool done = m.status == ExecStatus::done;
  r.rc = static_cast<int>(done ? m.rc
                               : (m.rc == OcfRc::ok || m.rc == OcfRc::unknown ? OcfRc::err_generic : m.rc));
  r.expected_rc = static_cast<int>(m.is_probe() ? OcfRc::not_running : OcfRc::ok);
  r.when = c.in.now.wall_s;
  // Call ids keep rising across executor restarts; counted here, not found by
  // scanning the node's whole history for every result.
  auto next = next_call_.find(node);
  if (next == next_call_.end()) next = next_call_.emplace(node, next_call_id(c.cib(), node)).first;
  r.call_id = next->second++;
  const std::string key = m.key();
  c.info("result " + key + " on " + node + ": rc " + std::to_string(r.rc) +
         (done ? "" : " (exec status " + std::to_string(static_cast<int>(m.status)) + ")") +
         (m.reason.empty() ? "" : " '" + m.reason + "'"));
  c.edit({[r, id = std::to_string(m.from), reason = m.reason](CibDocument& doc) { record_result(doc, id, r, reason); },
          "result of " + key});

  const int aid = m.route.aid;
  const bool mine = run_ && m.route.dc == c.in.view.self && m.route.term == term_id_ && m.route.tid == tid_ &&
                    inflight_.count(aid) && run_->is_in_flight(aid) && run_->transition().actions[aid].rsc == m.rsc;
  if (mine) {
    inflight_.erase(aid);
    run_->completed(aid, m.ok());
    if (m.ok() && m.is_probe() && m.rc == OcfRc::ok)
      run_->abort(AbortReason::found_active, m.rsc + " found active on " + node);
    dispatch_ready(c);
    return;
  }
  if (!m.ok()) {
    // A recurring monitor noticed a failure: recover now, not after the graph.
    if (run_) run_->abort(AbortReason::monitor_failed, key + " failed on " + node);
    kick(c, kDebounceMs);
  }
}

void Coordinator::fence_bound(int aid, int64_t bound_ms, int64_t now_ms) {
  if (auto it = inflight_.find(aid); it != inflight_.end()) it->second.deadline_ms = now_ms + bound_ms + kDeadlineMarginMs;
}

void Coordinator::check_deadlines(Ctx& c) {
  if (!run_) return;
  std::vector<int> expired;
  for (auto& [aid, where] : inflight_)
    if (where.deadline_ms > 0 && where.deadline_ms < c.in.now.mono_ms) expired.push_back(aid);
  for (int aid : expired) {
    if (!run_ || !inflight_.count(aid)) {
      inflight_.erase(aid);
      continue;
    }
    const Action& a = run_->transition().actions[aid];
    c.log(LogLevel::warn, "controller", "no result for " + action_text(a) + " in time: counted as failed");
    auto request = run_cib_ ? build_execute_request(*run_cib_, a) : Result<ExecuteRequest>(Status::not_found("no CIB"));
    if (a.kind == ActionKind::fence || !request) {
      inflight_.erase(aid);
      run_->completed(aid, false);
      continue;
    }
    // Recorded as timed out, as Pacemaker's controller records an action
    // whose result never came: the action may have run (a start whose answer
    // was lost), so the scheduler must stop it there before starting it
    // elsewhere; counted as failed only, it looked never started.
    ActionReport m;
    m.from = inflight_[aid].node;
    m.rsc = a.rsc;
    m.action = a.task;
    m.standard = request->standard;
    m.provider = request->provider;
    m.type = request->type;
    m.interval_ms = a.interval_ms;
    m.status = ExecStatus::timeout;
    m.reason = "no result in time";
    m.route = {c.in.view.self, term_id_, tid_, aid};
    on_result(c, m);
    inflight_.erase(aid);
  }
  if (!expired.empty()) dispatch_ready(c);
}

}  // namespace hactl::core::control
