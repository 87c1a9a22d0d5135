// TcpTransport: the real StreamTransport for the bulk channel. It listens on
// this node's address and port (TCP) and keeps at most one outgoing
// connection per peer, opened on first send from this node's own address;
// frames are written with their length prefix, in order, after a hello (a
// small sealed frame: see HelloMaker). Answers travel on our own outgoing
// connection to the authenticated sender, never back on the incoming one.
//
// Incoming connections are anonymous until a frame authenticates (on_frame
// returns its sender), and nothing of size is committed to them before that:
// the first frame may be at most max_unauthenticated_frame bytes and must
// arrive within the handshake deadline; anonymous connections are capped per
// source address and in all, separately from the authenticated ones (see
// InboundAdmission). Authenticated connections take frames up to max_frame
// and are closed when idle. Every connection closed by these limits is
// counted by reason (TcpCounters::refusals) for the daemon's security log.
//
// All sockets are FD_CLOEXEC; addresses are numeric; asio stays in the .cpp.
// Runs on the caller's io_context; callbacks on its thread.
#pragma once

#include <array>
#include <memory>

#include "core/status.h"
#include "net/inbound_admission.h"
#include "net/membership_config.h"
#include "net/stream_framing.h"
#include "net/transport.h"

namespace asio {
class io_context;
}

namespace hactl::net {

// A hello is kFrameOverhead bytes; this leaves room for a small first message
// from a sender that sends none.
inline constexpr std::size_t kMaxUnauthenticatedFrameBytes = 4096;

struct TcpLimits {
  AdmissionLimits admission;
  std::size_t max_frame = kMaxBulkFrameBytes;                          // once authenticated
  std::size_t max_unauthenticated_frame = kMaxUnauthenticatedFrameBytes;  // the first frame
  // Our own unused connection is closed after this, well before the peer's
  // admission.idle, so that the peer never closes one we are writing to.
  Millis outbound_idle{60000};
};

struct TcpCounters {
  std::uint64_t frames_sent = 0, frames_received = 0;
  std::uint64_t connects = 0, connect_failures = 0, accepted = 0;
  std::uint64_t refused = 0;  // inbound connections closed by a limit: the sum of refusals
  std::array<std::uint64_t, static_cast<std::size_t>(InboundRefusal::count_)> refusals{};
  std::uint64_t broken_streams = 0;  // bad length prefix on an authenticated connection: closed
  std::uint64_t dropped_frames = 0;  // queued on a connection that failed, or queue full
  std::uint64_t idle_closes = 0;     // our own outgoing connections closed unused
  std::uint64_t operator[](InboundRefusal r) const { return refusals[static_cast<std::size_t>(r)]; }
};

class TcpTransport final : public StreamTransport {
 public:
  static core::Result<std::unique_ptr<TcpTransport>> open(asio::io_context& io, const ClusterMembers& members,
                                                          NodeId self, FrameHandler on_frame, HelloMaker hello,
                                                          TcpLimits limits = {});
  ~TcpTransport() override;
  void send(NodeId to, ByteView frame) override;
  const TcpCounters& counters() const;
  // Inbound connections held now, anonymous and authenticated.
  std::size_t unauthenticated_connections() const;
  std::size_t authenticated_connections() const;
  void close();

 private:
  struct Impl;
  explicit TcpTransport(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace hactl::net
