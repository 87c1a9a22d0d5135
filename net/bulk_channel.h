// BulkChannel: CIB replication messages over the real network — a
// TcpTransport with the bulk channel's FrameSealer and FrameGuard, and the
// CIB message codec. Frames that fail the guard, or authenticate but do not
// decode, are dropped and counted; the handler only sees (authenticated
// sender, decoded message).
//
// Runs on the caller's io_context; the handler is called on its thread.
#pragma once

#include <functional>
#include <memory>

#include "core/status.h"
#include "net/cib_replication.h"
#include "net/frame_guard.h"
#include "net/membership_config.h"
#include "net/tcp_transport.h"

namespace asio {
class io_context;
}

namespace hactl::net {

using CibMessageHandler = std::function<void(NodeId from, const CibMessage& message)>;

class BulkChannel {
 public:
  // `boot` as for the membership (boot_from_realtime()); the salt is random.
  static core::Result<std::unique_ptr<BulkChannel>> open(asio::io_context& io, const ClusterMembers& members,
                                                         NodeId self, std::uint64_t boot, CibMessageHandler handler);
  void send(NodeId to, const CibMessage& message);
  const GuardCounters& guard_counters() const { return guard_.counters(); }
  const TcpCounters& tcp_counters() const { return transport_->counters(); }
  std::uint64_t undecodable() const { return undecodable_; }
  void close() { transport_->close(); }

 private:
  BulkChannel(const ClusterMembers& members, NodeId self, std::uint64_t boot, CibMessageHandler handler);
  std::optional<NodeId> on_frame(ByteView frame);

  FrameSealer sealer_;
  FrameGuard guard_;
  CibMessageHandler handler_;
  std::unique_ptr<TcpTransport> transport_;
  std::uint64_t undecodable_ = 0;
};

}  // namespace hactl::net
