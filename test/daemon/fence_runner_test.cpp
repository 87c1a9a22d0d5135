// FenceRunner (cmd/daemon/fence_runner.h) with a fake agent: devices in order,
// delays on timers, cancellation of a delayed fence, merged requests, the
// dynamic-list question and its cache. Real io_context, delays of a few ms.
#include "cmd/daemon/fence_runner.h"

#include <doctest/doctest.h>

#include <chrono>

using hactl::cmd::daemon::FenceRunner;
using namespace hactl::core;

namespace {

struct Call {
  std::string device, action;
  Attributes args;
  std::function<void(FenceRunner::AgentResult)> answer;
};

struct Fixture {
  asio::io_context io;
  std::vector<Call> calls;
  // Answers each call at once (posted) with `ok`, unless `hold` keeps it for the test.
  std::function<FenceRunner::AgentResult(const Call&)> reply = [](const Call&) {
    return FenceRunner::AgentResult{true, true, "", ""};
  };
  bool hold = false;
  FenceRunner runner{io, 42, [this](const FenceAttempt& d, const std::string& action, const Attributes& args, int64_t,
                                    std::function<void(FenceRunner::AgentResult)> cb) {
                       calls.push_back({d.device, action, args, cb});
                       if (hold) return;
                       Call c = calls.back();
                       asio::post(io, [this, c] { c.answer(reply(c)); });
                     }};
  int done = 0, ok = 0;
  std::string reason;
  FenceRunner::Done on_done() {
    return [this](bool good, std::string why) {
      ++done;
      ok += good;
      reason = why;
    };
  }
  void run_ms(int ms) {
    io.restart();
    io.run_for(std::chrono::milliseconds(ms));
  }
};

FenceAttempt attempt(const std::string& device, Attributes params = {}) {
  FenceAttempt a;
  a.device = device;
  a.type = "fence_x";
  a.action = "reboot";
  a.params = params;
  a.args = fence_agent_args(params, "n2");
  a.delay = device_delay(params, "n2");
  a.check = can_fence(params, "n2").ask ? host_check(params) : HostCheck::none;
  return a;
}

FencePlan plan(std::vector<FenceAttempt> attempts) {
  FencePlan p;
  p.target = "n2";
  p.action = "reboot";
  p.attempts = std::move(attempts);
  return p;
}

}  // namespace

TEST_CASE("fence runner: the next device after a failure; done once") {
  Fixture f;
  f.reply = [](const Call& c) { return FenceRunner::AgentResult{c.device == "second", false, "", c.device + " broke"}; };
  f.runner.fence(plan({attempt("first"), attempt("second")}), 0, nullptr, f.on_done());
  f.run_ms(50);
  REQUIRE(f.calls.size() == 2);
  CHECK(f.calls[0].device == "first");
  CHECK(f.calls[1].device == "second");
  CHECK(f.calls[1].args.at("port") == "n2");
  CHECK(f.done == 1);
  CHECK(f.ok == 1);
  CHECK(f.runner.pending() == 0);
}

TEST_CASE("fence runner: every device failing fails the fence with the last reason; no device fails at once") {
  Fixture f;
  f.reply = [](const Call& c) { return FenceRunner::AgentResult{false, false, "", c.device + " broke"}; };
  f.runner.fence(plan({attempt("a"), attempt("b")}), 0, nullptr, f.on_done());
  f.run_ms(50);
  CHECK(f.done == 1);
  CHECK(f.ok == 0);
  CHECK(f.reason.find("b broke") != std::string::npos);

  Fixture g;
  CHECK(g.runner.fence(plan({}), 0, nullptr, g.on_done()) == 0);
  CHECK(g.done == 1);  // synchronously
  CHECK(g.ok == 0);
  CHECK(g.calls.empty());
}

TEST_CASE("fence runner: priority and device delays are waited on a timer before the agent runs") {
  Fixture f;
  auto t0 = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point called;
  f.reply = [&](const Call&) {
    called = std::chrono::steady_clock::now();
    return FenceRunner::AgentResult{true, true, "", ""};
  };
  const int64_t bound = f.runner.fence(plan({attempt("a", {{"pcmk_delay_base", "40ms"}})}), 60, nullptr, f.on_done());
  CHECK(bound == 60 + 40 + 60000 + FenceRunner::kResultMarginMs);
  f.run_ms(20);
  CHECK(f.calls.empty());  // still waiting
  f.run_ms(300);
  REQUIRE(f.calls.size() == 1);
  CHECK(f.done == 1);
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(called - t0).count() >= 100);
}

TEST_CASE("fence runner: the priority delay is for the first device only") {
  Fixture f;
  std::vector<std::chrono::steady_clock::time_point> at;
  f.reply = [&](const Call& c) {
    at.push_back(std::chrono::steady_clock::now());
    return FenceRunner::AgentResult{c.device == "b", false, "", "no"};
  };
  auto t0 = std::chrono::steady_clock::now();
  f.runner.fence(plan({attempt("a"), attempt("b")}), 80, nullptr, f.on_done());
  f.run_ms(1000);
  CHECK(f.ok == 1);
  REQUIRE(at.size() == 2);
  using std::chrono::duration_cast;
  using ms = std::chrono::milliseconds;
  CHECK(duration_cast<ms>(at[0] - t0).count() >= 80);
  CHECK(duration_cast<ms>(at[1] - at[0]).count() < 60);  // b did not wait 80 ms again
}

