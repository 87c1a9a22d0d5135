// FenceRunner: carries out core::FencePlans on the DC.
//
// One operation per target: a second request for a target being fenced joins
// the first (Pacemaker merges identical requests), so a transition aborted and
// rescheduled during a delay does not fence twice. An operation tries the
// plan's devices in order: wait the delay on an asio timer (never a sleep:
// priority-fencing-delay before the first device, then each device's
// pcmk_delay_base/max, drawn from a seeded generator), ask the device's `list`
// or `status` when its pcmk_host_check wants that (list answers are kept 60 s,
// as Pacemaker does), then run the fencing action; the next device after a
// failure.
//
// A fence still in its delay (or its question) is dropped when review() finds
// its `why_not` giving a reason: the target is back, or this node lost its DC
// term (the caller decides; review() runs on every view change).
// Once a fencing action runs it is left to finish (an agent cannot be
// un-asked), except by cancel_all().
//
// Every `done` runs exactly once. Threading: the io_context's thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "core/fence_device.h"
#include "net/rng.h"

namespace hactl::cmd::daemon {

class FenceRunner {
 public:
  using Done = std::function<void(bool ok, std::string reason)>;
  struct AgentResult {
    bool ok = false;            // exit 0
    bool known = false;         // for `status`: on or off (exit 0 or 2)
    std::string output, reason;
  };
  // Runs one agent action of a device (the DC's own executor) and calls back
  // with its result, or never when the result is lost (cancel_all covers that).
  using Exec = std::function<void(const core::FenceAttempt& device, const std::string& action,
                                  const core::Attributes& args, int64_t timeout_ms, std::function<void(AgentResult)>)>;

  FenceRunner(asio::io_context& io, uint64_t seed, Exec exec);
  ~FenceRunner();
  FenceRunner(const FenceRunner&) = delete;
  FenceRunner& operator=(const FenceRunner&) = delete;

  // Why a fence is no longer wanted ("" while it is).
  using WhyNot = std::function<std::string()>;
  // Starts (or joins) the fencing of plan.target. Returns an upper bound of how
  // long it may take in ms (delays, questions and timeouts of every device).
  int64_t fence(core::FencePlan plan, int64_t priority_delay_ms, WhyNot why_not, Done done);
  // Drops each operation not yet running its fencing action whose `why_not`
  // gives a reason: its callers hear done(false, kCancelled + reason).
  void review();
  // Ends every operation, running or not, with done(false, why).
  void cancel_all(const std::string& why);
  size_t pending() const { return ops_.size(); }
  // The reason given to `done` of a cancelled fence begins with this.
  static const std::string kCancelled;
  // How long past an action's timeout its result may come before the step fails.
  static const int64_t kResultMarginMs;

 private:
  struct Op;
  void next_attempt(const std::shared_ptr<Op>& op);
  void after_delay(const std::shared_ptr<Op>& op);
  void run_action(const std::shared_ptr<Op>& op);
  void call(const std::shared_ptr<Op>& op, const std::string& action, const core::Attributes& args, int64_t timeout_ms,
            std::function<void(AgentResult)> cb);
  void finish(const std::shared_ptr<Op>& op, bool ok, const std::string& reason);

  asio::io_context& io_;
  net::Rng rng_;
  Exec exec_;
  std::map<std::string, std::shared_ptr<Op>> ops_;  // by target
  struct Listed {
    std::chrono::steady_clock::time_point when;
    std::vector<std::string> names;
  };
  std::map<std::string, Listed> list_cache_;  // device id -> its last `list` answer
};

}  // namespace hactl::cmd::daemon
