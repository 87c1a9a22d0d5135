// MembershipService: the membership protocol on a real network — a
// MembershipEndpoint driven by one UdpTransport and one steady_timer on the
// caller's io_context. This is the only place the membership reads the clock.
//
// The daemon creates one at start and destroys it at stop; events (member
// state changes) are delivered on the io_context thread, after the endpoint
// has processed the input that caused them.
#pragma once

#include <functional>
#include <memory>

#include "core/status.h"
#include "net/membership_config.h"
#include "net/membership_endpoint.h"
#include "net/udp_transport.h"

namespace asio {
class io_context;
}

namespace hactl::net {

struct ServiceOptions {
  ClusterMembers members;
  NodeId self = kNoNode;
  MembershipConfig config;
  // Must grow across restarts of this node (PROTOCOL.md); boot_from_realtime()
  // is the usual choice. 0 = use boot_from_realtime().
  std::uint64_t boot = 0;
};

using MemberEventHandler = std::function<void(const MemberEvent&)>;
// Called after every input (datagram or tick) the endpoint processed, with its
// events already delivered: where a wrapper takes its snapshot of the counters.
using ProcessedHandler = std::function<void(const MembershipEndpoint&)>;

class MembershipService {
 public:
  static core::Result<std::unique_ptr<MembershipService>> start(asio::io_context& io, const ServiceOptions& options,
                                                                MemberEventHandler on_event,
                                                                ProcessedHandler on_processed = {});
  ~MembershipService();
  const MembershipEndpoint& endpoint() const;
  const UdpCounters& udp_counters() const;
  void stop();
  // Paused, the endpoint neither reads datagrams nor ticks: to its peers this
  // node is frozen (they suspect it, then declare it dead), as it really is
  // when the agent's main loop is stuck. Resuming is a frozen process waking.
  void set_paused(bool paused);

 private:
  struct Impl;
  explicit MembershipService(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// Milliseconds since the Unix epoch: grows across restarts unless the wall
// clock is stepped back by more than the downtime.
std::uint64_t boot_from_realtime();

}  // namespace hactl::net
