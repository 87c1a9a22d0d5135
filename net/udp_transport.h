// UdpTransport: the real DatagramTransport, one UDP socket bound to this
// node's configured address and port, sending to peers' configured
// addresses. Addresses are numeric only (no resolver: the static binary has
// no NSS). The socket is FD_CLOEXEC so agents forked by the daemon never
// inherit it. asio stays out of this header (pimpl).
//
// Runs on the caller's io_context; all callbacks on that context's thread.
#pragma once

#include <memory>

#include "core/status.h"
#include "net/membership_config.h"
#include "net/transport.h"

namespace asio {
class io_context;
}

namespace hactl::net {

struct UdpCounters {
  std::uint64_t sent = 0, received = 0, send_errors = 0, receive_errors = 0, unknown_destination = 0;
  std::uint64_t bytes_sent = 0, bytes_received = 0;  // UDP payload bytes (frames), for traffic figures
};

class UdpTransport final : public DatagramTransport {
 public:
  // Binds self's address:port and starts receiving into on_receive.
  static core::Result<std::unique_ptr<UdpTransport>> open(asio::io_context& io, const ClusterMembers& members,
                                                          NodeId self, DatagramHandler on_receive);
  ~UdpTransport() override;
  void send(NodeId to, ByteView datagram) override;
  const UdpCounters& counters() const;
  // Stops receiving and closes the socket (also done by the destructor).
  void close();

 private:
  struct Impl;
  explicit UdpTransport(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// Marks a descriptor close-on-exec; every socket the adapters open goes through it.
core::Status set_cloexec(int fd);

}  // namespace hactl::net
