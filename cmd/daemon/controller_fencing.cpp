// The DC's fencing: core::plan_fence() chooses the devices and their
// arguments, core::priority_fencing_delay_ms() the head start, FenceRunner
// waits and runs them through this node's own executor; the result is
// recorded (node state, fencing history).
#include <algorithm>
#include <ctime>

#include "agents/process_runner.h"
#include "cmd/daemon/controller.h"
#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/log.h"
#include "core/duration.h"
#include "core/fence_delay.h"
#include "core/fence_device.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;

namespace {
int64_t now_s() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

FenceRunner& Controller::fencer() {
  if (fencer_) return *fencer_;
  // The seed differs per node and per run, so two DCs of a split cluster
  // draw different pcmk_delay_max delays.
  const uint64_t seed = std::hash<std::string>{}(agent_.self_name() + "/" + session_);
  fencer_ = std::make_unique<FenceRunner>(
      io_, seed,
      [this](const core::FenceAttempt& dev, const std::string& action, const core::Attributes& args, int64_t timeout_ms,
             std::function<void(FenceRunner::AgentResult)> cb) {
        json params = json::object();
        for (const auto& [k, v] : args) params[k] = v;
        const int fid = next_fence_aid_++;
        fence_waiters_[fid] = [cb = std::move(cb)](const json& m) {
          const int status = m.value("status", -1), rc = m.value("rc", -1);
          FenceRunner::AgentResult r;
          r.ok = status == 0 && rc == 0;
          r.known = status == 0 && (rc == 0 || rc == 7);  // status: on (0) or off (2, mapped to not running)
          r.output = m.value("output", "");
          r.reason = m.value("reason", "");
          if (!r.ok && r.reason.empty()) r.reason = "rc " + std::to_string(rc) + ", exec status " + std::to_string(status);
          cb(std::move(r));
        };
        json msg = {{"rsc", dev.device}, {"standard", "stonith"}, {"provider", ""}, {"type", dev.type},
                    {"action", action}, {"interval_ms", 0}, {"timeout_ms", timeout_ms}, {"params", params},
                    {"meta", json::object()}, {"kind", "fence"}, {"fence_id", fid}, {"dc", agent_.self_id()}};
        agent_.send_bulk(agent_.self_id(), encode_ctl(CtlMsg::execute, msg));
      });
  // Delayed fences end when the DC's term does or their target is back.
  agent_.add_listener({[this] {
                         if (!agent_.is_dc() || agent_.stopping()) fencer_->cancel_all("this node is no longer the DC");
                         else fencer_->review();
                       },
                       nullptr, [this] { fencer_->cancel_all("the agent stops"); }});
  return *fencer_;
}

int64_t Controller::start_fence(const std::string& target, std::function<void(bool, std::string)> done) {
  status_batch_.flush();
  core::Cib cib = core::read_cib(agent_.cib());
  core::FencePlan plan = core::plan_fence(cib, target);
  for (const auto& note : plan.notes) log_warn("fencing", note);
  int64_t priority_ms = 0;
  const std::string pfd = cib.property("priority-fencing-delay", "0");
  if (auto ms = core::parse_duration_ms(pfd); ms && *ms > 0)
    priority_ms = core::priority_fencing_delay_ms(*ms, target, core::node_priorities(cib, now_s()));
  else if (!ms)
    log_warn("fencing", "priority-fencing-delay '" + pfd + "' is not a duration: no priority delay");

  const core::ClusterNode* node = agent_.conf().find(target);
  auto up = [this, id = node ? std::optional<uint32_t>(node->id) : std::nullopt] {
    auto members = agent_.up_members();
    return id && std::find(members.begin(), members.end(), *id) != members.end();
  };
  auto why_not = [this, target, up, was_up = up()]() -> std::string {
    if (!agent_.is_dc() || agent_.stopping()) return "this node is no longer the DC";
    if (!was_up && up()) return target + " is back in the membership";
    return {};
  };
  return fencer().fence(std::move(plan), priority_ms, why_not, std::move(done));
}

// A fence of the running transition: its outcome goes back to the
// coordinator (history, the node marked fenced, the action completed), posted
// so that it never re-enters the effects being carried out.
void Controller::fence_for_transition(const core::control::FenceNode& f) {
  const int64_t bound = start_fence(f.target, [this, f](bool ok, std::string reason) {
    const bool cancelled = !ok && reason.rfind(FenceRunner::kCancelled, 0) == 0;
    asio::post(io_, [this, f, ok, cancelled, reason = std::move(reason)] {
      feed(core::control::FenceFinished{f.target, ok, cancelled, reason, f.aid, f.tid});
    });
  });
  // Delays and every device's timeout, not a fixed two minutes.
  coordinator_.fence_bound(f.aid, bound, agents::monotonic_ms());
}

}  // namespace hactl::cmd::daemon
