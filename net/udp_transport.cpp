#include "net/udp_transport.h"

#include <fcntl.h>

#include <asio.hpp>
#include <unordered_map>

namespace hactl::net {

core::Status set_cloexec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0 || ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
    return core::Status::io("cannot set FD_CLOEXEC on socket");
  return core::Status::ok();
}

// Impl is shared with the pending asynchronous operations, so a handler that
// runs after close() finds the object alive and simply stops.
struct UdpTransport::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(asio::io_context& io) : socket(io) {}
  asio::ip::udp::socket socket;
  std::unordered_map<NodeId, asio::ip::udp::endpoint> peers;
  DatagramHandler on_receive;
  // Larger than any valid datagram, so oversized ones arrive whole and are
  // counted by FrameGuard rather than silently truncated here.
  std::array<std::uint8_t, 65536> buffer{};
  asio::ip::udp::endpoint from;
  UdpCounters counters;
  bool closed = false;

  void receive() {
    socket.async_receive_from(asio::buffer(buffer), from,
                              [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
                                if (self->closed) return;
                                if (ec) {
                                  if (ec == asio::error::operation_aborted) return;
                                  ++self->counters.receive_errors;  // e.g. ICMP port unreachable: keep going
                                } else {
                                  ++self->counters.received;
                                  self->counters.bytes_received += n;
                                  self->on_receive(ByteView(self->buffer.data(), n));
                                }
                                self->receive();
                              });
  }
};

UdpTransport::UdpTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
UdpTransport::~UdpTransport() { close(); }

core::Result<std::unique_ptr<UdpTransport>> UdpTransport::open(asio::io_context& io, const ClusterMembers& members,
                                                               NodeId self, DatagramHandler on_receive) {
  auto impl = std::make_shared<Impl>(io);
  impl->on_receive = std::move(on_receive);
  const NodeAddress* me = nullptr;
  for (const auto& n : members.nodes) {
    asio::error_code ec;
    const auto addr = asio::ip::make_address(n.address, ec);  // numeric only, never resolves
    if (ec) return core::Status::config("node " + n.name + ": '" + n.address + "' is not a numeric IP address");
    if (n.id == self)
      me = &n;
    else
      impl->peers[n.id] = asio::ip::udp::endpoint(addr, n.effective_port());
  }
  if (!me) return core::Status::config("node id " + std::to_string(self) + " is not in the cluster configuration");
  const asio::ip::udp::endpoint local(asio::ip::make_address(me->address), me->effective_port());
  asio::error_code ec;
  impl->socket.open(local.protocol(), ec);
  if (ec) return core::Status::io("cannot open UDP socket: " + ec.message());
  if (auto st = set_cloexec(impl->socket.native_handle()); !st) return st;
  impl->socket.bind(local, ec);
  if (ec)
    return core::Status::io("cannot bind UDP " + me->address + ":" + std::to_string(me->effective_port()) + ": " +
                            ec.message());
  impl->socket.non_blocking(true, ec);
  if (ec) return core::Status::io("cannot make the UDP socket non-blocking: " + ec.message());
  impl->receive();
  return std::unique_ptr<UdpTransport>(new UdpTransport(std::move(impl)));
}

void UdpTransport::send(NodeId to, ByteView datagram) {
  Impl& s = *impl_;
  if (s.closed) return;
  auto it = s.peers.find(to);
  if (it == s.peers.end()) {
    ++s.counters.unknown_destination;
    return;
  }
  // A datagram is one small buffer: send it synchronously on the
  // non-blocking socket; a full socket buffer just loses it, like the network would.
  asio::error_code ec;
  s.socket.send_to(asio::buffer(datagram.data(), datagram.size()), it->second, 0, ec);
  if (ec)
    ++s.counters.send_errors;
  else {
    ++s.counters.sent;
    s.counters.bytes_sent += datagram.size();
  }
}

const UdpCounters& UdpTransport::counters() const { return impl_->counters; }

void UdpTransport::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  asio::error_code ec;
  impl_->socket.close(ec);
}

}  // namespace hactl::net
