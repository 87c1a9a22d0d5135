// The DC's placement loop: schedule, dispatch in graph order, record, repeat.
#include "cmd/daemon/controller.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "agents/process_runner.h"
#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/controller_status.h"
#include "cmd/daemon/log.h"
#include "core/cib_write_stamp.h"
#include "core/scheduler/cluster_status.h"
#include "core/version.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;

namespace {

constexpr int kDebounceMs = 20;        // coalesce bursts of results and view changes
constexpr int kStatusBatchMs = 10;     // results recorded as one CIB version (status_batch.h)
constexpr int kRecheckMs = 1000;       // failure-timeout expiry, action deadlines
constexpr int kFailureBackoffMs = 1000;  // after a failed action: don't spin on a broken agent
constexpr int64_t kDeadlineMarginMs = 10000;

int64_t now_s() { return static_cast<int64_t>(std::time(nullptr)); }
int64_t mono() { return agents::monotonic_ms(); }

bool contains(const std::vector<uint32_t>& v, uint32_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string action_text(const core::Action& a) {
  return a.key() + (a.node.empty() ? "" : " on " + a.node);
}

int64_t op_timeout(const core::Cib& cib, const core::Primitive& p, const std::string& task, int64_t interval) {
  for (const auto& op : p.ops)
    if (op.name == task && op.interval_ms == interval && op.timeout_ms) return *op.timeout_ms;
  if (task == "monitor")  // probes borrow the monitor's timeout, as Pacemaker does
    for (const auto& op : p.ops)
      if (op.name == "monitor" && op.timeout_ms) return *op.timeout_ms;
  if (auto it = cib.op_defaults.find("timeout"); it != cib.op_defaults.end()) {
    std::string v = it->second;
    int64_t n = std::atoll(v.c_str());
    if (n > 0) return v.find("ms") != std::string::npos ? n : v.find("min") != std::string::npos ? n * 60000 : n * 1000;
  }
  return 20000;
}

}  // namespace

Controller::Controller(asio::io_context& io, NodeAgent& agent, std::string root)
    : io_(io), agent_(agent), root_(std::move(root)), debounce_(io), recheck_(io), grace_(io), shutdown_timer_(io),
      status_batch_(io, std::chrono::milliseconds(kStatusBatchMs), [this]() -> const core::CibDocument& { return agent_.cib(); },
                    [this](core::CibDocument doc, const std::string& why) { return commit(std::move(doc), why); }) {
  session_ = std::to_string(::getpid()) + "-" + std::to_string(mono());
  started_ms_ = mono();
}

Controller::~Controller() = default;

void Controller::start() {
  agent_.add_listener({[this] { on_view(); }, [this] { on_cib(); },
                       [this] {
                         debounce_.cancel();
                         recheck_.cancel();
                         grace_.cancel();
                         shutdown_timer_.cancel();
                         status_batch_.drop();
                         if (driver_) driver_->stop();
                       }});
  agent_.add_bulk_handler([this](uint32_t from, const std::vector<uint8_t>& p) { return on_bulk(from, p); });
  agent_.add_ipc_handler([this](const json& req, Respond respond) { return on_ipc(req, std::move(respond)); });
  auto recheck = std::make_shared<std::function<void()>>();
  *recheck = [this, recheck] {
    recheck_.expires_after(std::chrono::milliseconds(kRecheckMs));
    recheck_.async_wait([this, recheck](std::error_code ec) {
      if (ec || agent_.stopping()) return;
      check_deadlines();
      if (term_) kick(0, "");
      (*recheck)();
    });
  };
  (*recheck)();
}

bool Controller::acting_dc() const { return term_ && agent_.is_dc() && !agent_.stopping(); }

void Controller::on_view() {
  if (agent_.stopping()) return;
  if (!driver_ && !agent_.self_name().empty())
    driver_ = std::make_unique<ExecutorDriver>(io_, root_, agent_.self_name(),
                                               [this](const agents::ActionResult& r, const json& route) { on_local_result(r, route); });
  if (agent_.dc() != followed_dc_) {
    followed_dc_ = agent_.dc();
    ++dcs_followed_;
  }
  send_hello();
  if (shutting_down_) send_to_dc(static_cast<uint8_t>(CtlMsg::leave), {{"session", session_}});
  if (!agent_.is_dc()) {
    if (term_) log_info("controller", "no longer the DC: placement stops here");
    term_ = false;
    status_batch_.drop();  // not ours to write any more; the new DC re-probes
    run_.reset();
    inflight_.clear();
    fence_waiters_.clear();
    return;
  }
  if (!term_) {
    // A booting node waits out the grace: the others may run resources it
    // cannot see yet, and it would start them a second time.
    int64_t grace = 2 * agent_.conf().failure_timeout_ms;
    int64_t left = started_ms_ + grace - mono();
    if (left > 0) {
      grace_.expires_after(std::chrono::milliseconds(left));
      grace_.async_wait([this](std::error_code ec) {
        if (!ec) on_view();
      });
      return;
    }
    begin_term();
    return;
  }
  auto up = agent_.up_members();
  for (auto it = inflight_.begin(); it != inflight_.end();) {
    if (!contains(up, it->second.first)) {
      log_warn("controller", "node " + agent_.name_of(it->second.first) + " left with action " +
                                 (run_ ? action_text(run_->transition().actions[it->first]) : std::to_string(it->first)) +
                                 " in flight");
      if (run_) run_->lost(it->first);
      it = inflight_.erase(it);
    } else {
      ++it;
    }
  }
  for (uint32_t id : prev_up_)
    if (!contains(up, id)) {
      lost_in_term_.insert(id);
      monitors_.erase(id);
      sessions_.erase(id);
      leaving_.erase(id);
    }
  if (run_ && up != prev_up_) run_->abort("membership changed");
  kick(kDebounceMs, "view changed");
}

void Controller::begin_term() {
  term_ = true;
  term_id_ = mono();
  tid_ = 0;
  run_.reset();
  inflight_.clear();
  monitors_.clear();
  sessions_.clear();
  lost_in_term_.clear();
  dcs_followed_by_.clear();
  auto doc = cib().clone();
  prev_up_ = agent_.up_members();
  for (uint32_t id : prev_up_) wipe_node_history(doc, agent_.name_of(id));
  log_info("controller", "acting as DC: re-probing every member so that running resources are adopted");
  commit(std::move(doc), "new DC");
  kick(0, "new DC");
}

void Controller::on_cib() {
  const uint64_t adoptions = agent_.adoptions();
  const bool adopted = adoptions != adoptions_seen_;
  adoptions_seen_ = adoptions;
  if (!agent_.is_dc()) return;
  if (adopted && term_) {
    // After a partition heals, the DC takes the CIB with the highest version,
    // possibly the other side's: its status section is that side's view (e.g.
    // a resource stopped there, never started here), not what runs now on the
    // nodes of this side. Re-probe every member, as a new DC does; otherwise
    // a resource still running here is unknown and started a second time.
    log_info("controller", "the CIB was replaced by a member's copy: re-probing every member");
    auto doc = cib().clone();
    for (uint32_t id : agent_.up_members()) {
      wipe_node_history(doc, agent_.name_of(id));
      monitors_.erase(id);
    }
    if (run_) run_->abort("CIB replaced by a member's copy");
    commit(std::move(doc), "CIB adopted from a member");
    kick(kDebounceMs, "CIB adopted");
  }
  const auto v = cib().version();
  std::pair<long, long> epoch{v.admin_epoch, v.epoch};
  if (epoch != config_epoch_) {
    if (config_epoch_.first >= 0 && run_ && !run_->idle()) run_->abort("configuration changed");
    config_epoch_ = epoch;
    kick(kDebounceMs, "configuration changed");
  }
}

void Controller::kick(int delay_ms, const std::string& why) {
  if (!acting_dc()) return;
  if (debounce_armed_) return;
  debounce_armed_ = true;
  debounce_.expires_after(std::chrono::milliseconds(delay_ms));
  debounce_.async_wait([this](std::error_code ec) {
    debounce_armed_ = false;
    if (!ec) run_schedule();
  });
}

const core::CibDocument& Controller::cib() {
  status_batch_.flush();
  return agent_.cib();
}

bool Controller::commit(core::CibDocument doc, const std::string& why) {
  doc.bump_num_updates();
  core::Status s = agent_.commit_local(std::move(doc));
  if (s) {
    if (status_batch_.failing()) log_info("controller", "status saved again (" + why + ")");
    return true;
  }
  // Once, then every 30th retry: the batch retries each second.
  if (status_batch_.failures() % 30 == 0)
    log_error("controller", "status update (" + why + ") not committed, kept and retried: " + s.message());
  return false;
}

void Controller::run_schedule() {
  if (!acting_dc()) return;
  if (run_ && !run_->idle()) {
    reschedule_ = true;
    return;
  }
  reschedule_ = false;
  const core::CibDocument& current = cib();  // flushes the pending status
  if (status_batch_.failing()) {
    // What happened is not all in the status: a decision on it could repeat
    // or undo an action. The batch retries; scheduling resumes after it.
    kick(1000, "status not saved yet");
    return;
  }
  auto doc = current.clone();
  auto up = agent_.up_members();
  bool changed = apply_membership(doc, agent_.conf(), up, agent_.quorum().quorate, agent_.self_id());
  // A new DC records its version, as Pacemaker's controller does on election:
  // a configuration change (crm_config), stamped as the controller's.
  if (core::set_dc_version(doc, core::kDcVersion)) {
    doc.bump_epoch();
    core::stamp_cib_write(doc, {agent_.self_name(), "crmd", "hacluster"}, now_s());
    changed = true;
  }
  for (uint32_t id : up)
    if (!contains(prev_up_, id) || lost_in_term_.erase(id)) {
      // (Re)joined, even for an instant between two schedules: whatever its
      // executor knew is gone or unknown: probe it.
      wipe_node_history(doc, agent_.name_of(id));
      monitors_.erase(id);
      changed = true;
      log_info("controller", "node " + agent_.name_of(id) + " joined: probing its resources");
    }
  prev_up_ = up;
  core::Cib cib = core::read_cib(doc);
  if (changed) commit(std::move(doc), "membership");

  core::Transition t = core::schedule(cib, {now_s(), false});
  scheduled_version_ = cib.version.to_string();
  // Resources kept in place (adopted after probes, or a DC change) need their
  // recurring monitors on the node that runs them; the graph only has monitors
  // after a start.
  std::set<std::string> touched;
  for (const auto& a : t.actions)
    if (a.kind == core::ActionKind::start || a.kind == core::ActionKind::stop) touched.insert(a.rsc);
  for (const auto& p : t.placement) {
    if (!p.managed || p.failed || !p.target || p.current.size() != 1 || p.current[0] != *p.target || touched.count(p.rsc))
      continue;
    const core::Primitive* prim = cib.find_primitive(p.rsc);
    const core::ClusterNode* node = agent_.conf().find(*p.target);
    if (!prim || !node) continue;
    for (const auto& op : prim->ops) {
      if (op.name != "monitor" || op.interval_ms <= 0 || !op.enabled || (!op.role.empty() && op.role != "Started")) continue;
      std::string key = p.rsc + "_monitor_" + std::to_string(op.interval_ms);
      if (monitors_[node->id].count(key)) continue;
      core::Action a;
      a.id = static_cast<int>(t.actions.size());
      a.kind = core::ActionKind::monitor;
      a.rsc = p.rsc;
      a.node = *p.target;
      a.task = "monitor";
      a.interval_ms = op.interval_ms;
      a.reason = "resume monitoring";
      t.actions.push_back(a);
    }
  }
  blocked_.clear();
  for (const auto& s : t.summary)
    if (s.blocked)
      blocked_.push_back(s.verb + " " + s.rsc + (s.to.empty() ? "" : " on " + s.to) + (s.reason.empty() ? "" : " (" + s.reason + ")"));
  size_t executable = 0;
  for (const auto& a : t.actions)
    if (a.runnable && !a.optional && a.kind != core::ActionKind::pseudo) ++executable;
  if (executable == 0) {
    if (!settled_) {
      log_info("controller", "cluster settled (CIB " + scheduled_version_ + ")" +
                                 (blocked_.empty() ? std::string() : ", blocked: " + blocked_.front()));
    }
    settled_ = true;
    run_.reset();
    release_leavers();
    return;
  }
  settled_ = false;
  ++tid_;
  for (const auto& s : t.summary)
    log_info("scheduler", "transition " + std::to_string(tid_) + ": " + s.verb + " " + s.rsc +
                              (s.from.empty() ? "" : " " + s.from) + (s.to.empty() ? "" : " -> " + s.to) +
                              (s.reason.empty() ? "" : " (" + s.reason + ")") + (s.blocked ? " BLOCKED" : ""));
  log_info("scheduler", "transition " + std::to_string(tid_) + ": " + std::to_string(executable) + " actions, " +
                            std::to_string(t.edges.size()) + " ordering edges");
  run_cib_ = std::move(cib);
  run_.emplace(std::move(t));
  dispatch_ready();
}

void Controller::dispatch_ready() {
  if (!run_) return;
  for (const core::Action* a : run_->take_ready()) dispatch(*a);
  if (!run_->idle()) return;
  if (run_->aborted()) {
    last_abort_ = run_->abort_reason();
    log_info("controller", "transition " + std::to_string(tid_) + " aborted: " + last_abort_);
  } else {
    log_info("controller", "transition " + std::to_string(tid_) + " complete");
  }
  bool failed = run_->aborted() && last_abort_.find("failed") != std::string::npos;
  run_.reset();
  release_leavers();
  kick(failed ? kFailureBackoffMs : 0, "transition done");
}

namespace {

// A resource removed from the configuration (an orphan the scheduler stops)
// as the node's history knows it: its agent only. Its parameters are gone
// from the CIB; the node's executor reuses those it last ran it with.
std::optional<core::Primitive> orphan_primitive(const core::Cib& cib, const core::Action& a) {
  const core::LrmResource* lr = core::find_lrm_resource(cib, a.node, a.rsc);
  if (lr == nullptr || lr->type.empty()) return std::nullopt;
  core::Primitive p;
  p.id = lr->id;
  p.cls = lr->cls;
  p.provider = lr->provider;
  p.type = lr->type;
  return p;
}

}  // namespace

json Controller::execute_message(const core::Cib& cib, const core::Action& a, std::string* error) const {
  const core::Primitive* p = cib.find_primitive(a.rsc);
  std::optional<core::Primitive> orphan;
  if (!p && (orphan = orphan_primitive(cib, a))) p = &*orphan;
  if (!p) {
    *error = "resource " + a.rsc + " is not configured";
    return {};
  }
  json params = json::object(), meta = json::object();
  for (const auto& [k, v] : p->params) params[k] = v;
  for (const auto& [k, v] : p->meta) meta[k] = v;
  std::string task = a.kind == core::ActionKind::probe ? "monitor" : a.task;
  json msg = {{"rsc", a.rsc},
              {"standard", p->cls},
              {"provider", p->provider},
              {"type", p->type},
              {"action", task},
              {"interval_ms", a.interval_ms},
              {"timeout_ms", op_timeout(cib, *p, task, a.interval_ms)},
              {"params", params},
              {"meta", meta}};
  if (orphan) msg["reuse_last_params"] = true;
  return msg;
}

void Controller::dispatch(const core::Action& a) {
  const int aid = a.id;
  if (a.kind == core::ActionKind::fence) {
    log_info("controller", "fencing " + a.node + " (" + a.reason + ")");
    inflight_[aid] = {agent_.self_id(), mono() + 120000};
    const int64_t tid = tid_;
    const int64_t bound = start_fence(a.node, [this, aid, tid](bool ok, std::string) {
      if (!run_ || tid != tid_ || !inflight_.count(aid)) return;
      inflight_.erase(aid);
      run_->completed(aid, ok);
      // Never re-enter dispatch_ready() from inside its own loop.
      asio::post(io_, [this] { dispatch_ready(); });
    });
    // Delays and every device's timeout, not a fixed two minutes.
    if (auto it = inflight_.find(aid); it != inflight_.end()) it->second.second = mono() + bound + kDeadlineMarginMs;
    return;
  }
  const core::ClusterNode* node = agent_.conf().find(a.node);
  std::string error;
  json msg = run_cib_ ? execute_message(*run_cib_, a, &error) : json();
  if (!node || !contains(agent_.up_members(), node->id) || !error.empty()) {
    log_warn("controller", "cannot run " + action_text(a) + ": " + (error.empty() ? "node is not up" : error));
    inflight_[aid] = {0, 0};
    run_->completed(aid, false);
    inflight_.erase(aid);
    return;
  }
  msg["dc"] = agent_.self_id();
  msg["term"] = term_id_;
  msg["tid"] = tid_;
  msg["aid"] = aid;
  inflight_[aid] = {node->id, mono() + msg.value("timeout_ms", int64_t{20000}) + kDeadlineMarginMs};
  if (a.kind == core::ActionKind::monitor && a.interval_ms > 0) monitors_[node->id].insert(a.rsc + "_monitor_" + std::to_string(a.interval_ms));
  if (a.kind == core::ActionKind::stop) {
    auto& mons = monitors_[node->id];
    for (auto it = mons.begin(); it != mons.end();) it = it->rfind(a.rsc + "_monitor_", 0) == 0 ? mons.erase(it) : std::next(it);
  }
  log_info("controller", "transition " + std::to_string(tid_) + ": initiating " + action_text(a) +
                             (a.reason.empty() ? "" : " (" + a.reason + ")"));
  agent_.send_bulk(node->id, encode_ctl(CtlMsg::execute, msg));
}

void Controller::on_result(uint32_t from, const json& m) {
  if (!agent_.is_dc()) return;
  if (m.value("kind", "") == "fence") {
    auto it = fence_waiters_.find(m.value("fence_id", -1));
    if (it == fence_waiters_.end()) return;
    auto done = std::move(it->second);
    fence_waiters_.erase(it);
    done(m);
    return;
  }
  const std::string node = agent_.name_of(from);
  const std::string rsc = m.value("rsc", ""), action = m.value("action", "");
  const int64_t interval = m.value("interval_ms", int64_t{0});
  const int rc = m.value("rc", 1), status = m.value("status", 4);
  const bool probe = action == "monitor" && interval == 0;
  const bool ok = status == 0 && (rc == 0 || (probe && rc == 7));
  core::OpResult r;
  r.node = node;
  r.rsc = rsc;
  r.cls = m.value("standard", "");
  r.provider = m.value("provider", "");
  r.type = m.value("type", "");
  r.operation = action;
  r.interval_ms = interval;
  r.rc = status == 0 ? rc : (rc == 0 || rc == 193 ? 1 : rc);
  r.expected_rc = probe ? 7 : 0;
  r.when = now_s();
  std::string key = rsc + "_" + action + "_" + std::to_string(interval);
  log_info("controller", "result " + key + " on " + node + ": rc " + std::to_string(r.rc) +
                             (status == 0 ? "" : " (exec status " + std::to_string(status) + ")") +
                             (m.value("reason", "").empty() ? "" : " '" + m.value("reason", "") + "'"));
  status_batch_.add([r, id = std::to_string(from), reason = m.value("reason", "")](core::CibDocument& doc) {
    record_result(doc, id, r, reason);
  }, "result of " + key);

  const int aid = m.value("aid", -1);
  bool mine = run_ && m.value("dc", 0u) == agent_.self_id() && m.value("term", int64_t{0}) == term_id_ &&
              m.value("tid", int64_t{0}) == tid_ && inflight_.count(aid) && run_->is_in_flight(aid) &&
              run_->transition().actions[aid].rsc == rsc;
  if (mine) {
    inflight_.erase(aid);
    run_->completed(aid, ok);
    if (ok && probe && rc == 0) run_->abort(rsc + " found active on " + node);
    dispatch_ready();
    return;
  }
  if (!ok) {
    // A recurring monitor noticed a failure: recover now, not after the graph.
    monitors_[from].erase(key);
    if (run_) run_->abort(key + " failed on " + node);
    kick(kDebounceMs, "failure");
  }
}

void Controller::on_hello(uint32_t from, const json& m) {
  std::string s = m.value("session", "");
  auto it = sessions_.find(from);
  bool restarted = it != sessions_.end() && it->second != s;
  sessions_[from] = s;
  const uint64_t followed = m.value("dcs_followed", uint64_t{0});
  auto f = dcs_followed_by_.find(from);
  const bool diverged = f != dcs_followed_by_.end() && f->second != followed;
  dcs_followed_by_[from] = followed;
  if (acting_dc() && !leaving_.count(from) && has_shutdown_mark(cib(), agent_.name_of(from))) {
    // A shutdown mark from an earlier run of that node (a leaving node says
    // `leave` again after its hello, which sets the mark anew).
    auto doc = cib().clone();
    clear_shutdown_mark(doc, agent_.name_of(from));
    commit(std::move(doc), "stale shutdown mark of " + agent_.name_of(from));
    kick(kDebounceMs, "node back");
  }
  if ((!restarted && !diverged) || !acting_dc()) return;
  // Its executor restarted (the monitors are gone), or it followed another DC
  // meanwhile (which may have started resources there): its history is stale.
  log_info("controller", "node " + agent_.name_of(from) +
                             (restarted ? " restarted its executor" : " followed another DC meanwhile") +
                             ": probing its resources");
  monitors_.erase(from);
  auto doc = cib().clone();
  wipe_node_history(doc, agent_.name_of(from));
  commit(std::move(doc), "executor restart");
  for (auto& [aid, where] : inflight_)
    if (where.first == from && run_) run_->lost(aid);
  std::erase_if(inflight_, [&](auto& e) { return e.second.first == from; });
  if (run_) run_->abort("history of " + agent_.name_of(from) + " is stale");
  kick(kDebounceMs, "executor restart");
}

void Controller::on_leave(uint32_t from) {
  if (!agent_.is_dc()) return;
  if (leaving_.insert(from).second) log_info("controller", "node " + agent_.name_of(from) + " is shutting down: moving its resources away");
  if (!has_shutdown_mark(cib(), agent_.name_of(from))) {
    auto doc = cib().clone();
    set_shutdown_mark(doc, std::to_string(from), agent_.name_of(from), now_s());
    commit(std::move(doc), "shutdown of " + agent_.name_of(from));
  }
  if (run_) run_->abort("node " + agent_.name_of(from) + " is shutting down");
  kick(0, "shutdown");
}

// `cluster stop --all`: every member is marked as shutting down at once, so
// nothing migrates to a node that is about to leave too; the resources stop in
// reverse order, and each agent exits when the DC confirms its node runs nothing.
void Controller::on_stop_all() {
  if (!agent_.is_dc()) return;
  log_info("controller", "stopping the whole cluster");
  for (uint32_t id : agent_.up_members()) on_leave(id);
  for (uint32_t id : agent_.up_members()) agent_.send_bulk(id, encode_ctl(CtlMsg::please_leave, json::object()));
}

void Controller::release_leavers() {
  if (leaving_.empty() || !acting_dc()) return;
  core::Cib cib = core::read_cib(this->cib());
  core::ClusterStatus cs = core::cluster_status(cib, now_s());
  for (auto it = leaving_.begin(); it != leaving_.end();) {
    const std::string name = agent_.name_of(*it);
    if (!has_shutdown_mark(this->cib(), name)) {
      ++it;
      continue;
    }
    const core::NodeStatus* status = cs.find_node(name);
    bool busy = std::any_of(inflight_.begin(), inflight_.end(), [&](auto& e) { return e.second.first == *it; }) ||
                (status && status->running_resources);
    if (busy) {
      ++it;
      continue;
    }
    log_info("controller", "node " + name + " runs no resources any more: it may exit");
    agent_.send_bulk(*it, encode_ctl(CtlMsg::leave_done, json::object()));
    it = leaving_.erase(it);
  }
}

void Controller::check_deadlines() {
  if (!run_) return;
  int64_t now = mono();
  std::vector<int> expired;
  for (auto& [aid, where] : inflight_)
    if (where.second > 0 && where.second < now) expired.push_back(aid);
  for (int aid : expired) {
    log_warn("controller", "no result for " + action_text(run_->transition().actions[aid]) + " in time: counted as failed");
    inflight_.erase(aid);
    run_->completed(aid, false);
  }
  if (!expired.empty()) dispatch_ready();
}

}  // namespace hactl::cmd::daemon
