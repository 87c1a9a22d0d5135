// The controller's node side: run what the DC asks, report, say hello, leave.
#include <algorithm>

#include "cmd/daemon/controller.h"
#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/log.h"
#include "core/cib_model.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;

bool Controller::on_bulk(uint32_t from, const std::vector<uint8_t>& payload) {
  std::string error;
  auto msg = decode_ctl(payload, &error);
  if (!msg) {
    if (error.empty()) return false;  // not a controller message
    log_warn("controller", "malformed message from node " + agent_.name_of(from) + " dropped: " + error);
    return true;
  }
  const json& m = msg->second;
  switch (msg->first) {
    case CtlMsg::execute: {
      if (!driver_) return true;
      json route = {{"from", from}, {"dc", m.value("dc", 0u)}, {"term", m.value("term", int64_t{0})},
                    {"tid", m.value("tid", int64_t{0})}, {"aid", m.value("aid", -1)}, {"standard", m.value("standard", "")},
                    {"provider", m.value("provider", "")}, {"type", m.value("type", "")}};
      if (m.contains("kind")) route["kind"] = m["kind"];
      if (m.contains("fence_id")) route["fence_id"] = m["fence_id"];
      driver_->execute(m, route);
      return true;
    }
    case CtlMsg::result: on_result_message(from, m); return true;
    case CtlMsg::hello:
      feed(core::control::HelloReceived{from, m.value("session", ""), m.value("dcs_followed", uint64_t{0})});
      return true;
    case CtlMsg::leave: feed(core::control::LeaveReceived{from}); return true;
    case CtlMsg::leave_done:
      if (shutting_down_ && shutdown_done_) {
        log_info("controller", "the DC confirms no resource of this node runs: exiting");
        auto done = std::move(shutdown_done_);
        shutdown_done_ = nullptr;
        shutdown_timer_.cancel();
        done();
      }
      return true;
    case CtlMsg::stop_all: feed(core::control::StopAllRequested{}); return true;
    case CtlMsg::please_leave:
      log_info("controller", "the DC stops the whole cluster: shutting down");
      shutdown([this] { asio::post(io_, [this] { agent_.stop(); }); });
      return true;
    case CtlMsg::forward: on_forward(from, m); return true;
    case CtlMsg::forward_reply: on_forward_reply(m); return true;
  }
  return false;
}

void Controller::on_result_message(uint32_t from, const json& m) {
  if (!agent_.is_dc()) return;
  if (m.value("kind", "") == "fence") {
    // A fence device's answer, for the FenceRunner that asked.
    auto it = fence_waiters_.find(m.value("fence_id", -1));
    if (it == fence_waiters_.end()) return;
    auto done = std::move(it->second);
    fence_waiters_.erase(it);
    done(m);
    return;
  }
  feed(core::control::ResultReceived{report_from_json(from, m)});
}

void Controller::on_local_result(const agents::ActionResult& r, const json& route) {
  json m = route;
  m["rsc"] = r.rsc;
  m["action"] = r.action;
  m["interval_ms"] = r.interval_ms;
  m["rc"] = static_cast<int>(r.rc);
  m["status"] = static_cast<int>(r.status);
  m["reason"] = r.exit_reason;
  m["exec_ms"] = r.ended_ms - r.started_ms;
  if (route.value("kind", "") == "fence") m["output"] = r.output;  // a fence device's `list` answer
  log_info("executor", "result " + r.key() + ": " + std::string(agents::describe(r.rc)) +
                           (r.status == agents::ExecStatus::done ? "" : " (" + std::string(agents::describe(r.status)) + ")") +
                           (r.exit_reason.empty() ? "" : " '" + r.exit_reason + "'"));
  // Fencing answers go to whoever asked; everything else to the current DC
  // (a recurring monitor's failure must reach the DC of now, not of then) and
  // also to the node that asked, when this node sees another DC: while views
  // merge after a partition, this node can briefly follow a DC other than the
  // one running the transition, which would otherwise wait for this result
  // for ever (a node that is not the DC ignores results).
  const uint32_t asked = route.value("from", 0u);
  uint32_t to = asked;
  if (route.value("kind", "") != "fence" && agent_.dc()) to = *agent_.dc();
  if (to != 0) agent_.send_bulk(to, encode_ctl(CtlMsg::result, m));
  if (asked != 0 && asked != to) agent_.send_bulk(asked, encode_ctl(CtlMsg::result, m));
}

void Controller::send_to_dc(uint8_t type, const json& body) {
  if (auto dc = agent_.dc()) agent_.send_bulk(*dc, encode_ctl(static_cast<CtlMsg>(type), body));
}

void Controller::send_hello() {
  send_to_dc(static_cast<uint8_t>(CtlMsg::hello), {{"session", session_}, {"dcs_followed", dcs_followed_}});
}

void Controller::shutdown(std::function<void()> done) {
  if (shutting_down_ || agent_.stopping()) {
    if (!shutting_down_) done();
    return;
  }
  shutting_down_ = true;
  shutdown_done_ = std::move(done);
  // Bounded: every stop of this node's resources may take its timeout, one
  // after the other in the worst case, plus a margin for the DC's round trips.
  core::Cib cib = core::read_cib(agent_.cib());
  int64_t bound = 5000;
  for (const auto& p : cib.primitives) {
    int64_t t = 20000;
    for (const auto& op : p.ops)
      if (op.name == "stop" && op.timeout_ms) t = *op.timeout_ms;
    bound += t;
  }
  bound = std::min<int64_t>(bound, 300000);
  log_info("controller", "shutting down: asking the DC to stop this node's resources (at most " +
                             std::to_string(bound / 1000) + " s)");
  shutdown_timer_.expires_after(std::chrono::milliseconds(bound));
  shutdown_timer_.async_wait([this](std::error_code ec) {
    if (ec || !shutdown_done_) return;
    log_warn("controller", "resources not confirmed stopped in time: exiting anyway");
    auto d = std::move(shutdown_done_);
    shutdown_done_ = nullptr;
    d();
  });
  if (!agent_.dc()) {
    log_warn("controller", "no DC: exiting without moving resources");
    auto d = std::move(shutdown_done_);
    shutdown_done_ = nullptr;
    shutdown_timer_.cancel();
    d();
    return;
  }
  send_to_dc(static_cast<uint8_t>(CtlMsg::leave), {{"session", session_}});
}

}  // namespace hactl::cmd::daemon