TEST_CASE("fence runner: a delayed fence is cancelled when no longer wanted; a running one is not") {
  Fixture f;
  std::string why;
  f.runner.fence(plan({attempt("a", {{"pcmk_delay_base", "5s"}})}), 0, [&] { return why; }, f.on_done());
  f.run_ms(10);
  f.runner.review();
  CHECK(f.done == 0);
  why = "n2 is back in the membership";
  f.runner.review();
  CHECK(f.done == 1);
  CHECK(f.ok == 0);
  CHECK(f.reason == "cancelled: n2 is back in the membership");
  f.run_ms(10);
  CHECK(f.calls.empty());

  Fixture g;
  g.hold = true;
  std::string gwhy;
  g.runner.fence(plan({attempt("a")}), 0, [&] { return gwhy; }, g.on_done());
  REQUIRE(g.calls.size() == 1);  // no delay: the agent runs
  gwhy = "back";
  g.runner.review();
  CHECK(g.done == 0);
  g.calls[0].answer({true, true, "", ""});
  CHECK(g.ok == 1);
}

TEST_CASE("fence runner: the reason is checked again when the delay ends") {
  Fixture f;
  bool back = false;
  f.runner.fence(plan({attempt("a", {{"pcmk_delay_base", "30ms"}})}), 0,
                 [&] { return back ? std::string("back") : std::string(); }, f.on_done());
  back = true;  // no review() call: the timer's end must notice
  f.run_ms(200);
  CHECK(f.calls.empty());
  CHECK(f.done == 1);
  CHECK(f.ok == 0);
}

TEST_CASE("fence runner: a second request for the same target joins the first") {
  Fixture f;
  f.hold = true;
  f.runner.fence(plan({attempt("a")}), 0, nullptr, f.on_done());
  f.runner.fence(plan({attempt("a")}), 0, nullptr, f.on_done());
  CHECK(f.calls.size() == 1);
  CHECK(f.runner.pending() == 1);
  f.calls[0].answer({true, true, "", ""});
  CHECK(f.done == 2);
  CHECK(f.ok == 2);
}

TEST_CASE("fence runner: cancel_all ends running fences; their late answers are ignored") {
  Fixture f;
  f.hold = true;
  f.runner.fence(plan({attempt("a"), attempt("b")}), 0, nullptr, f.on_done());
  f.runner.cancel_all("this node is no longer the DC");
  CHECK(f.done == 1);
  CHECK(f.reason == "cancelled: this node is no longer the DC");
  f.calls[0].answer({false, false, "", "late"});  // must not try b, nor call done again
  CHECK(f.calls.size() == 1);
  CHECK(f.done == 1);
}

TEST_CASE("fence runner: dynamic-list asks the device's list, skips it when the target is missing, caches the answer") {
  Fixture f;
  f.reply = [](const Call& c) {
    if (c.action == "list") return FenceRunner::AgentResult{true, true, c.device == "a" ? "n1,n1\nn3,n3\n" : "n2,n2\n", ""};
    return FenceRunner::AgentResult{true, true, "", ""};
  };
  const Attributes dyn = {{"pcmk_host_check", "dynamic-list"}};
  f.runner.fence(plan({attempt("a", dyn), attempt("b", dyn)}), 0, nullptr, f.on_done());
  f.run_ms(50);
  REQUIRE(f.calls.size() == 3);
  CHECK(f.calls[0].action == "list");
  CHECK(!f.calls[0].args.count("port"));  // a list has no target
  CHECK(f.calls[1].action == "list");
  CHECK(f.calls[1].device == "b");
  CHECK(f.calls[2].action == "reboot");
  CHECK(f.calls[2].device == "b");
  CHECK(f.ok == 1);
  // Again within a minute: no list call.
  f.runner.fence(plan({attempt("a", dyn), attempt("b", dyn)}), 0, nullptr, f.on_done());
  f.run_ms(50);
  REQUIRE(f.calls.size() == 4);
  CHECK(f.calls[3].action == "reboot");
  CHECK(f.ok == 2);
}

TEST_CASE("fence runner: a result that never comes fails the step after the timeout and its margin") {
  Fixture f;
  f.hold = true;
  FencePlan p = plan({attempt("a"), attempt("b")});
  p.attempts[0].timeout_ms = 20 - FenceRunner::kResultMarginMs;  // 20 ms in all
  f.runner.fence(std::move(p), 0, nullptr, f.on_done());
  f.run_ms(200);
  REQUIRE(f.calls.size() == 2);  // a given up on, b asked
  CHECK(f.calls[1].device == "b");
  CHECK(f.done == 0);
  f.calls[0].answer({true, true, "", ""});  // a's late answer counts for nothing
  CHECK(f.done == 0);
  f.calls[1].answer({true, true, "", ""});
  CHECK(f.ok == 1);
}
