#include "cmd/daemon/fence_runner.h"

#include "cmd/daemon/log.h"

namespace hactl::cmd::daemon {

namespace {
constexpr auto kListFresh = std::chrono::seconds(60);  // Pacemaker's targets_age limit
}

const std::string FenceRunner::kCancelled = "cancelled: ";
const int64_t FenceRunner::kResultMarginMs = 10000;

struct FenceRunner::Op {
  explicit Op(asio::io_context& io) : timer(io) {}
  core::FencePlan plan;
  int64_t priority_delay_ms = 0;
  std::vector<Done> waiters;
  WhyNot why_not;
  size_t attempt = 0;       // index into plan.attempts
  bool fencing = false;     // the current attempt's fencing action runs (not cancellable by review)
  bool finished = false;
  uint64_t step = 0;        // bumped at every phase: answers of an older phase are ignored
  std::string last_error;
  int64_t bound_ms = 0;
  asio::steady_timer timer;
};

FenceRunner::FenceRunner(asio::io_context& io, uint64_t seed, Exec exec) : io_(io), rng_(seed), exec_(std::move(exec)) {}

FenceRunner::~FenceRunner() {
  for (auto& [target, op] : ops_) {
    op->finished = true;
    op->timer.cancel();
  }
}

int64_t FenceRunner::fence(core::FencePlan plan, int64_t priority_delay_ms, WhyNot why_not, Done done) {
  if (auto it = ops_.find(plan.target); it != ops_.end()) {
    log_info("fencing", "a fence of " + plan.target + " is already under way: this request waits for it");
    it->second->waiters.push_back(std::move(done));
    return it->second->bound_ms;
  }
  auto op = std::make_shared<Op>(io_);
  op->priority_delay_ms = priority_delay_ms;
  op->why_not = std::move(why_not);
  op->bound_ms = priority_delay_ms;
  for (const auto& a : plan.attempts)
    op->bound_ms += a.delay.max_ms + a.timeout_ms + kResultMarginMs +
                    (a.check == core::HostCheck::none ? 0 : a.check_timeout_ms + kResultMarginMs);
  op->plan = std::move(plan);
  op->waiters.push_back(std::move(done));
  const std::string target = op->plan.target;
  ops_[target] = op;
  if (op->plan.attempts.empty()) {
    finish(op, false, "no fencing device can fence " + target);
    return 0;
  }
  next_attempt(op);
  return op->bound_ms;
}

void FenceRunner::next_attempt(const std::shared_ptr<Op>& op) {
  if (op->finished) return;
  if (op->attempt >= op->plan.attempts.size()) return finish(op, false, op->last_error);
  const core::FenceAttempt& a = op->plan.attempts[op->attempt];
  const std::string& target = op->plan.target;
  op->fencing = false;
  const uint64_t step = ++op->step;
  if (a.check == core::HostCheck::none) return after_delay(op);
  // Ask the device first (Pacemaker queries before it schedules the delay).
  auto judge = [this, op, step](core::Eligibility e) {
    if (op->finished || op->step != step) return;
    const core::FenceAttempt& a = op->plan.attempts[op->attempt];
    if (!e.can) {
      log_info("fencing", a.device + " cannot fence " + op->plan.target + " (" + e.why + ")");
      op->last_error = a.device + " cannot fence " + op->plan.target + " (" + e.why + ")";
      ++op->attempt;
      return next_attempt(op);
    }
    after_delay(op);
  };
  if (a.check == core::HostCheck::dynamic_list) {
    auto cached = list_cache_.find(a.device);
    if (cached != list_cache_.end() && std::chrono::steady_clock::now() - cached->second.when < kListFresh)
      return judge(core::can_fence(a.params, target, cached->second.names));
    call(op, "list", a.device_args, a.check_timeout_ms, [this, op, step, judge](AgentResult r) {
      if (op->finished || op->step != step) return;
      const core::FenceAttempt& a = op->plan.attempts[op->attempt];
      auto& c = list_cache_[a.device];
      if (r.ok) {
        c = {std::chrono::steady_clock::now(), core::parse_host_list(r.output)};
      } else if (c.names.empty()) {
        return judge({false, false, "its list failed: " + r.reason});
      } else {
        log_warn("fencing", "the list of " + a.device + " failed (" + r.reason + "): using its last answer");
      }
      judge(core::can_fence(a.params, op->plan.target, c.names));
    });
    return;
  }
  call(op, "status", a.args, a.check_timeout_ms, [op, step, judge](AgentResult r) {
    if (op->finished || op->step != step) return;
    judge(core::can_fence(op->plan.attempts[op->attempt].params, op->plan.target, std::nullopt, r.known));
  });
}

void FenceRunner::after_delay(const std::shared_ptr<Op>& op) {
  const core::FenceAttempt& a = op->plan.attempts[op->attempt];
  const int64_t device_ms = core::pick_delay_ms(a.delay, rng_.next());
  const int64_t priority_ms = op->attempt == 0 ? op->priority_delay_ms : 0;
  const int64_t total = device_ms + priority_ms;
  if (total <= 0) return run_action(op);
  log_info("fencing", "delaying " + a.action + " of " + op->plan.target + " through " + a.device + " by " +
                          std::to_string(total) + " ms (priority-fencing-delay " + std::to_string(priority_ms) +
                          " ms, device delay " + std::to_string(device_ms) + " ms)");
  const uint64_t step = ++op->step;
  op->timer.expires_after(std::chrono::milliseconds(total));
  op->timer.async_wait([this, op, step](std::error_code ec) {
    if (ec || op->finished || op->step != step) return;
    if (std::string why = op->why_not ? op->why_not() : ""; !why.empty()) {
      log_info("fencing", "the delayed fence of " + op->plan.target + " is cancelled: " + why);
      return finish(op, false, kCancelled + why);
    }
    run_action(op);
  });
}

void FenceRunner::run_action(const std::shared_ptr<Op>& op) {
  const core::FenceAttempt& a = op->plan.attempts[op->attempt];
  op->fencing = true;
  const uint64_t step = ++op->step;
  log_info("fencing", "requesting " + a.action + " of " + op->plan.target + " through " + a.device);
  call(op, a.action, a.args, a.timeout_ms, [this, op, step](AgentResult r) {
    if (op->finished || op->step != step) return;
    if (r.ok) return finish(op, true, "");
    const core::FenceAttempt& a = op->plan.attempts[op->attempt];
    op->last_error = a.device + ": " + (r.reason.empty() ? "the agent failed" : r.reason);
    log_warn("fencing", a.action + " of " + op->plan.target + " through " + a.device + " failed: " + op->last_error +
                            (op->attempt + 1 < op->plan.attempts.size() ? "; trying the next device" : ""));
    ++op->attempt;
    next_attempt(op);
  });
}

void FenceRunner::call(const std::shared_ptr<Op>& op, const std::string& action, const core::Attributes& args,
                       int64_t timeout_ms, std::function<void(AgentResult)> cb) {
  // A result that never comes (lost message, no executor) fails the step, so
  // the operation ends and later requests for the target do not join a dead one.
  const uint64_t step = op->step;
  op->timer.expires_after(std::chrono::milliseconds(timeout_ms + kResultMarginMs));
  op->timer.async_wait([op, step, cb](std::error_code ec) {
    if (ec || op->finished || op->step != step) return;
    cb({false, false, "", "no result within the timeout"});
  });
  exec_(op->plan.attempts[op->attempt], action, args, timeout_ms, std::move(cb));
}

void FenceRunner::finish(const std::shared_ptr<Op>& op, bool ok, const std::string& reason) {
  if (op->finished) return;
  op->finished = true;
  op->timer.cancel();
  if (auto it = ops_.find(op->plan.target); it != ops_.end() && it->second == op) ops_.erase(it);
  auto waiters = std::move(op->waiters);
  for (auto& w : waiters) w(ok, reason);
}

void FenceRunner::review() {
  std::vector<std::pair<std::shared_ptr<Op>, std::string>> drop;
  for (auto& [target, op] : ops_)
    if (!op->fencing && op->why_not)
      if (std::string why = op->why_not(); !why.empty()) drop.emplace_back(op, why);
  for (auto& [op, why] : drop) {
    log_info("fencing", "the delayed fence of " + op->plan.target + " is cancelled: " + why);
    finish(op, false, kCancelled + why);
  }
}

void FenceRunner::cancel_all(const std::string& why) {
  std::vector<std::shared_ptr<Op>> all;
  for (auto& [target, op] : ops_) all.push_back(op);
  for (auto& op : all) {
    log_info("fencing", (op->fencing ? "the fence of " + op->plan.target + " is abandoned (its agent may still act): "
                                     : "the delayed fence of " + op->plan.target + " is cancelled: ") + why);
    finish(op, false, kCancelled + why);
  }
}

}  // namespace hactl::cmd::daemon
