// SimAgent, node_agent.cpp's glue: views, CIB replication, commits, changes.
#include "test/sim/sim_agent.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/cib_replace.h"
#include "core/cib_write_stamp.h"
#include "core/verify.h"
#include "net/election.h"

namespace hactl::test::sim {

using json = nlohmann::json;
using core::ExitCode;

namespace {

net::CibCopy copy_of(const core::CibDocument& doc) { return {doc.version(), doc.to_xml()}; }

constexpr int64_t kHousekeepingMs = 1000;

}  // namespace

SimAgent::SimAgent(SimEnv& env, const core::ClusterConf& conf, uint32_t self, const std::string& disk_cib,
                   FakeExecutor& executor, std::string session)
    : env_(env), conf_(conf), self_(self), exec_(executor), session_(std::move(session)),
      // A booting node waits 2x the failure timeout before it acts as DC (controller.cpp).
      co_({env.now_ms(), 2 * conf.failure_timeout_ms}) {
  auto doc = core::CibDocument::parse(disk_cib);
  cib_ = std::make_unique<core::CibDocument>(doc ? std::move(*doc) : core::CibDocument::empty());
  sync_ = std::make_unique<net::CibSync>(self_, copy_of(*cib_));
  std::vector<uint32_t> ids;
  for (const auto& n : conf_.nodes) ids.push_back(n.id);
  net::QuorumConfig q = net::QuorumConfig::defaults_for(ids);
  q.two_node = conf_.two_node;
  q.wait_for_all = conf_.wait_for_all || conf_.two_node;
  quorum_ = std::make_unique<net::QuorumTracker>(q);
  next_housekeeping_ = env.now_ms() + kHousekeepingMs;
}

void SimAgent::on_membership(std::vector<uint32_t> up) {
  if (stopped_) return;
  membership_up_ = std::move(up);
  refresh_view();
}

void SimAgent::refresh_view() {
  std::vector<uint32_t> up = membership_up_;
  if (std::find(up.begin(), up.end(), self_) == up.end()) up.push_back(self_);
  std::sort(up.begin(), up.end());
  auto dc = net::elect(up);
  auto q = quorum_->update(up);
  if (up == last_up_ && dc == dc_ && q == quorum_state_) return;
  if (dc != dc_ && !pending_.empty()) {
    // Requests forwarded to a DC that is gone are failed as "try again".
    for (auto& [id, _] : pending_) env_.write_answered(self_, id, core::to_int(ExitCode::temp_fail), {});
    pending_.clear();
  }
  last_up_ = up;
  dc_ = dc;
  quorum_state_ = q;
  net::CibEffects fx;
  sync_->on_view(up, dc, fx);
  apply_effects(fx);
  controller_on_view();
}

void SimAgent::send_cib(uint32_t to, const net::CibMessage& m) { env_.send(self_, to, CibFrame{net::encode_cib_message(m)}); }

void SimAgent::apply_effects(net::CibEffects& fx) {
  for (auto& send : fx.sends) {
    if (send.to == self_) {
      if (auto* reply = std::get_if<net::CibChangeReply>(&send.message)) fx.replies.push_back(*reply);
      continue;
    }
    send_cib(send.to, send.message);
  }
  fx.sends.clear();
  if (fx.adopt) adopt(*fx.adopt);
  for (auto& change : fx.changes) apply_change(change);
  for (auto& reply : fx.replies) {
    auto it = pending_.find(reply.request_id);
    if (it == pending_.end()) continue;
    pending_.erase(it);
    env_.write_answered(self_, reply.request_id, reply.exit_code, reply.version);
  }
  for (auto& req : fx.not_sent) {
    if (!pending_.erase(req.request_id)) continue;
    env_.write_answered(self_, req.request_id, core::to_int(ExitCode::unavailable), {});
  }
}

void SimAgent::adopt(const net::CibCopy& copy) {
  auto doc = core::CibDocument::parse(copy.cib);
  if (!doc) return;  // refused, as the daemon does
  env_.save_cib(self_, copy.cib);
  *cib_ = std::move(*doc);
  ++adoptions_;
  controller_on_cib();
}

bool SimAgent::commit_local(core::CibDocument doc) {
  if (!is_dc()) return false;
  env_.save_cib(self_, doc.to_xml());
  *cib_ = std::move(doc);
  net::CibEffects fx;
  sync_->local_changed(copy_of(*cib_), fx);
  apply_effects(fx);
  controller_on_cib();
  return true;
}

void SimAgent::apply_change(const net::IncomingChange& change) {
  auto reply = [&](ExitCode code, const std::string& message) {
    net::CibEffects fx;
    sync_->reply(change.from, {change.request_id, core::to_int(code), message, cib_->version()}, fx);
    apply_effects(fx);
  };
  json req = json::parse(change.change, nullptr, false);
  auto is_text = [&](const char* key) { return !req.contains(key) || req.at(key).is_string(); };
  if (req.is_discarded() || !req.is_object() || !req.contains("cib") || !is_text("cib") || !is_text("base") ||
      !is_text("scope") || !is_text("base_cib") || !is_text("client") || !is_text("user"))
    return reply(ExitCode::protocol, "malformed change request");
  core::CibReplaceRequest request;
  request.cib = req.value("cib", std::string());
  request.base = req.value("base", std::string());
  request.base_cib = req.value("base_cib", std::string());
  request.scope = req.value("scope", std::string("all"));
  const core::CibVersion current = cib_->version();
  auto first_error = [](const core::CibDocument& d) -> std::optional<std::string> {
    for (const core::Finding& f : core::verify(d, true))
      if (f.severity == core::Finding::Severity::error) return f.text;
    return std::nullopt;
  };
  if (auto sent = core::CibDocument::parse(request.cib); !sent) return reply(sent.status().code(), sent.status().message());
  else if (auto e = first_error(*sent)) return reply(ExitCode::config, *e);
  auto doc = core::apply_cib_replace(*cib_, request);
  if (!doc) return reply(doc.status().code(), doc.status().message());
  if (auto e = first_error(*doc)) return reply(ExitCode::config, *e);
  const core::CibVersion next = doc->version();
  if (next.admin_epoch != current.admin_epoch || next.epoch != current.epoch)
    core::stamp_cib_write(*doc, {"n" + std::to_string(change.from), req.value("client", std::string("hactl")), ""},
                          1700000000 + env_.now_ms() / 1000);
  env_.save_cib(self_, doc->to_xml());
  *cib_ = std::move(*doc);
  net::CibEffects fx;
  sync_->local_changed(copy_of(*cib_), fx);
  apply_effects(fx);
  reply(ExitCode::ok, "");
  controller_on_cib();
}

std::optional<uint64_t> SimAgent::request_write(const std::string& change_json) {
  if (stopped_) return std::nullopt;
  net::CibEffects fx;
  uint64_t id = sync_->request_change(change_json, fx);
  pending_[id] = true;
  apply_effects(fx);
  return id;
}

void SimAgent::poll() {
  if (stopped_) return;
  const int64_t now = env_.now_ms();
  if (now >= next_housekeeping_) {
    next_housekeeping_ = now + kHousekeepingMs;
    if (++ticks_ % 5 == 0 && sync_->is_dc() && !sync_->in_sync()) {
      net::CibEffects fx;
      sync_->resync(fx);
      apply_effects(fx);
    }
  }
  for (auto& r : exec_.poll(now)) {
    on_local_result(r);
    if (stopped_) return;
  }
  if (batch_due_ >= 0 && now >= batch_due_) flush_batch();
  if (!fences_.empty()) {
    // No fencing device in the simulator (stonith-enabled=false): any fence asked is a failed one.
    auto fences = std::move(fences_);
    fences_.clear();
    for (auto& f : fences) feed(core::control::FenceFinished{f.target, false, false, "no fence device", f.aid, f.tid});
  }
  if (now >= co_.next_wakeup()) feed(core::control::Tick{});
  if (shutdown_deadline_ >= 0 && now >= shutdown_deadline_) exit_agent();
}

}  // namespace hactl::test::sim
