// TcpTransport: the real StreamTransport for the bulk channel. It listens on
// this node's address and port (TCP) and keeps at most one outgoing
// connection per peer, opened on first send; frames are written with their
// length prefix, in order. Incoming connections are anonymous until their
// frames authenticate: each frame is handed to on_frame for FrameGuard
// (bulk channel) to check, and answers travel on our own outgoing connection
// to the authenticated sender, never back on the incoming one.
//
// All sockets are FD_CLOEXEC; addresses are numeric; asio stays in the .cpp.
// A stream whose length prefix is invalid is closed. Inbound connections are
// capped (4 per configured node, at least 16), since each may buffer up to
// max_frame bytes before its first frame can be authenticated. Runs on the caller's
// io_context; callbacks on its thread.
#pragma once

#include <memory>

#include "core/status.h"
#include "net/membership_config.h"
#include "net/stream_framing.h"
#include "net/transport.h"

namespace asio {
class io_context;
}

namespace hactl::net {

struct TcpCounters {
  std::uint64_t frames_sent = 0, frames_received = 0;
  std::uint64_t connects = 0, connect_failures = 0, accepted = 0;
  std::uint64_t refused = 0;  // inbound connections over the cap (4 per node, at least 16)
  std::uint64_t broken_streams = 0;  // bad length prefix: connection closed
  std::uint64_t dropped_frames = 0;  // queued on a connection that failed, or queue full
};

class TcpTransport final : public StreamTransport {
 public:
  static core::Result<std::unique_ptr<TcpTransport>> open(asio::io_context& io, const ClusterMembers& members,
                                                          NodeId self, FrameHandler on_frame,
                                                          std::size_t max_frame = kMaxBulkFrameBytes);
  ~TcpTransport() override;
  void send(NodeId to, ByteView frame) override;
  const TcpCounters& counters() const;
  void close();

 private:
  struct Impl;
  explicit TcpTransport(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace hactl::net
