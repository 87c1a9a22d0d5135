#include "net/membership_thread.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include <asio.hpp>

namespace hactl::net {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Corosync runs its protocol at SCHED_RR for the same reason: a probe must be
// answered even when the machine is busy. The lowest real-time priority is
// enough to preempt every normal process; failing that, a raised nice value.
std::string raise_priority() {
  sched_param p{};
  p.sched_priority = 1;
  if (::pthread_setschedparam(::pthread_self(), SCHED_RR, &p) == 0) return "real-time (SCHED_RR 1)";
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), -10) == 0) return "nice -10";
  return "normal (not permitted to raise it)";
}

}  // namespace

MemberState MembershipView::state_of(NodeId node) const {
  for (const auto& [id, state] : states)
    if (id == node) return state;
  return MemberState::unknown;
}

struct MembershipThread::Shared {
  Shared(asio::io_context& main, ThreadOptions o) : main_io(main), opts(std::move(o)), watchdog(io) {}

  asio::io_context& main_io;
  ThreadOptions opts;
  std::vector<NodeId> peers;

  // Membership thread only.
  asio::io_context io;
  asio::steady_timer watchdog;
  std::unique_ptr<MembershipService> service;
  std::vector<MemberEvent> pending;
  std::thread thread;

  // Main thread only.
  MemberEventHandler on_event;
  MembershipView delivered;
  bool stopped = false;

  // Both.
  mutable std::mutex mu;
  MembershipCounters latest;
  std::atomic<int64_t> last_beat_ms{steady_ms()};
  std::atomic<bool> paused{false};

  MembershipView view_of(const MembershipEndpoint& ep) const {
    MembershipView v;
    for (NodeId id : peers) v.states.emplace_back(id, ep.membership().state_of(id));
    v.up = ep.membership().up_members();
    return v;
  }

  // After each input: counters for any reader, events (with the view right
  // after them) to the main loop, in order.
  void processed(const MembershipEndpoint& ep) {
    {
      std::lock_guard<std::mutex> lock(mu);
      latest.guard = ep.guard_counters();
      if (service) latest.udp = service->udp_counters();
    }
    if (pending.empty()) return;
    asio::post(main_io, [weak = weak_self, events = std::move(pending), view = view_of(ep)]() mutable {
      auto self = weak.lock();
      if (!self || self->stopped) return;
      self->delivered = std::move(view);
      for (const auto& e : events)
        if (self->on_event) self->on_event(e);
    });
    pending.clear();
  }

  void arm_watchdog() {
    watchdog.expires_after(std::max(std::chrono::milliseconds(50), opts.stall_limit / 4));
    watchdog.async_wait([this](const asio::error_code& ec) {
      if (ec || !service) return;
      check_loop();
      arm_watchdog();
    });
  }

  void check_loop() {
    const int64_t silent = steady_ms() - last_beat_ms.load();
    const bool stuck = silent > opts.stall_limit.count();
    if (stuck == paused.load()) return;
    service->set_paused(stuck);
    paused = stuck;
    if (opts.log)
      opts.log(stuck ? "the main loop has not run for " + std::to_string(silent) +
                           " ms: membership paused, peers will see this node as lost"
                     : "the main loop runs again: membership resumed");
  }

  std::weak_ptr<Shared> weak_self;
};

MembershipThread::MembershipThread(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
MembershipThread::~MembershipThread() { stop(); }

core::Result<std::unique_ptr<MembershipThread>> MembershipThread::start(asio::io_context& deliver_to,
                                                                        const ServiceOptions& options,
                                                                        MemberEventHandler on_event,
                                                                        ThreadOptions thread_options) {
  auto shared = std::make_shared<Shared>(deliver_to, std::move(thread_options));
  shared->weak_self = shared;
  shared->on_event = std::move(on_event);
  for (NodeId id : options.members.ids())
    if (id != options.self) shared->peers.push_back(id);
  Shared* s = shared.get();
  // The thread is not running yet: the service's first inputs (start) run here.
  auto service = MembershipService::start(
      s->io, options, [s](const MemberEvent& e) { s->pending.push_back(e); },
      [s](const MembershipEndpoint& ep) { s->processed(ep); });
  if (!service) return service.status();
  s->service = std::move(*service);
  s->delivered = s->view_of(s->service->endpoint());
  s->arm_watchdog();
  s->thread = std::thread([s] {
    const std::string priority = s->opts.realtime ? raise_priority() : "normal";
    if (s->opts.log) s->opts.log("membership thread started, priority " + priority);
    s->io.run();
  });
  return std::unique_ptr<MembershipThread>(new MembershipThread(std::move(shared)));
}

const MembershipView& MembershipThread::view() const { return shared_->delivered; }

MembershipCounters MembershipThread::counters() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->latest;
}

void MembershipThread::loop_alive() { shared_->last_beat_ms = steady_ms(); }
bool MembershipThread::paused() const { return shared_->paused.load(); }

void MembershipThread::stop() {
  if (!shared_ || shared_->stopped) return;
  shared_->stopped = true;
  Shared* s = shared_.get();
  asio::post(s->io, [s] {
    s->watchdog.cancel();
    s->service->stop();
  });
  if (s->thread.joinable()) s->thread.join();
  s->service.reset();
}

}  // namespace hactl::net
