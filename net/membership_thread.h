// MembershipThread: the membership protocol on a thread of its own, so that a
// node answers its peers' probes within the protocol's bound whatever its main
// loop is doing (starting a hundred agents, saving a large CIB). A busy main
// loop was the cause of false node deaths, and so of resources started twice.
//
// The thread runs a MembershipService on its own io_context, at real-time
// priority when allowed (as corosync does). Events are posted to the caller's
// io_context in order, each with the view the endpoint had right after it, so
// the main loop sees a view consistent with the events it has handled.
//
// A main loop that stops beating (loop_alive) for longer than stall_limit is
// stuck, not busy: the thread then pauses the endpoint, so that its peers see
// this node die instead of a live member that never acts; it resumes when the
// loop beats again (to the peers, a node that froze and woke).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/membership_service.h"

namespace hactl::net {

// What the endpoint knew of the members at one instant.
struct MembershipView {
  std::vector<std::pair<NodeId, MemberState>> states;  // every configured peer
  std::vector<NodeId> up;
  MemberState state_of(NodeId node) const;
};

struct MembershipCounters {
  GuardCounters guard;
  UdpCounters udp;
};

struct ThreadOptions {
  std::chrono::milliseconds stall_limit{8000};
  bool realtime = true;  // try SCHED_RR, then a raised nice value
  std::function<void(const std::string&)> log;  // called on the membership thread
};

class MembershipThread {
 public:
  static core::Result<std::unique_ptr<MembershipThread>> start(asio::io_context& deliver_to,
                                                               const ServiceOptions& options,
                                                               MemberEventHandler on_event, ThreadOptions thread_options);
  ~MembershipThread();
  MembershipThread(const MembershipThread&) = delete;
  MembershipThread& operator=(const MembershipThread&) = delete;

  // The view as of the last event delivered to on_event (main thread only).
  const MembershipView& view() const;
  // The newest counters (any thread).
  MembershipCounters counters() const;
  // The main loop is alive: call at least every stall_limit / 4.
  void loop_alive();
  bool paused() const;
  void stop();  // joins the thread; no event is delivered afterwards

 private:
  struct Shared;
  explicit MembershipThread(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
};

}  // namespace hactl::net
