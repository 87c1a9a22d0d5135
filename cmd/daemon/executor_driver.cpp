#include "cmd/daemon/executor_driver.h"

#include <unistd.h>

#include <csignal>

#include "cmd/daemon/log.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;

ExecutorDriver::ExecutorDriver(asio::io_context& io, const std::string& root, const std::string& node_name,
                               OnResult on_result)
    : io_(io),
      catalog_(root),
      // posix_spawn waits for the child to be scheduled; off the loop (process_spawn.h).
      runner_(agents::PosixProcessRunner::Options{.reap_poll_ms = 50, .spawn_off_thread = true}),
      timer_(io), sigchld_(io, SIGCHLD), children_(io), on_result_(std::move(on_result)) {
  agents::Executor::Options o;
  o.env.node_name = node_name;
  // Built-ins run as spawned `hactl __builtin-agent ...`: fork() of this
  // process (page tables of everything it holds) cost the loop most of its
  // time with hundreds of actions. /proc/self/exe is the running binary even
  // if the file was replaced since.
  if (::access("/proc/self/exe", X_OK) == 0) o.env.builtin_exec = "/proc/self/exe";
  // Between batches of starts the loop answers pings and membership probes.
  o.max_starts_per_poll = kStartsPerTurn;
  executor_ = std::make_unique<agents::Executor>(
      catalog_, runner_,
      [this](const agents::ActionResult& r) {
        // Results of one-shot actions carry their own routing; a recurring
        // monitor's later changes reuse the routing of the request that set it up.
        json route;
        if (auto it = routes_.find(r.call_id); it != routes_.end()) {
          route = it->second;
          if (r.interval_ms == 0 || r.status == agents::ExecStatus::cancelled) routes_.erase(it);
        } else if (auto rit = recurring_routes_.find(r.key()); rit != recurring_routes_.end()) {
          route = rit->second;
        }
        if (r.interval_ms > 0 && r.status == agents::ExecStatus::cancelled) {
          recurring_routes_.erase(r.key());
          return;  // a stop cancelled it: nothing to report
        }
        if (on_result_) on_result_(r, route);
      },
      o);
  // One fd for every child's output and exit (PosixProcessRunner's epoll set).
  auto fds = runner_.watch_fds();
  if (fds.size() == 1) {
    children_.assign(fds[0]);
    arm_children();
  }
  arm_signal();
}

ExecutorDriver::~ExecutorDriver() { stop(); }

void ExecutorDriver::stop() {
  stopped_ = true;
  timer_.cancel();
  std::error_code ec;
  sigchld_.cancel(ec);
  // The runner owns the fd: asio only borrows it.
  if (children_.is_open()) {
    children_.cancel(ec);
    children_.release();
  }
}

void ExecutorDriver::execute(const json& msg, const json& route) {
  agents::ActionRequest req;
  req.rsc = msg.value("rsc", "");
  req.agent = {msg.value("standard", ""), msg.value("provider", ""), msg.value("type", "")};
  req.action = msg.value("action", "");
  req.interval_ms = msg.value("interval_ms", int64_t{0});
  req.timeout_ms = msg.value("timeout_ms", int64_t{20000});
  if (msg.contains("params"))
    for (auto& [k, v] : msg["params"].items()) req.params[k] = v.get<std::string>();
  if (msg.contains("meta"))
    for (auto& [k, v] : msg["meta"].items()) req.meta[k] = v.get<std::string>();
  // Optional (an orphan's actions only); anything but true means false.
  if (auto it = msg.find("reuse_last_params"); it != msg.end() && it->is_boolean()) req.reuse_last_params = it->get<bool>();
  std::string key = req.rsc + "_" + req.action + "_" + std::to_string(req.interval_ms);
  uint64_t call = executor_->execute(req, agents::monotonic_ms());
  routes_[call] = route;
  if (req.interval_ms > 0) recurring_routes_[key] = route;
  log_info("executor", "run " + key + " (" + req.agent.to_string() + ", call " + std::to_string(call) + ")");
  asio::post(io_, [this] { poll(); });
}

void ExecutorDriver::poll() {
  if (stopped_) return;
  executor_->poll(agents::monotonic_ms());
  arm_timer();
}

void ExecutorDriver::arm_timer() {
  auto next = executor_->next_wakeup(agents::monotonic_ms());
  timer_.cancel();
  if (!next) return;
  int64_t delay = std::max<int64_t>(0, *next - agents::monotonic_ms());
  timer_.expires_after(std::chrono::milliseconds(delay));
  timer_.async_wait([this](std::error_code ec) {
    if (!ec) poll();
  });
}

void ExecutorDriver::arm_children() {
  children_.async_wait(asio::posix::stream_descriptor::wait_read, [this](std::error_code ec) {
    if (ec || stopped_) return;
    poll();
    arm_children();
  });
}

void ExecutorDriver::arm_signal() {
  sigchld_.async_wait([this](std::error_code ec, int) {
    if (ec || stopped_) return;
    poll();
    arm_signal();
  });
}

}  // namespace hactl::cmd::daemon
